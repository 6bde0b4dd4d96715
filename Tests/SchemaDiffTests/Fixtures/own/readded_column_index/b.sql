CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
CREATE TABLE shipments (id bigint, region text) PARTITION BY LIST (region);
CREATE TABLE shipments_north PARTITION OF shipments FOR VALUES IN ('north');
CREATE TABLE shipments_south PARTITION OF shipments FOR VALUES IN ('south');

-- Columns dropped with the indexes over them: going back, each index follows its column.
CREATE TABLE invoices (id bigint PRIMARY KEY, customer text, issued date, total numeric);
CREATE INDEX invoices_customer_idx ON invoices (customer);
CREATE UNIQUE INDEX invoices_customer_issued_key ON invoices (customer, issued);
CREATE TABLE shipments (id bigint, carrier text, region text) PARTITION BY LIST (region);
CREATE TABLE shipments_north PARTITION OF shipments FOR VALUES IN ('north');
CREATE TABLE shipments_south PARTITION OF shipments FOR VALUES IN ('south');
CREATE INDEX shipments_carrier_idx ON shipments (carrier, region);
CREATE INDEX shipments_north_local_idx ON shipments_north (region, carrier, id);
INSERT INTO invoices VALUES (1, 'acme', '2026-01-01', 10), (2, 'acme', '2026-02-01', 20);
INSERT INTO shipments VALUES (1, 'fast', 'north'), (2, 'slow', 'south');

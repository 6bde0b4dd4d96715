-- warehouse_id looks like a reference to warehouses but has no foreign key.
CREATE TABLE warehouses (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE stock_items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    warehouse_id bigint NOT NULL,
    quantity integer NOT NULL CHECK (quantity >= 0)
);
CREATE INDEX stock_items_warehouse_id_idx ON stock_items (warehouse_id);

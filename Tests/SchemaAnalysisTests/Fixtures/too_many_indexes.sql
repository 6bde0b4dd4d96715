-- Nine indexes on one table (the primary key and one per column): over the limit of eight.
CREATE TABLE products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    brand text NOT NULL CHECK (length(brand) <= 100),
    category text NOT NULL CHECK (length(category) <= 100),
    colour text NOT NULL CHECK (length(colour) <= 40),
    size_label text NOT NULL CHECK (length(size_label) <= 20),
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_name_idx ON products (name);
CREATE INDEX products_brand_idx ON products (brand);
CREATE INDEX products_category_idx ON products (category);
CREATE INDEX products_colour_idx ON products (colour);
CREATE INDEX products_size_label_idx ON products (size_label);
CREATE INDEX products_price_cents_idx ON products (price_cents);
CREATE INDEX products_created_at_idx ON products (created_at);
CREATE INDEX products_updated_at_idx ON products (updated_at);

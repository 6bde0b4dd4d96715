-- A check constraint added NOT VALID and never validated.
CREATE TABLE shipments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    weight_grams integer NOT NULL,
    shipped_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO shipments (weight_grams) VALUES (100), (250);
ALTER TABLE shipments ADD CONSTRAINT shipments_weight_grams_positive CHECK (weight_grams > 0) NOT VALID;

-- A table of 56 columns: an id and 55 optional attributes accreted over the years.
DO $$
BEGIN
    EXECUTE format(
        'CREATE TABLE customer_profiles (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, %s)',
        (SELECT string_agg(format('attribute_%s bigint', n), ', ') FROM generate_series(1, 55) AS n));
END
$$;

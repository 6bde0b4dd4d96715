CREATE TABLE addresses (id int, city text, zip text, country text);
CREATE STATISTICS addr_city_zip (ndistinct, dependencies, mcv) ON city, zip FROM addresses;
CREATE STATISTICS addr_country (dependencies) ON country, city FROM addresses;
ALTER STATISTICS addr_country SET STATISTICS 500;
COMMENT ON STATISTICS addr_country IS 'correlated';
CREATE STATISTICS addr_expr ON lower(city), zip FROM addresses;
CREATE TABLE shipments (id int, a int, b int);
CREATE STATISTICS ship_ab ON a, b FROM shipments;

CREATE TABLE addresses (id int, city text, zip text, country text);
CREATE STATISTICS addr_city_zip (ndistinct) ON city, zip FROM addresses;
CREATE STATISTICS addr_country (dependencies) ON country, city FROM addresses;
CREATE STATISTICS addr_gone (mcv) ON zip, country FROM addresses;

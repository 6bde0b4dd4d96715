CREATE TABLE orders (note text);

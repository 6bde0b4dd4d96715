CREATE TABLE hot (id integer, body text)
    WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, toast_tuple_target = 256,
          toast.autovacuum_enabled = false);
CREATE TABLE plain (id integer) WITH (autovacuum_analyze_threshold = 1000);
CREATE TABLE fresh (id integer) WITH (fillfactor = 50);

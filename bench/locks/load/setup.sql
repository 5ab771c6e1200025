-- Fills the "before" schema (created by the generated 0001) with :rows items and :parents parents.
INSERT INTO parents (id) SELECT g FROM generate_series(1, :parents) g;
INSERT INTO items (parent_id, email, code, score)
  SELECT 1 + g % :parents, 'user' || g || '@example.com', 'c' || g, g % 100
  FROM generate_series(1, :rows) g;
CREATE TABLE bench_ctl (stop int NOT NULL);
INSERT INTO bench_ctl VALUES (0);
VACUUM ANALYZE;

-- One write: a new row of items, valid under the schema before and after every case (a unique
-- email, an existing parent, a non-NULL score, a code shorter than 50). Stops like update_item.
\set p random(1, :parents)
INSERT INTO items (parent_id, email, code, score)
  SELECT :p, gen_random_uuid()::text, 'w' || :client_id, :p FROM bench_ctl WHERE 1 / (1 - stop) = 1;

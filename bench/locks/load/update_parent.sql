-- One write on the referenced table (the naive ADD FOREIGN KEY also blocks writes there).
\set p random(1, :parents)
UPDATE parents SET hits = hits + 1 WHERE id = :p AND (SELECT 1 / (1 - stop) FROM bench_ctl) = 1;

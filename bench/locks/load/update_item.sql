-- One write: bump a random existing row of items. The subquery raises division_by_zero once
-- run.sh sets bench_ctl.stop = 1, which ends this pgbench client (how run.sh stops the load).
\set id random(1, :rows)
UPDATE items SET hits = hits + 1 WHERE id = :id AND (SELECT 1 / (1 - stop) FROM bench_ctl) = 1;

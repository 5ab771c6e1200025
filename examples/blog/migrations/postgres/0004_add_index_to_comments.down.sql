-- schema:no-transaction

-- every lock-taking statement gives up after this long instead of queueing the table's queries
SET lock_timeout = '2s';

-- drop index comments_created_at_idx on comments (needs care)
--   DROP INDEX takes ACCESS EXCLUSIVE on the table while it waits and drops
SET lock_timeout = '60s';
DROP INDEX CONCURRENTLY "comments_created_at_idx";
SET lock_timeout = '2s';

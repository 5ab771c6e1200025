-- schema:no-transaction

-- every lock-taking statement gives up after this long instead of queueing the table's queries
SET lock_timeout = '2s';

-- add index comments_created_at_idx on comments (created_at) (needs care)
--   CREATE INDEX blocks writes (SHARE lock) for the whole build
SET lock_timeout = '60s';
CREATE INDEX CONCURRENTLY "comments_created_at_idx" ON "comments" ("created_at");
SET lock_timeout = '2s';

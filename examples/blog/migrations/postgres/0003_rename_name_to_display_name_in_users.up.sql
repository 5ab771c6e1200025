-- every lock-taking statement gives up after this long instead of queueing the table's queries
SET LOCAL lock_timeout = '2s';

-- rename column users.name to display_name (needs care)
--   breaks the running old app version, which still uses the old name
ALTER TABLE "users" RENAME COLUMN "name" TO "display_name";

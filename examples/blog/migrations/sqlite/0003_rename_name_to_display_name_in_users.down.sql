-- rename column users.display_name to name (needs care)
--   breaks the running old app version, which still uses the old name
ALTER TABLE "users" RENAME COLUMN "display_name" TO "name";

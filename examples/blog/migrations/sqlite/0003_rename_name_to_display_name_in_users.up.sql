-- rename column users.name to display_name (needs care)
--   breaks the running old app version, which still uses the old name
ALTER TABLE "users" RENAME COLUMN "name" TO "display_name";

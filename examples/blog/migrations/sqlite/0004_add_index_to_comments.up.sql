-- add index comments_created_at_idx on comments (created_at) (needs care)
--   the build holds the database's write lock
CREATE INDEX "comments_created_at_idx" ON "comments" ("created_at");

-- drop index comments_created_at_idx on comments (safe)
DROP INDEX "comments_created_at_idx";

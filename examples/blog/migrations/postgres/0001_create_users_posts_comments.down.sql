-- every lock-taking statement gives up after this long instead of queueing the table's queries
SET LOCAL lock_timeout = '2s';

-- drop foreign key comments_post_id_fkey on comments (safe)
ALTER TABLE "comments" DROP CONSTRAINT "comments_post_id_fkey";

-- drop foreign key comments_author_id_fkey on comments (safe)
ALTER TABLE "comments" DROP CONSTRAINT "comments_author_id_fkey";

-- drop foreign key posts_author_id_fkey on posts (safe)
ALTER TABLE "posts" DROP CONSTRAINT "posts_author_id_fkey";

-- drop table comments (destructive)
--   data loss: every row of comments is deleted; the old app version still queries it
DROP TABLE "comments";

-- drop table posts (destructive)
--   data loss: every row of posts is deleted; the old app version still queries it
DROP TABLE "posts";

-- drop table users (destructive)
--   data loss: every row of users is deleted; the old app version still queries it
DROP TABLE "users";

-- drop enum user_role (safe)
DROP TYPE "user_role";

-- drop enum post_status (safe)
DROP TYPE "post_status";

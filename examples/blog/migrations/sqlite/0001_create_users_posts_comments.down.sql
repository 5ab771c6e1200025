-- schema:foreign-keys=off

-- drop table comments (destructive)
--   data loss: every row of comments is deleted; the old app version still queries it
DROP TABLE "comments";

-- drop table posts (destructive)
--   data loss: every row of posts is deleted; the old app version still queries it
DROP TABLE "posts";

-- drop table users (destructive)
--   data loss: every row of users is deleted; the old app version still queries it
DROP TABLE "users";

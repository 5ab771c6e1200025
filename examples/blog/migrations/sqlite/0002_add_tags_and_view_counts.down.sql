-- schema:foreign-keys=off

-- drop column posts.view_count (destructive)
--   data loss: the values of posts.view_count are deleted; the old app version still reads it
ALTER TABLE "posts" DROP COLUMN "view_count";

-- drop table post_tags (destructive)
--   data loss: every row of post_tags is deleted; the old app version still queries it
DROP TABLE "post_tags";

-- drop table tags (destructive)
--   data loss: every row of tags is deleted; the old app version still queries it
DROP TABLE "tags";

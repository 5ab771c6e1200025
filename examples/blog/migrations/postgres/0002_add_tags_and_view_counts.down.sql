-- every lock-taking statement gives up after this long instead of queueing the table's queries
SET LOCAL lock_timeout = '2s';

-- drop foreign key post_tags_tag_id_fkey on post_tags (safe)
ALTER TABLE "post_tags" DROP CONSTRAINT "post_tags_tag_id_fkey";

-- drop foreign key post_tags_post_id_fkey on post_tags (safe)
ALTER TABLE "post_tags" DROP CONSTRAINT "post_tags_post_id_fkey";

-- drop column posts.view_count (destructive)
--   data loss: the values of posts.view_count are deleted; the old app version still reads it
ALTER TABLE "posts" DROP COLUMN "view_count";

-- drop table post_tags (destructive)
--   data loss: every row of post_tags is deleted; the old app version still queries it
DROP TABLE "post_tags";

-- drop table tags (destructive)
--   data loss: every row of tags is deleted; the old app version still queries it
DROP TABLE "tags";

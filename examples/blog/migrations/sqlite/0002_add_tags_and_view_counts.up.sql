-- create table tags (safe)
CREATE TABLE "tags" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" text NOT NULL
);
CREATE UNIQUE INDEX "tags_name_key" ON "tags" ("name");

-- create table post_tags (safe)
CREATE TABLE "post_tags" (
    "post_id" bigint NOT NULL,
    "tag_id" bigint NOT NULL,
    PRIMARY KEY ("post_id", "tag_id"),
    FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("tag_id") REFERENCES "tags" ("id") ON DELETE CASCADE
);
CREATE INDEX "post_tags_tag_id_idx" ON "post_tags" ("tag_id");

-- add column posts.view_count integer NOT NULL DEFAULT 0 (safe)
ALTER TABLE "posts" ADD COLUMN "view_count" integer NOT NULL DEFAULT 0;

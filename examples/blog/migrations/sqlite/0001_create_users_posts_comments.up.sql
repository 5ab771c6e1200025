-- create table users (safe)
CREATE TABLE "users" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" text NOT NULL,
    "name" text,
    "role" text NOT NULL DEFAULT 'reader',
    "created_at" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_role_check" CHECK (role IN ('admin', 'author', 'reader'))
);
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");

-- create table posts (safe)
CREATE TABLE "posts" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "author_id" bigint NOT NULL,
    "title" text NOT NULL,
    "slug" text NOT NULL,
    "body" text NOT NULL,
    "status" text NOT NULL DEFAULT 'draft',
    "published_at" datetime,
    FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "posts_status_check" CHECK (status IN ('draft', 'published', 'archived'))
);
CREATE INDEX "posts_author_id_published_at_idx" ON "posts" ("author_id", "published_at");
CREATE UNIQUE INDEX "posts_slug_key" ON "posts" ("slug");

-- create table comments (safe)
CREATE TABLE "comments" (
    "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "post_id" bigint NOT NULL,
    "author_id" bigint,
    "body" text NOT NULL,
    "created_at" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE CASCADE,
    CONSTRAINT "comments_body_not_empty" CHECK (length(body) > 0)
);
CREATE INDEX "comments_post_id_idx" ON "comments" ("post_id");

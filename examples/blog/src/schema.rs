//! The blog's tables. `cargo schema generate` reads these structs; the derive proves the reading.

use chrono::{DateTime, Utc};
use schema_runtime::{Enum, Table};

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[schema(name = "user_role")]
#[sqlx(type_name = "user_role", rename_all = "snake_case")]
pub enum Role {
    Admin,
    Author,
    Reader,
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[schema(name = "post_status")]
#[sqlx(type_name = "post_status", rename_all = "snake_case")]
pub enum PostStatus {
    Draft,
    Published,
    Archived,
}

#[derive(Table, sqlx::FromRow, Debug)]
#[schema(table = "users")]
pub struct User {
    #[schema(primary_key, auto_increment)]
    pub id: i64,
    #[schema(unique)]
    pub email: String,
    #[schema(renamed_from = "name")]
    pub display_name: Option<String>,
    #[schema(default = "reader")]
    pub role: Role,
    #[schema(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: DateTime<Utc>,
}

#[derive(Table, sqlx::FromRow, Debug)]
#[schema(table = "posts")]
#[schema(index(author_id, published_at))]
pub struct Post {
    #[schema(primary_key, auto_increment)]
    pub id: i64,
    #[schema(references = "users.id", on_delete = "cascade")]
    pub author_id: i64,
    pub title: String,
    #[schema(unique)]
    pub slug: String,
    pub body: String,
    #[schema(default = "draft")]
    pub status: PostStatus,
    #[schema(default = 0)]
    pub view_count: i32,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Table, sqlx::FromRow, Debug)]
#[schema(table = "comments")]
#[schema(check(name = "comments_body_not_empty", expr = "length(body) > 0"))]
pub struct Comment {
    #[schema(primary_key, auto_increment)]
    pub id: i64,
    #[schema(references = "posts.id", on_delete = "cascade", index)]
    pub post_id: i64,
    /// Kept when the author's account is deleted.
    #[schema(references = "users.id", on_delete = "set null")]
    pub author_id: Option<i64>,
    pub body: String,
    #[schema(default_sql = "CURRENT_TIMESTAMP", index)]
    pub created_at: DateTime<Utc>,
}

#[derive(Table, sqlx::FromRow, Debug)]
#[schema(table = "tags")]
pub struct Tag {
    #[schema(primary_key, auto_increment)]
    pub id: i64,
    #[schema(unique)]
    pub name: String,
}

#[derive(Table, sqlx::FromRow, Debug)]
#[schema(table = "post_tags")]
#[schema(primary_key(post_id, tag_id))]
pub struct PostTag {
    #[schema(references = "posts.id", on_delete = "cascade")]
    pub post_id: i64,
    #[schema(references = "tags.id", on_delete = "cascade", index)]
    pub tag_id: i64,
}

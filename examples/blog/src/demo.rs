//! A few writes and reads through the migrated schema, with the same structs as `sqlx::FromRow`.

use crate::schema::{Post, PostStatus, Role, User};
use sqlx::{PgPool, SqlitePool};

pub async fn sqlite(pool: &SqlitePool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("INSERT INTO users (email, display_name, role) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING")
        .bind("ada@example.com")
        .bind("Ada")
        .bind(Role::Author)
        .execute(pool)
        .await?;
    let author: User = sqlx::query_as("SELECT * FROM users WHERE email = ?")
        .bind("ada@example.com")
        .fetch_one(pool)
        .await?;
    sqlx::query("INSERT INTO posts (author_id, title, slug, body, status) VALUES (?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING")
        .bind(author.id)
        .bind("Hello, schema")
        .bind("hello-schema")
        .bind("Migrations generated from Rust structs.")
        .bind(PostStatus::Published)
        .execute(pool)
        .await?;
    let posts: Vec<Post> = sqlx::query_as("SELECT * FROM posts WHERE author_id = ?")
        .bind(author.id)
        .fetch_all(pool)
        .await?;
    Ok(report(&author, &posts))
}

pub async fn postgres(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("INSERT INTO users (email, display_name, role) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING")
        .bind("ada@example.com")
        .bind("Ada")
        .bind(Role::Author)
        .execute(pool)
        .await?;
    let author: User = sqlx::query_as("SELECT * FROM users WHERE email = $1")
        .bind("ada@example.com")
        .fetch_one(pool)
        .await?;
    sqlx::query("INSERT INTO posts (author_id, title, slug, body, status) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slug) DO NOTHING")
        .bind(author.id)
        .bind("Hello, schema")
        .bind("hello-schema")
        .bind("Migrations generated from Rust structs.")
        .bind(PostStatus::Published)
        .execute(pool)
        .await?;
    let posts: Vec<Post> = sqlx::query_as("SELECT * FROM posts WHERE author_id = $1")
        .bind(author.id)
        .fetch_all(pool)
        .await?;
    Ok(report(&author, &posts))
}

fn report(author: &User, posts: &[Post]) -> Vec<String> {
    let name = author.display_name.as_deref().unwrap_or(&author.email);
    let mut lines = vec![format!(
        "{name} ({:?}) has {} post(s):",
        author.role,
        posts.len()
    )];
    for post in posts {
        lines.push(format!(
            "  [{:?}] {} (/{}; {} views)",
            post.status, post.title, post.slug, post.view_count
        ));
    }
    lines
}

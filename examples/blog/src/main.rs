//! The blog migrates its own database at start-up, then writes and reads a little data.
//!
//! SQLite (`blog.db` in the current directory) by default; PostgreSQL when `DATABASE_URL` is a
//! `postgres://` URL.

use std::error::Error;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| blog::app::DEFAULT_URL.into());
    for line in blog::app::run(&url).await? {
        println!("{line}");
    }
    Ok(())
}

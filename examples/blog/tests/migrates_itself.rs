//! The blog migrates its own database at start-up, on SQLite and on PostgreSQL, and a second
//! start finds the schema up to date.

use schema_tests::testdb;

async fn start_twice(url: &str, database: &str) {
    let first = blog::app::run(url).await.expect("first start");
    let applied: Vec<&String> = first.iter().filter(|l| l.contains("applied")).collect();
    assert_eq!(applied.len(), 4, "{first:?}");
    assert!(
        applied[0].contains("0001_create_users_posts_comments.up.sql"),
        "{first:?}"
    );
    assert!(
        first
            .iter()
            .any(|l| l.starts_with("Ada (Author) has 1 post(s)")),
        "{first:?}"
    );

    let second = blog::app::run(url).await.expect("second start");
    assert_eq!(second[0], format!("{database}: schema up to date"));
    assert!(
        second
            .iter()
            .any(|l| l.starts_with("Ada (Author) has 1 post(s)")),
        "{second:?}"
    );
}

#[tokio::test]
async fn on_sqlite() {
    let db = testdb::sqlite();
    start_twice(&db.url, "sqlite").await;
}

#[tokio::test]
async fn on_postgres() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    start_twice(&db.url, "postgres").await;
}

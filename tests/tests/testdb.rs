//! The test-database helper itself, on the real servers.

use schema_tests::testdb;
use sqlx::Connection;

#[tokio::test]
async fn postgres_database_is_created_and_dropped() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let current: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(current, db.name);
    conn.close().await.unwrap();
    let admin = db.admin_url().unwrap().to_string();
    let name = db.name.clone();
    drop(db);
    let mut admin_conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&mut admin_conn)
        .await
        .unwrap();
    assert_eq!(left, 0, "the test database must be dropped");
}

#[tokio::test]
async fn postgres_database_is_dropped_after_a_panic() {
    let Some(db) = testdb::postgres().await else {
        return;
    };
    let admin = db.admin_url().unwrap().to_string();
    let name = db.name.clone();
    let joined = std::thread::spawn(move || {
        let _db = db;
        panic!("simulated test failure");
    })
    .join();
    assert!(joined.is_err());
    let mut admin_conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&mut admin_conn)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn mysql_database_is_created_and_dropped() {
    let Some(db) = testdb::mysql().await else {
        return;
    };
    let mut conn = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
    let current: String = sqlx::query_scalar("SELECT CAST(DATABASE() AS CHAR)")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(current, db.name);
    conn.close().await.unwrap();
    let admin = db.admin_url().unwrap().to_string();
    let name = db.name.clone();
    drop(db);
    let mut admin_conn = sqlx::MySqlConnection::connect(&admin).await.unwrap();
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?",
    )
    .bind(&name)
    .fetch_one(&mut admin_conn)
    .await
    .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn sqlite_database_is_a_temp_file() {
    let db = testdb::sqlite();
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql("CREATE TABLE t (id integer)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    assert!(std::path::Path::new(&db.name).exists());
    let path = db.name.clone();
    drop(db);
    assert!(!std::path::Path::new(&path).exists());
}

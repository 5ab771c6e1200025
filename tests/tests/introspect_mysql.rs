//! Hand-written MySQL/MariaDB DDL, introspected, compared with a hand-built model.

use schema_core::model::{FkAction, Schema};
use schema_core::Dialect;
use schema_runtime::introspect;
use schema_tests::build::model::{auto_column, check, column, orgs, users};
use schema_tests::testdb;
use sqlx::{AssertSqlSafe, MySqlPool};

const DDL: &str = r#"
CREATE TABLE `orgs` (
    `id` bigint NOT NULL AUTO_INCREMENT,
    `name` varchar(100) NOT NULL,
    PRIMARY KEY (`id`)
);
CREATE TABLE `users` (
    `id` bigint NOT NULL AUTO_INCREMENT,
    `email` varchar(255) NOT NULL,
    `display_name` varchar(255),
    `org_id` bigint NOT NULL,
    `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `age` int NOT NULL DEFAULT 0,
    `balance` bigint NOT NULL DEFAULT -1,
    `role` enum('admin','member','read-only') NOT NULL DEFAULT 'member',
    `nickname` varchar(320) DEFAULT 'it''s',
    `type` varchar(255) NOT NULL,
    `score` double DEFAULT 1.5,
    `active` boolean NOT NULL DEFAULT true,
    `meta` json,
    CONSTRAINT `users_pkey` PRIMARY KEY (`id`),
    CONSTRAINT `users_email_key` UNIQUE (`email`),
    CONSTRAINT `users_org_id_email_key` UNIQUE (`org_id`, `email`),
    CONSTRAINT `users_org_id_fkey` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`)
        ON DELETE CASCADE,
    CONSTRAINT `users_age_ok` CHECK (`age` >= 0 AND `age` < 200)
);
CREATE INDEX `users_created_at_idx` ON `users` (`created_at`);
CREATE INDEX `users_org_id_created_at_idx` ON `users` (`org_id`, `created_at`);
CREATE TABLE `_schema_migrations` (`version` bigint PRIMARY KEY);
"#;

#[tokio::test]
async fn types_defaults_keys_indexes_checks_and_enums() {
    let Some(db) = testdb::mysql().await else {
        return;
    };
    let pool = MySqlPool::connect(&db.url)
        .await
        .expect("connect to the test database");
    sqlx::raw_sql(AssertSqlSafe(DDL.to_string()))
        .execute(&pool)
        .await
        .expect("apply the test DDL");
    let schema = introspect::mysql(&pool).await.expect("introspect");
    pool.close().await;

    let mut want = Schema::empty(Dialect::Mysql);
    let mut users = users(
        vec![
            auto_column("id", "bigint"),
            column("email", "varchar(255)", false, None),
            column("display_name", "varchar(255)", true, None),
            column("org_id", "bigint", false, None),
            column("created_at", "timestamp", false, Some("CURRENT_TIMESTAMP")),
            column("age", "int", false, Some("0")),
            column("balance", "bigint", false, Some("-1")),
            column(
                "role",
                "enum('admin','member','read-only')",
                false,
                Some("'member'"),
            ),
            column("nickname", "varchar(320)", true, Some("'it''s'")),
            column("type", "varchar(255)", false, None),
            column("score", "double", true, Some("1.5")),
            column("active", "boolean", false, Some("true")),
            column("meta", "json", true, None),
        ],
        FkAction::NoAction,
        false, // MySQL has no partial indexes
    );
    users.checks = vec![check("users_age_ok", "age >= 0 AND age < 200")];
    want.tables.insert("orgs".into(), orgs("bigint"));
    want.tables.insert("users".into(), users);
    assert_eq!(schema, want);
}

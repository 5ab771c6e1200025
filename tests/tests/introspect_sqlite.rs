//! Hand-written SQLite DDL, introspected, compared with a hand-built model.

use schema_core::model::{FkAction, Schema};
use schema_core::Dialect;
use schema_runtime::introspect;
use schema_tests::build::model::{
    categories, check, column, empty_table, orgs, select, strings, unique, users,
};
use schema_tests::testdb;
use sqlx::{AssertSqlSafe, SqlitePool};

async fn introspect_ddl(ddl: &str) -> Schema {
    let db = testdb::sqlite();
    let pool = SqlitePool::connect(&db.url)
        .await
        .expect("open the test database");
    sqlx::raw_sql(AssertSqlSafe(ddl.to_string()))
        .execute(&pool)
        .await
        .expect("apply the test DDL");
    let schema = introspect::sqlite(&pool).await.expect("introspect");
    pool.close().await;
    schema
}

const USERS_DDL: &str = r#"
CREATE TABLE "orgs" (
    "id" integer NOT NULL CONSTRAINT "orgs_pkey" PRIMARY KEY AUTOINCREMENT,
    "name" varchar(100) NOT NULL
);
CREATE TABLE "users" (
    "id" bigint NOT NULL,
    "email" text NOT NULL,
    "display_name" text,
    "org_id" integer NOT NULL,
    "created_at" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "age" integer NOT NULL DEFAULT 0,
    "balance" bigint NOT NULL DEFAULT -1,
    "role" text NOT NULL DEFAULT 'member' CONSTRAINT "users_role_check" CHECK ("role" IN ('admin', 'member', 'read-only')),
    "nickname" VARCHAR(320) DEFAULT 'it''s',
    "type" text NOT NULL,
    "score" real DEFAULT 1.50,
    "active" boolean NOT NULL DEFAULT true,
    "blob" blob,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "users_email_key" UNIQUE ("email"),
    CONSTRAINT "users_org_id_email_key" UNIQUE ("org_id", "email"),
    CONSTRAINT "users_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON DELETE CASCADE ON UPDATE RESTRICT,
    CONSTRAINT "users_age_ok" CHECK ((age >= 0) AND (age < 200))
);
CREATE INDEX "users_created_at_idx" ON "users" ("created_at");
CREATE INDEX "users_org_id_created_at_idx" ON "users" ("org_id", "created_at");
CREATE UNIQUE INDEX "users_live_email_idx" ON "users" ("email") WHERE "display_name" IS NOT NULL;
CREATE TABLE "_schema_migrations" ("version" integer PRIMARY KEY);
CREATE TABLE "_sqlx_migrations" ("version" integer PRIMARY KEY);
"#;

#[tokio::test]
async fn types_defaults_keys_indexes_checks() {
    let schema = introspect_ddl(USERS_DDL).await;

    let mut want = Schema::empty(Dialect::Sqlite);
    let mut users = users(
        vec![
            column("id", "bigint", false, None),
            column("email", "text", false, None),
            column("display_name", "text", true, None),
            column("org_id", "integer", false, None),
            column("created_at", "datetime", false, Some("CURRENT_TIMESTAMP")),
            column("age", "integer", false, Some("0")),
            column("balance", "bigint", false, Some("-1")),
            column("role", "text", false, Some("'member'")),
            column("nickname", "varchar(320)", true, Some("'it''s'")),
            column("type", "text", false, None),
            column("score", "real", true, Some("1.5")),
            column("active", "boolean", false, Some("true")),
            column("blob", "blob", true, None),
        ],
        FkAction::Restrict,
        true, // the partial index users_live_email_idx
    );
    users.checks = vec![
        check("users_age_ok", "age >= 0 AND age < 200"),
        check(
            "users_role_check",
            "role IN ('admin', 'member', 'read-only')",
        ),
    ];
    want.tables.insert("orgs".into(), orgs("integer"));
    want.tables.insert("users".into(), users);
    assert_eq!(schema, want);
}

const ODD_NAMES_DDL: &str = r#"
CREATE TABLE "select" (
    "from" integer NOT NULL,
    "order" integer NOT NULL,
    "Mixed Case" text,
    PRIMARY KEY ("from", "order"),
    CHECK ("order" IN (1, 2))
);
CREATE INDEX "select_order_idx" ON "select" ("order");
CREATE TABLE categories (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES categories ON DELETE SET NULL,
    code text UNIQUE
);
CREATE TABLE a_table_with_a_name_much_longer_than_postgres_would_ever_allow_for_an_identifier (
    x integer NOT NULL DEFAULT 7
);
"#;

#[tokio::test]
async fn unnamed_constraints_get_default_names_and_odd_names_survive() {
    let schema = introspect_ddl(ODD_NAMES_DDL).await;
    let long = "a_table_with_a_name_much_longer_than_postgres_would_ever_allow_for_an_identifier";

    let mut want = Schema::empty(Dialect::Sqlite);
    // A rowid alias (`categories.id`) is never NULL, though the text does not say NOT NULL.
    let mut categories = categories();
    categories.columns.push(column("code", "text", true, None));
    categories.uniques = vec![unique("categories_code_key", &["code"])];
    want.tables.insert("select".into(), select("select_check"));
    want.tables.insert("categories".into(), categories);
    want.tables.insert(
        long.into(),
        empty_table(long, vec![column("x", "integer", false, Some("7"))]),
    );
    assert_eq!(schema, want);
}

/// SQLite keeps a renamed table's old constraint names in its stored text; introspection
/// reports the primary and foreign keys under the names the renamed table would get.
#[tokio::test]
async fn key_names_follow_renames() {
    let schema = introspect_ddl(
        r#"
        CREATE TABLE "users" ("id" integer NOT NULL CONSTRAINT "users_pkey" PRIMARY KEY,
            "boss_id" integer CONSTRAINT "users_boss_id_fkey" REFERENCES "users" ("id"));
        ALTER TABLE "users" RENAME TO "people";
        ALTER TABLE "people" RENAME COLUMN "boss_id" TO "manager_id";
        "#,
    )
    .await;
    let people = &schema.tables["people"];
    assert_eq!(people.primary_key.as_ref().unwrap().name, "people_pkey");
    assert_eq!(people.foreign_keys.len(), 1);
    assert_eq!(people.foreign_keys[0].name, "people_manager_id_fkey");
    assert_eq!(people.foreign_keys[0].ref_table, "people");
    assert_eq!(people.foreign_keys[0].columns, strings(&["manager_id"]));
}

//! Issue 6 on a real PostgreSQL, through the runtime's `Migrator` (so `-- schema:no-transaction`
//! is honoured as in production): each safe form `generate` writes for a table that already
//! holds rows (concurrent index, unique through a concurrent index, NOT VALID foreign key and
//! check, CHECK-proven SET NOT NULL, enum value added and used) goes up to exactly the target
//! schema with the rows kept, and down to exactly the source schema.
//!
//! The same cases also run on PostgreSQL 16, 17 and 18 (throwaway servers from
//! [`embedded_pg`], one per major, each case in its own database) with the SQL generated for
//! that major (`Target::postgres(major)`): on 18, NOT NULL is added `NOT VALID` and validated.

use schema_core::decl::Declarations;
use schema_core::decl::TypeDecl::*;
use schema_core::generate::generate_for;
use schema_core::model::Schema;
use schema_core::plan::Target;
use schema_core::Dialect;
use schema_runtime::Migrator;
use schema_tests::build::{col, decls, enum_type, table, Tbl};
use schema_tests::scenario::{describe_difference, resolve};
use schema_tests::{embedded_pg, testdb};
use sqlx::{AssertSqlSafe, PgPool};

fn orgs() -> Tbl {
    table("orgs").col(col("id", I64).pk().auto())
}

fn users() -> Tbl {
    users_with_email(col("email", String).null())
}

fn users_with_email(email: schema_tests::build::Col) -> Tbl {
    table("users")
        .col(col("id", I64).pk().auto())
        .col(email)
        .col(col("org_id", I64).null())
        .col(col("age", I32).null())
}

const SEED: &str = "INSERT INTO orgs DEFAULT VALUES; INSERT INTO orgs DEFAULT VALUES;\n\
    INSERT INTO users (email, org_id, age) VALUES ('a@x', 1, 30), ('b@x', 2, 40), ('c@x', NULL, 50);";

async fn introspect(pool: &PgPool) -> Schema {
    schema_runtime::introspect::postgres(pool, "public")
        .await
        .expect("introspect")
}

#[track_caller]
fn same(want: &Schema, got: &Schema, when: &str) {
    assert!(
        schema_core::compare::equivalent(want, got),
        "{when}: {}",
        describe_difference(want, got)
    );
}

/// Generates source (0001) and source -> target (0002) for `target`, applies 0001 and the
/// seed, then 0002 up and down through the migrator; returns the up file of 0002.
async fn round_trip(
    source: Declarations,
    target: Declarations,
    pg: Target,
) -> Option<std::string::String> {
    let db = testdb::postgres().await?;
    let trip = round_trip_on(&db.url, source, target, pg).await;
    trip.pool.close().await;
    Some(trip.up_sql)
}

/// A finished round trip: the database is at the target schema (0002 applied again).
struct Trip {
    up_sql: std::string::String,
    pool: PgPool,
    migrator: Migrator,
    source: Schema,
    /// The migrations folder: the migrator reads a down file when it rolls back.
    _dir: tempfile::TempDir,
}

/// [`round_trip`] on the empty database at `url`.
async fn round_trip_on(url: &str, source: Declarations, target: Declarations, pg: Target) -> Trip {
    let pool = PgPool::connect(url).await.expect("connect");
    let (s0, _) = resolve(&source, Dialect::Postgres).unwrap();
    let (s1, hints) = resolve(&target, Dialect::Postgres).unwrap();
    let create = generate_for(
        &Schema::empty(Dialect::Postgres),
        &s0,
        &Default::default(),
        pg,
    )
    .unwrap();
    let change = generate_for(&s0, &s1, &hints, pg).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, sql: &str| std::fs::write(dir.path().join(name), sql).unwrap();
    write("0001_create.up.sql", &create.up_sql);
    write("0001_create.down.sql", &create.down_sql);
    let migrator = Migrator::from_dir(dir.path()).unwrap();
    migrator.run(&pool).await.expect("0001 up");
    sqlx::raw_sql(AssertSqlSafe(SEED))
        .execute(&pool)
        .await
        .unwrap();
    write("0002_change.up.sql", &change.up_sql);
    write("0002_change.down.sql", &change.down_sql);
    let migrator = Migrator::from_dir(dir.path()).unwrap();
    migrator
        .run(&pool)
        .await
        .unwrap_or_else(|e| panic!("0002 up: {e}\n{}", change.up_sql));
    same(&s1, &introspect(&pool).await, "after up");
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(kept, 3, "rows kept");
    migrator
        .rollback_to(&pool, 1)
        .await
        .unwrap_or_else(|e| panic!("0002 down: {e}\n{}", change.down_sql));
    same(&s0, &introspect(&pool).await, "after down");
    migrator.run(&pool).await.expect("0002 up again");
    same(&s1, &introspect(&pool).await, "after the second up");
    Trip {
        up_sql: change.up_sql,
        pool,
        migrator,
        source: s0,
        _dir: dir,
    }
}

fn schema_of(users: Tbl) -> Declarations {
    decls(vec![], vec![orgs(), users])
}

#[tokio::test]
async fn index_built_concurrently() {
    let Some(up) = round_trip(
        schema_of(users()),
        schema_of(users().index(&["age"])),
        Target::default(),
    )
    .await
    else {
        return;
    };
    assert!(up.starts_with("-- schema:no-transaction\n"), "{up}");
    assert!(
        up.contains("CREATE INDEX CONCURRENTLY \"users_age_idx\""),
        "{up}"
    );
}

#[tokio::test]
async fn unique_through_a_concurrent_index() {
    let Some(up) = round_trip(
        schema_of(users()),
        schema_of(users().unique(&["email"])),
        Target::default(),
    )
    .await
    else {
        return;
    };
    assert!(
        up.contains("CREATE UNIQUE INDEX CONCURRENTLY \"users_email_key\""),
        "{up}"
    );
    assert!(
        up.contains("UNIQUE USING INDEX \"users_email_key\""),
        "{up}"
    );
}

#[tokio::test]
async fn foreign_key_and_check_not_valid_then_validated() {
    let target = users()
        .edit_col("org_id", |c| c.references("orgs", "id"))
        .check("users_age_ok", "age >= 0");
    let Some(up) = round_trip(schema_of(users()), schema_of(target), Target::default()).await
    else {
        return;
    };
    assert!(up.contains("NOT VALID;\n"), "{up}");
    assert!(
        up.contains("VALIDATE CONSTRAINT \"users_org_id_fkey\""),
        "{up}"
    );
    assert!(up.contains("VALIDATE CONSTRAINT \"users_age_ok\""), "{up}");
}

#[tokio::test]
async fn set_not_null_through_a_validated_check() {
    let target = users_with_email(col("email", String));
    let Some(up) = round_trip(schema_of(users()), schema_of(target), Target::default()).await
    else {
        return;
    };
    assert!(
        up.contains("CHECK (\"email\" IS NOT NULL) NOT VALID"),
        "{up}"
    );
    // PostgreSQL 11 has no scan-free path: the plain form.
    let plain = users_with_email(col("email", String));
    if let Some(up) = round_trip(schema_of(users()), schema_of(plain), Target::postgres(11)).await {
        assert!(!up.contains("NOT VALID"), "{up}");
    }
}

#[tokio::test]
async fn enum_value_added_and_used_as_a_default() {
    let with = |values: &[&str], default: &str| {
        decls(
            vec![enum_type("mood", values)],
            vec![
                orgs(),
                users().col(col("mood", Enum("mood".into())).default_str(default)),
            ],
        )
    };
    let Some(up) = round_trip(
        with(&["ok"], "ok"),
        with(&["ok", "great"], "great"),
        Target::default(),
    )
    .await
    else {
        return;
    };
    assert!(up.starts_with("-- schema:no-transaction\n"), "{up}");
}

#[tokio::test]
async fn rollback_of_a_dropped_required_column_works_on_a_populated_table() {
    let without_email = table("users")
        .col(col("id", I64).pk().auto())
        .col(col("org_id", I64).null())
        .col(col("age", I32).null());
    let Some(up) = round_trip(
        schema_of(users_with_email(col("email", String))),
        schema_of(without_email),
        Target::default(),
    )
    .await
    else {
        return;
    };
    assert!(up.contains("DROP COLUMN \"email\""), "{up}");
}

/// Each safe form of this file, with what its up file must contain on PostgreSQL `major`.
type Case = (&'static str, Declarations, Declarations, Vec<&'static str>);

fn cases(major: u32) -> Vec<Case> {
    let mood = |values: &[&str], default: &str| {
        decls(
            vec![enum_type("mood", values)],
            vec![
                orgs(),
                users().col(col("mood", Enum("mood".into())).default_str(default)),
            ],
        )
    };
    let without_email = table("users")
        .col(col("id", I64).pk().auto())
        .col(col("org_id", I64).null())
        .col(col("age", I32).null());
    let not_null = if major >= 18 {
        vec![
            "ADD CONSTRAINT \"users_email_not_null\" NOT NULL \"email\" NOT VALID;\n",
            "VALIDATE CONSTRAINT \"users_email_not_null\";\n",
        ]
    } else {
        vec![
            "CHECK (\"email\" IS NOT NULL) NOT VALID;\n",
            "SET NOT NULL;\n",
        ]
    };
    vec![
        (
            "index",
            schema_of(users()),
            schema_of(users().index(&["age"])),
            vec!["CREATE INDEX CONCURRENTLY \"users_age_idx\""],
        ),
        (
            "unique",
            schema_of(users()),
            schema_of(users().unique(&["email"])),
            vec![
                "CREATE UNIQUE INDEX CONCURRENTLY \"users_email_key\"",
                "UNIQUE USING INDEX \"users_email_key\"",
            ],
        ),
        (
            "foreign key and check",
            schema_of(users()),
            schema_of(
                users()
                    .edit_col("org_id", |c| c.references("orgs", "id"))
                    .check("users_age_ok", "age >= 0"),
            ),
            vec![
                "VALIDATE CONSTRAINT \"users_org_id_fkey\"",
                "VALIDATE CONSTRAINT \"users_age_ok\"",
            ],
        ),
        (
            "set not null",
            schema_of(users()),
            schema_of(users_with_email(col("email", String))),
            not_null,
        ),
        (
            "enum value",
            mood(&["ok"], "ok"),
            mood(&["ok", "great"], "great"),
            vec!["ADD VALUE 'great'"],
        ),
        (
            "dropped required column",
            schema_of(users_with_email(col("email", String))),
            schema_of(without_email),
            vec!["DROP COLUMN \"email\""],
        ),
    ]
}

/// Every case on one throwaway PostgreSQL `major`, generated for that major.
async fn safe_forms_on(major: u32) {
    let Some(server) = embedded_pg::start(major).await else {
        return;
    };
    for (name, source, target, expect) in cases(major) {
        let url = server.database().await;
        let trip = round_trip_on(&url, source, target, Target::postgres(major)).await;
        for e in expect {
            assert!(
                trip.up_sql.contains(e),
                "PostgreSQL {}, {name}: lacks {e:?}:\n{}",
                server.version,
                trip.up_sql
            );
        }
        if name == "set not null" {
            not_null_catalog(&server, trip).await;
        } else {
            trip.pool.close().await;
        }
    }
}

type ConstraintRow = (std::string::String, std::string::String, bool);

/// `users.email`'s attnotnull and its CHECK and not-null constraints (name, kind, validated).
async fn email_constraints(pool: &PgPool) -> (bool, Vec<ConstraintRow>) {
    let not_null: bool = sqlx::query_scalar(
        "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let constraints: Vec<ConstraintRow> = sqlx::query_as(
        "SELECT conname::text, contype::text, convalidated FROM pg_constraint \
         WHERE conrelid = 'users'::regclass AND contype IN ('c', 'n') \
         AND conkey = ARRAY[(SELECT attnum FROM pg_attribute \
                             WHERE attrelid = 'users'::regclass AND attname = 'email')] \
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    (not_null, constraints)
}

/// After the NOT NULL round trip: the column is NOT NULL with no CHECK left; on 18 through one
/// validated not-null constraint with the name the migration gave it (16 and 17 have no
/// not-null constraints in pg_constraint). After the down, neither remains.
async fn not_null_catalog(server: &embedded_pg::EmbeddedPostgres, trip: Trip) {
    let v = &server.version;
    let (not_null, constraints) = email_constraints(&trip.pool).await;
    assert!(not_null, "PostgreSQL {v}: email is not NOT NULL");
    let want: Vec<ConstraintRow> = if server.major >= 18 {
        vec![("users_email_not_null".into(), "n".into(), true)]
    } else {
        vec![]
    };
    assert_eq!(constraints, want, "PostgreSQL {v}");
    trip.migrator
        .rollback_to(&trip.pool, 1)
        .await
        .expect("0002 down again");
    same(
        &trip.source,
        &introspect(&trip.pool).await,
        "after the second down",
    );
    let (not_null, constraints) = email_constraints(&trip.pool).await;
    assert!(
        !not_null,
        "PostgreSQL {v}: email still NOT NULL after the down"
    );
    assert!(constraints.is_empty(), "PostgreSQL {v}: {constraints:?}");
    trip.pool.close().await;
}

#[tokio::test]
async fn safe_forms_on_postgres_16() {
    safe_forms_on(16).await;
}

#[tokio::test]
async fn safe_forms_on_postgres_17() {
    safe_forms_on(17).await;
}

#[tokio::test]
async fn safe_forms_on_postgres_18() {
    safe_forms_on(18).await;
}

//! The rollback gate of the runtime (`Migrator::rollback_*`), on PostgreSQL, SQLite and
//! MariaDB with real rows, on hand-written down files: a down file that would delete data is
//! refused before anything is undone, with the row counts, sample keys and the key that
//! acknowledges it; one whose data the old schema cannot hold is refused whatever is
//! acknowledged.

mod runtime_support;

use runtime_support::{execute, texts, Folder};
use schema_runtime::migrator::{AcceptDataLoss, CheckKind, DataCheck, RollbackTarget};
use schema_runtime::{DatabasePool, Dialect, MigrateError, Migrator, MigratorOptions};
use schema_tests::testdb::{self, TestDb};

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql];

/// A fresh database of `dialect` (`None`: the server is unreachable outside CI).
async fn database(dialect: Dialect) -> Option<(TestDb, DatabasePool)> {
    let db = match dialect {
        Dialect::Postgres => testdb::postgres().await?,
        Dialect::Mysql => testdb::mysql().await?,
        Dialect::Sqlite => testdb::sqlite(),
    };
    let pool = DatabasePool::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Some((db, pool))
}

fn accepting(migrator: &Migrator, accept: AcceptDataLoss) -> Migrator {
    migrator.with_options(MigratorOptions::DEFAULT.accept_data_loss(accept))
}

/// The refusal's findings; panics on anything else.
#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, MigrateError>) -> Vec<DataCheck> {
    match result {
        Err(MigrateError::RollbackRefused(refusal)) => {
            let text = refusal.to_string();
            assert!(text.contains("nothing was undone"), "{text}");
            refusal.checks
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn version(pool: &DatabasePool, migrator: &Migrator) -> Option<i64> {
    migrator.status(pool).await.unwrap().current_version
}

const USERS: (&str, &str) = (
    "0001_users.up.sql",
    "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100) NOT NULL, age integer);\n",
);
const USERS_DOWN: (&str, &str) = ("0001_users.down.sql", "DROP TABLE users;\n");
const BIO: (&str, &str) = (
    "0002_bio.up.sql",
    "ALTER TABLE users ADD COLUMN bio text;\n",
);
const BIO_DOWN: (&str, &str) = ("0002_bio.down.sql", "ALTER TABLE users DROP COLUMN bio;\n");

#[tokio::test]
async fn a_dropped_column_or_table_with_data_is_refused_until_acknowledged() {
    for dialect in DIALECTS {
        let Some((_db, pool)) = database(dialect).await else {
            continue;
        };
        let folder = Folder::new(&[USERS, USERS_DOWN, BIO, BIO_DOWN]);
        let migrator = folder.migrator();
        migrator.run(&pool).await.unwrap();
        execute(
            &pool,
            "INSERT INTO users (id, email, bio) VALUES (1, 'a', 'x'), (2, 'b', NULL), (3, 'c', 'z')",
        )
        .await;

        let checks = refused(migrator.rollback_steps(&pool, 1).await);
        assert_eq!(checks.len(), 1, "{dialect}: {checks:?}");
        let check = &checks[0];
        assert_eq!(check.kind, CheckKind::DataLoss, "{dialect}");
        assert_eq!(check.rows, 2, "{dialect}");
        assert_eq!(check.sample_keys, ["1", "3"], "{dialect}");
        assert_eq!(check.accept.as_deref(), Some("drop column users.bio"));
        assert_eq!((check.version, check.line), (2, 1));
        assert!(check
            .to_string()
            .contains("--accept \"drop column users.bio\""));
        // Nothing was undone.
        assert_eq!(version(&pool, &migrator).await, Some(2), "{dialect}");
        assert_eq!(
            texts(&pool, "SELECT bio FROM users WHERE id = 1").await,
            ["x"]
        );

        // The plan says the same, and touches nothing.
        let plan = migrator
            .plan_rollback(&pool, RollbackTarget::Steps(1))
            .await
            .unwrap();
        assert!(plan.refused(), "{dialect}");
        assert_eq!(plan.checks, checks, "{dialect}");

        // Everything: both findings, in the order the statements would run.
        let checks = refused(migrator.rollback_to(&pool, 0).await);
        let found: Vec<(&str, i64)> = checks
            .iter()
            .map(|c| (c.accept.as_deref().unwrap_or(""), c.rows))
            .collect();
        assert_eq!(
            found,
            [("drop column users.bio", 2), ("drop table users", 3)],
            "{dialect}"
        );

        // One key acknowledged: that step runs; the table is still refused.
        let bio_only = accepting(&migrator, AcceptDataLoss::keys(["drop column users.bio"]));
        let done = bio_only.rollback_steps(&pool, 1).await.unwrap();
        assert_eq!(done.migrations.len(), 1, "{dialect}");
        let checks = refused(bio_only.rollback_to(&pool, 0).await);
        assert_eq!(checks[0].accept.as_deref(), Some("drop table users"));
        assert_eq!(checks[0].sample_keys, ["1", "2", "3"], "{dialect}");
        assert_eq!(version(&pool, &migrator).await, Some(1), "{dialect}");
        accepting(&migrator, AcceptDataLoss::all())
            .rollback_to(&pool, 0)
            .await
            .unwrap();
        assert_eq!(version(&pool, &migrator).await, None, "{dialect}");

        // Without data nothing stands in the way.
        migrator.run(&pool).await.unwrap();
        migrator.rollback_to(&pool, 0).await.unwrap();
    }
}

/// A rename in a later down file, then the drop of the column in an earlier one: the data is
/// counted under the column's live name, and the harmless newest step is not undone either.
#[tokio::test]
async fn the_rollback_is_followed_through_renames() {
    for dialect in DIALECTS {
        let Some((_db, pool)) = database(dialect).await else {
            continue;
        };
        let folder = Folder::new(&[
            USERS,
            USERS_DOWN,
            BIO,
            BIO_DOWN,
            (
                "0003_about.up.sql",
                "ALTER TABLE users RENAME COLUMN bio TO about;\n",
            ),
            (
                "0003_about.down.sql",
                "ALTER TABLE users RENAME COLUMN about TO bio;\n",
            ),
        ]);
        let migrator = folder.migrator();
        migrator.run(&pool).await.unwrap();
        execute(
            &pool,
            "INSERT INTO users (id, email, about) VALUES (7, 'a', 'kept')",
        )
        .await;
        let checks = refused(migrator.rollback_to(&pool, 1).await);
        assert_eq!(checks.len(), 1, "{dialect}: {checks:?}");
        assert_eq!(checks[0].accept.as_deref(), Some("drop column users.bio"));
        assert_eq!((checks[0].rows, checks[0].version), (1, 2));
        assert_eq!(checks[0].sample_keys, ["7"]);
        assert_eq!(version(&pool, &migrator).await, Some(3), "{dialect}");
        assert_eq!(texts(&pool, "SELECT about FROM users").await, ["kept"]);
    }
}

/// The per-dialect up and down files of a change whose rollback meets data the old schema
/// cannot hold, the rows that make it so, and what the refusal must say.
struct WontFit {
    files: Vec<(&'static str, String)>,
    rows: &'static str,
    count: i64,
    keys: &'static [&'static str],
    what: &'static str,
}

async fn assert_refused_whatever_is_accepted(dialect: Dialect, case: WontFit) {
    let Some((_db, pool)) = database(dialect).await else {
        return;
    };
    let files: Vec<(&str, &str)> = case.files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    let folder = Folder::new(&files);
    let migrator = folder.migrator();
    migrator.run(&pool).await.unwrap();
    execute(&pool, case.rows).await;
    let all = accepting(&migrator, AcceptDataLoss::all());
    for migrator in [&migrator, &all] {
        let checks = refused(migrator.rollback_steps(&pool, 1).await);
        let check = checks
            .iter()
            .find(|c| c.kind == CheckKind::WontFit)
            .unwrap_or_else(|| panic!("{dialect}: {checks:?}"));
        assert_eq!(check.rows, case.count, "{dialect}: {check}");
        assert_eq!(check.sample_keys, case.keys, "{dialect}: {check}");
        assert!(check.to_string().contains(case.what), "{dialect}: {check}");
        assert!(check.refuses());
        assert_eq!(version(&pool, migrator).await, Some(2), "{dialect}");
    }
}

fn pair(version: u8, name: &str, up: &str, down: &str) -> Vec<(&'static str, String)> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    vec![
        (leak(format!("000{version}_{name}.up.sql")), up.to_string()),
        (
            leak(format!("000{version}_{name}.down.sql")),
            down.to_string(),
        ),
    ]
}

fn with_users(mut more: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    more.push((USERS.0, USERS.1.to_string()));
    more.push((USERS_DOWN.0, USERS_DOWN.1.to_string()));
    more
}

#[tokio::test]
async fn a_value_above_the_old_integer_range_is_refused() {
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let (up, down) = match dialect {
            Dialect::Postgres => (
                "ALTER TABLE users ALTER COLUMN age TYPE bigint;",
                "ALTER TABLE users ALTER COLUMN age TYPE integer;",
            ),
            _ => (
                "ALTER TABLE users MODIFY COLUMN age bigint;",
                "ALTER TABLE users MODIFY COLUMN age int;",
            ),
        };
        let case = WontFit {
            files: with_users(pair(2, "age_bigint", up, down)),
            rows: "INSERT INTO users (id, email, age) VALUES (1, 'a', 3000000000), (2, 'b', 5), (3, 'c', -2147483649)",
            count: 2,
            keys: &["1", "3"],
            what: "changes users.age to",
        };
        assert_refused_whatever_is_accepted(dialect, case).await;
    }
}

#[tokio::test]
async fn an_enum_value_added_since_is_refused() {
    for dialect in DIALECTS {
        let (create, drop, up, down) = match dialect {
            Dialect::Postgres => (
                "CREATE TYPE ticket_status AS ENUM ('open');\nCREATE TABLE tickets (id integer PRIMARY KEY, status ticket_status NOT NULL);",
                "DROP TABLE tickets;\nDROP TYPE ticket_status;",
                "-- schema:no-transaction\nALTER TYPE ticket_status ADD VALUE 'closed';",
                "ALTER TYPE \"ticket_status\" RENAME TO \"ticket_status__old\";\n\
                 CREATE TYPE \"ticket_status\" AS ENUM ('open');\n\
                 ALTER TABLE \"tickets\" ALTER COLUMN \"status\" TYPE \"ticket_status\" USING \"status\"::text::\"ticket_status\";\n\
                 DROP TYPE \"ticket_status__old\";",
            ),
            Dialect::Mysql => (
                "CREATE TABLE tickets (id int PRIMARY KEY, status ENUM('open') NOT NULL);",
                "DROP TABLE tickets;",
                "ALTER TABLE tickets MODIFY COLUMN status ENUM('open', 'closed') NOT NULL;",
                "ALTER TABLE `tickets` MODIFY COLUMN `status` ENUM('open') NOT NULL;",
            ),
            Dialect::Sqlite => (
                "CREATE TABLE tickets (id integer PRIMARY KEY, status text NOT NULL CHECK (status IN ('open')));",
                "DROP TABLE tickets;",
                "CREATE TABLE __new_tickets (id integer PRIMARY KEY, status text NOT NULL CHECK (status IN ('open', 'closed')));\n\
                 INSERT INTO __new_tickets (id, status) SELECT id, status FROM tickets;\n\
                 DROP TABLE tickets;\nALTER TABLE __new_tickets RENAME TO tickets;",
                "CREATE TABLE \"__new_tickets\" (\"id\" integer PRIMARY KEY, \"status\" text NOT NULL, CONSTRAINT \"tickets_status_check\" CHECK (\"status\" IN ('open')));\n\
                 INSERT INTO \"__new_tickets\" (\"id\", \"status\") SELECT \"id\", \"status\" FROM \"tickets\";\n\
                 DROP TABLE \"tickets\";\nALTER TABLE \"__new_tickets\" RENAME TO \"tickets\";",
            ),
        };
        let mut files = pair(1, "tickets", create, drop);
        files.extend(pair(2, "closed", up, down));
        let what = match dialect {
            Dialect::Sqlite => "adds check",
            _ => "changes tickets.status to",
        };
        let case = WontFit {
            files,
            rows:
                "INSERT INTO tickets (id, status) VALUES (1, 'open'), (2, 'closed'), (3, 'closed')",
            count: 2,
            keys: &["2", "3"],
            what,
        };
        assert_refused_whatever_is_accepted(dialect, case).await;
    }
}

#[tokio::test]
async fn nulls_in_a_column_that_becomes_required_again_are_refused() {
    for dialect in DIALECTS {
        let (up, down) = match dialect {
            Dialect::Postgres => (
                "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;".to_string(),
                "ALTER TABLE users ALTER COLUMN email SET NOT NULL;".to_string(),
            ),
            Dialect::Mysql => (
                "ALTER TABLE users MODIFY COLUMN email varchar(100) NULL;".to_string(),
                "ALTER TABLE users MODIFY COLUMN email varchar(100) NOT NULL;".to_string(),
            ),
            Dialect::Sqlite => {
                let rebuild = |email: &str| {
                    format!(
                        "CREATE TABLE __new_users (id integer PRIMARY KEY, email varchar(100) {email}, age integer);\n\
                         INSERT INTO __new_users (id, email, age) SELECT id, email, age FROM users;\n\
                         DROP TABLE users;\nALTER TABLE __new_users RENAME TO users;"
                    )
                };
                (rebuild("NULL"), rebuild("NOT NULL"))
            }
        };
        let case = WontFit {
            files: with_users(pair(2, "email_optional", &up, &down)),
            rows: "INSERT INTO users (id, email) VALUES (1, NULL), (2, 'b'), (3, NULL), (4, NULL), (5, NULL), (6, NULL), (7, NULL)",
            count: 6,
            keys: &["1", "3", "4", "5", "6"],
            what: "NULL",
        };
        assert_refused_whatever_is_accepted(dialect, case).await;
    }
}

#[tokio::test]
async fn rows_violating_a_check_the_down_re_adds_are_refused() {
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let (up, down) = match dialect {
            Dialect::Postgres => (
                "ALTER TABLE users DROP CONSTRAINT users_age_check;",
                "ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;\n\
                 ALTER TABLE users VALIDATE CONSTRAINT users_age_check;",
            ),
            _ => (
                "ALTER TABLE users DROP CONSTRAINT users_age_check;",
                "ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0);",
            ),
        };
        let mut files = pair(
            1,
            "users",
            "CREATE TABLE users (id integer PRIMARY KEY, age integer, CONSTRAINT users_age_check CHECK (age >= 0));",
            "DROP TABLE users;",
        );
        files.extend(pair(2, "any_age", up, down));
        let case = WontFit {
            files,
            rows: "INSERT INTO users (id, age) VALUES (1, -1), (2, 5), (3, NULL)",
            count: 1,
            keys: &["1"],
            what: "adds check users_age_check (age >= 0) on users",
        };
        assert_refused_whatever_is_accepted(dialect, case).await;
    }
}

/// A SQLite table rebuild that leaves a column out of its copy loses that column's data:
/// refused as `drop column`, acknowledged by that key.
#[tokio::test]
async fn a_sqlite_rebuild_that_leaves_a_column_out_loses_its_data() {
    let Some((_db, pool)) = database(Dialect::Sqlite).await else {
        return;
    };
    let folder = Folder::new(&[
        USERS,
        USERS_DOWN,
        BIO,
        (
            "0002_bio.down.sql",
            "-- schema:foreign-keys=off\n\
             CREATE TABLE \"__new_users\" (\"id\" integer PRIMARY KEY, \"email\" varchar(100) NOT NULL, \"age\" integer);\n\
             INSERT INTO \"__new_users\" (\"id\", \"email\", \"age\") SELECT \"id\", \"email\", \"age\" FROM \"users\";\n\
             DROP TABLE \"users\";\n\
             ALTER TABLE \"__new_users\" RENAME TO \"users\";\n",
        ),
    ]);
    let migrator = folder.migrator();
    migrator.run(&pool).await.unwrap();
    execute(
        &pool,
        "INSERT INTO users (id, email, bio) VALUES (1, 'a', 'x'), (2, 'b', NULL)",
    )
    .await;
    let checks = refused(migrator.rollback_steps(&pool, 1).await);
    assert_eq!(checks.len(), 1, "{checks:?}");
    assert_eq!(checks[0].accept.as_deref(), Some("drop column users.bio"));
    assert_eq!((checks[0].rows, checks[0].line), (1, 4));
    assert_eq!(checks[0].sample_keys, ["1"]);
    accepting(&migrator, AcceptDataLoss::keys(["drop column users.bio"]))
        .rollback_steps(&pool, 1)
        .await
        .unwrap();
    assert_eq!(
        texts(&pool, "SELECT email FROM users ORDER BY id").await,
        ["a", "b"]
    );
}

#[tokio::test]
async fn a_string_longer_than_the_old_length_is_refused() {
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let (up, down) = match dialect {
            Dialect::Postgres => (
                "ALTER TABLE users ALTER COLUMN email TYPE varchar(500);",
                "ALTER TABLE users ALTER COLUMN email TYPE varchar(100);",
            ),
            _ => (
                "ALTER TABLE users MODIFY COLUMN email varchar(500) NOT NULL;",
                "ALTER TABLE users MODIFY COLUMN email varchar(100) NOT NULL;",
            ),
        };
        let long = "x".repeat(150);
        let rows: &'static str = Box::leak(
            format!("INSERT INTO users (id, email) VALUES (1, 'short'), (2, '{long}')")
                .into_boxed_str(),
        );
        let case = WontFit {
            files: with_users(pair(2, "longer_emails", up, down)),
            rows,
            count: 1,
            keys: &["2"],
            what: "1 row holds a value longer than 100",
        };
        assert_refused_whatever_is_accepted(dialect, case).await;
    }
}

#[tokio::test]
async fn duplicates_before_a_unique_constraint_the_down_re_adds_are_refused() {
    for dialect in DIALECTS {
        let (up, down) = match dialect {
            Dialect::Mysql => (
                "ALTER TABLE users DROP INDEX users_email_key;",
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
            ),
            Dialect::Postgres => (
                "ALTER TABLE users DROP CONSTRAINT users_email_key;",
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
            ),
            Dialect::Sqlite => (
                "DROP INDEX users_email_key;",
                "CREATE UNIQUE INDEX users_email_key ON users (email);",
            ),
        };
        let create = match dialect {
            Dialect::Sqlite => "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100));\nCREATE UNIQUE INDEX users_email_key ON users (email);",
            _ => "CREATE TABLE users (id integer PRIMARY KEY, email varchar(100), CONSTRAINT users_email_key UNIQUE (email));",
        };
        let mut files = pair(1, "users", create, "DROP TABLE users;");
        files.extend(pair(2, "shared_emails", up, down));
        let case = WontFit {
            files,
            rows: "INSERT INTO users (id, email) VALUES (1, 'a'), (2, 'a'), (3, 'b'), (4, 'b'), (5, 'c'), (6, NULL), (7, NULL)",
            count: 2,
            keys: &["a", "b"],
            what: "2 values are held by more than one row",
        };
        assert_refused_whatever_is_accepted(dialect, case).await;
    }
}

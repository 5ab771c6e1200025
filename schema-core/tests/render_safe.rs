//! The PostgreSQL safe forms as text: each form for a table that already exists, the plain
//! form for a table created in the same migration, the `lock_timeout` settings, the
//! no-transaction directive, the down forms, and the PostgreSQL-version differences.

mod common;

use common::*;
use schema_core::decl::*;
use schema_core::generate::{generate_for, Generated};
use schema_core::plan::Target;
use schema_core::Dialect;

fn gen_on(before: &Declarations, after: &Declarations, target: Target) -> Generated {
    let (a, _) = schema(before, Dialect::Postgres);
    let (b, hints) = schema(after, Dialect::Postgres);
    generate_for(&a, &b, &hints, target).unwrap()
}

fn gen(before: &Declarations, after: &Declarations) -> Generated {
    gen_on(before, after, Target::default())
}

/// The statements, comments left out.
fn statements(sql: &str) -> Vec<&str> {
    sql.lines()
        .filter(|l| !l.starts_with("--") && !l.is_empty())
        .collect()
}

fn with_posts(f: impl FnOnce(&mut TableDecl)) -> Declarations {
    let mut d = blog();
    f(&mut d.tables[1]);
    d
}

#[test]
fn index_on_an_existing_table_is_concurrent_with_the_longer_lock_budget() {
    let after = with_posts(|t| {
        t.indexes.push(IndexDecl {
            name: None,
            columns: vec!["title".into()],
            predicate: None,
        })
    });
    let g = gen(&blog(), &after);
    assert_eq!(
        g.up_sql,
        "-- schema:no-transaction\n\
         \n\
         -- every lock-taking statement gives up after this long instead of queueing the table's queries\n\
         SET lock_timeout = '1500ms';\n\
         \n\
         -- add index posts_title_idx on posts (title) (needs care)\n\
         --   CREATE INDEX blocks writes (SHARE lock) for the whole build\n\
         SET lock_timeout = '60s';\n\
         CREATE INDEX CONCURRENTLY \"posts_title_idx\" ON \"posts\" (\"title\");\n\
         SET lock_timeout = '1500ms';\n"
    );
    assert_eq!(
        statements(&g.down_sql),
        [
            "SET lock_timeout = '1500ms';",
            "SET lock_timeout = '60s';",
            "DROP INDEX CONCURRENTLY \"posts_title_idx\";",
            "SET lock_timeout = '1500ms';",
        ]
    );
    assert!(g.down_sql.starts_with("-- schema:no-transaction\n"));
    assert_eq!(
        g.changes[0].action,
        "CREATE INDEX CONCURRENTLY, outside a transaction"
    );
}

#[test]
fn a_new_tables_objects_get_the_plain_form_in_one_transaction() {
    let mut before = blog();
    before.tables.pop();
    let mut after = with_posts(|t| {
        t.indexes.push(IndexDecl {
            name: None,
            columns: vec!["title".into()],
            predicate: None,
        });
        t.uniques.push(UniqueDecl {
            name: None,
            columns: vec!["user_id".into(), "title".into()],
        });
        t.checks.push(CheckDecl {
            name: "posts_title_ok".into(),
            expr: "title <> ''".into(),
        });
    });
    after.tables[1].name = "posts".into();
    let g = gen(&before, &after);
    assert!(!g.up_sql.contains("schema:no-transaction"), "{}", g.up_sql);
    assert!(!g.up_sql.contains("CONCURRENTLY"), "{}", g.up_sql);
    assert!(!g.up_sql.contains("NOT VALID"), "{}", g.up_sql);
    assert!(g.up_sql.contains("SET LOCAL lock_timeout = '1500ms';\n"));
    assert!(g.up_sql.contains(
        "-- add foreign key posts_user_id_fkey on posts (user_id) -> users (id) (safe)\n\
         ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_user_id_fkey\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE;\n"
    ), "{}", g.up_sql);
    assert!(g
        .changes
        .iter()
        .all(|c| c.risk.level == schema_core::plan::RiskLevel::Safe));
}

#[test]
fn unique_on_an_existing_table_goes_through_a_concurrent_index() {
    let after = with_posts(|t| {
        t.uniques.push(UniqueDecl {
            name: None,
            columns: vec!["title".into()],
        })
    });
    let g = gen(&blog(), &after);
    assert_eq!(
        statements(&g.up_sql),
        [
            "SET lock_timeout = '1500ms';",
            "SET lock_timeout = '60s';",
            "CREATE UNIQUE INDEX CONCURRENTLY \"posts_title_key\" ON \"posts\" (\"title\");",
            "SET lock_timeout = '1500ms';",
            "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_title_key\" UNIQUE USING INDEX \"posts_title_key\";",
        ]
    );
    assert!(g
        .up_sql
        .contains("--   requires: -- schema:accept add unique posts.posts_title_key\n"));
    assert_eq!(
        statements(&g.down_sql),
        [
            "SET LOCAL lock_timeout = '1500ms';",
            "ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_title_key\";",
        ]
    );
    assert!(g.destructive);
}

#[test]
fn primary_key_on_an_existing_table_uses_a_concurrent_unique_index() {
    let before = with_posts(|t| t.columns[0].primary_key = false);
    let g = gen(&before, &blog());
    assert!(
        g.up_sql.contains(
            "CREATE UNIQUE INDEX CONCURRENTLY \"posts_pkey\" ON \"posts\" (\"id\");\n\
             SET lock_timeout = '1500ms';\n\
             ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_pkey\" PRIMARY KEY USING INDEX \"posts_pkey\";\n"
        ),
        "{}",
        g.up_sql
    );
}

#[test]
fn foreign_key_and_check_are_added_not_valid_then_validated() {
    let before = with_posts(|t| t.columns[1].references = None);
    let after = with_posts(|t| {
        t.checks.push(CheckDecl {
            name: "posts_title_ok".into(),
            expr: "title <> ''".into(),
        })
    });
    let g = gen(&before, &after);
    let up = statements(&g.up_sql);
    for expected in [
        "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_title_ok\" CHECK (title <> '') NOT VALID;",
        "ALTER TABLE \"posts\" VALIDATE CONSTRAINT \"posts_title_ok\";",
        "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_user_id_fkey\" FOREIGN KEY (\"user_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE NOT VALID;",
        "ALTER TABLE \"posts\" VALIDATE CONSTRAINT \"posts_user_id_fkey\";",
    ] {
        assert!(up.contains(&expected), "{expected}\n{}", g.up_sql);
    }
    let add = up
        .iter()
        .position(|s| s.contains("\"posts_user_id_fkey\" FOREIGN KEY"))
        .unwrap();
    let validate = up
        .iter()
        .position(|s| s.contains("VALIDATE CONSTRAINT \"posts_user_id_fkey\""))
        .unwrap();
    assert!(add < validate);
    // Each statement commits on its own: VALIDATE never shares the NOT VALID add's transaction.
    assert!(g.up_sql.starts_with("-- schema:no-transaction\n"));
}

#[test]
fn set_not_null_is_proven_by_a_check_from_pg12_and_plain_before() {
    let before = with_posts(|t| t.columns[2].nullable = true);
    let g = gen(&before, &blog());
    assert_eq!(
        statements(&g.up_sql),
        [
            "SET lock_timeout = '1500ms';",
            "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_title_not_null\" CHECK (\"title\" IS NOT NULL) NOT VALID;",
            "ALTER TABLE \"posts\" VALIDATE CONSTRAINT \"posts_title_not_null\";",
            "ALTER TABLE \"posts\" ALTER COLUMN \"title\" SET NOT NULL;",
            "ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_title_not_null\";",
        ]
    );
    let old = gen_on(&before, &blog(), Target::postgres(11));
    assert_eq!(
        statements(&old.up_sql),
        [
            "SET LOCAL lock_timeout = '1500ms';",
            "ALTER TABLE \"posts\" ALTER COLUMN \"title\" SET NOT NULL;",
        ]
    );
    assert!(old.changes[0]
        .risk
        .reason
        .contains("PostgreSQL 11 has no scan-free path"));
}

#[test]
fn set_not_null_is_a_not_valid_not_null_constraint_from_pg18() {
    let before = with_posts(|t| t.columns[2].nullable = true);
    let g = gen_on(&before, &blog(), Target::postgres(18));
    assert_eq!(
        statements(&g.up_sql),
        [
            "SET lock_timeout = '1500ms';",
            "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_title_not_null\" NOT NULL \"title\" NOT VALID;",
            "ALTER TABLE \"posts\" VALIDATE CONSTRAINT \"posts_title_not_null\";",
        ]
    );
    assert!(
        g.up_sql.starts_with("-- schema:no-transaction\n"),
        "{}",
        g.up_sql
    );
    assert!(
        g.changes[0]
            .action
            .contains("NOT NULL .. NOT VALID, then VALIDATE CONSTRAINT"),
        "{}",
        g.changes[0].action
    );
    // The down is the same on every version: DROP NOT NULL (which drops the constraint).
    assert_eq!(g.down_sql, gen(&before, &blog()).down_sql);
    assert!(g
        .down_sql
        .contains("ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP NOT NULL;\n"));
    let pg17 = gen_on(&before, &blog(), Target::postgres(17));
    assert_eq!(pg17.up_sql, gen(&before, &blog()).up_sql);
    assert!(pg17.changes[0]
        .action
        .contains("CHECK (.. IS NOT NULL) NOT VALID"));
}

fn with_mood(values: &[&str]) -> Declarations {
    let mut d = blog();
    d.enums.push(enum_decl("Mood", "mood", values));
    d.tables[0]
        .columns
        .push(nullable(col("mood", TypeDecl::Enum("mood".into()))));
    d
}

#[test]
fn enum_value_added_runs_outside_a_transaction_only_where_it_must() {
    let g = gen(&with_mood(&["ok"]), &with_mood(&["ok", "great"]));
    assert!(!g.up_sql.contains("schema:no-transaction"), "{}", g.up_sql);
    let old = gen_on(
        &with_mood(&["ok"]),
        &with_mood(&["ok", "great"]),
        Target::postgres(11),
    );
    assert!(
        old.up_sql.starts_with("-- schema:no-transaction\n"),
        "{}",
        old.up_sql
    );
    assert!(old
        .up_sql
        .contains("ALTER TYPE \"mood\" ADD VALUE 'great';\n"));
}

#[test]
fn only_the_up_file_says_which_acknowledgement_it_needs() {
    let after = with_posts(|t| {
        t.columns.pop();
    });
    let g = gen(&blog(), &after);
    assert!(g
        .up_sql
        .contains("--   requires: -- schema:accept drop column posts.title\n"));
    assert!(!g.down_sql.contains("requires:"), "{}", g.down_sql);
}

#[test]
fn lock_budgets_follow_the_target() {
    let target = Target {
        lock_timeout_ms: 750,
        concurrent_lock_timeout_ms: 120_000,
        ..Target::default()
    };
    let after = with_posts(|t| {
        t.indexes.push(IndexDecl {
            name: None,
            columns: vec!["title".into()],
            predicate: None,
        })
    });
    let g = gen_on(&blog(), &after, target);
    assert_eq!(
        statements(&g.up_sql),
        [
            "SET lock_timeout = '750ms';",
            "SET lock_timeout = '120s';",
            "CREATE INDEX CONCURRENTLY \"posts_title_idx\" ON \"posts\" (\"title\");",
            "SET lock_timeout = '750ms';",
        ]
    );
}

#[test]
fn mysql_files_bound_the_metadata_lock_wait() {
    let (a, _) = schema(&blog(), Dialect::Mysql);
    let after = with_posts(|t| {
        t.indexes.push(IndexDecl {
            name: None,
            columns: vec!["title".into()],
            predicate: None,
        })
    });
    let (b, hints) = schema(&after, Dialect::Mysql);
    // MySQL counts whole seconds: a `lock_timeout` of 500 ms rounds up to 1 s (MariaDB 10.11:
    // an ALTER behind an open transaction fails with 1205 after 1 s, which the runtime retries).
    let target = Target {
        lock_timeout_ms: 500,
        ..Target::default()
    };
    let g = generate_for(&a, &b, &hints, target).unwrap();
    assert_eq!(
        statements(&g.up_sql)[0],
        "SET SESSION lock_wait_timeout = 1;",
        "{}",
        g.up_sql
    );
    // The default 1500 ms rounds up to 2 s.
    let g = generate_for(&a, &b, &hints, Target::default()).unwrap();
    assert_eq!(
        statements(&g.up_sql)[0],
        "SET SESSION lock_wait_timeout = 2;",
        "{}",
        g.up_sql
    );
    let (s, _) = schema(&blog(), Dialect::Sqlite);
    let sqlite = generate_for(
        &schema_core::model::Schema::empty(Dialect::Sqlite),
        &s,
        &Default::default(),
        Target::default(),
    )
    .unwrap();
    assert!(!sqlite.up_sql.contains("lock"), "{}", sqlite.up_sql);
}

#[test]
fn the_down_of_a_dropped_required_column_restores_it_on_a_populated_table() {
    let after = with_posts(|t| {
        t.columns.pop();
    });
    let g = gen(&blog(), &after);
    assert_eq!(
        statements(&g.down_sql),
        [
            "SET LOCAL lock_timeout = '1500ms';",
            "ALTER TABLE \"posts\" ADD COLUMN \"title\" text NOT NULL DEFAULT '';",
            "ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP DEFAULT;",
        ]
    );
    assert!(
        g.down_sql.contains("holding a placeholder"),
        "{}",
        g.down_sql
    );
    // The up of the same change, accepted, is never filled in: it fails on a populated table.
    let back = gen(&after, &blog());
    assert!(back
        .up_sql
        .contains("ALTER TABLE \"posts\" ADD COLUMN \"title\" text NOT NULL;\n"));
}

//! Generated migrations run on real databases: up, down (the schema comes back exactly, by a
//! normalized catalog description), and up again, on SQLite (`sqlite3`), the local PostgreSQL
//! and the local MySQL/MariaDB; each database is skipped when it is not available.

mod common;

use common::db::{Mysql, Postgres, Sqlite};
use common::*;
use schema_core::decl::*;
use schema_core::generate::{generate, Generated};
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;

trait Db {
    fn migrate(&self, sql: &str) -> Result<(), String>;
    fn exec(&self, sql: &str) -> Result<String, String>;
    fn describe(&self) -> String;
}

impl Db for Sqlite {
    fn migrate(&self, sql: &str) -> Result<(), String> {
        Sqlite::migrate(self, sql)
    }
    fn exec(&self, sql: &str) -> Result<String, String> {
        Sqlite::exec(self, sql)
    }
    fn describe(&self) -> String {
        Sqlite::describe(self)
    }
}

impl Db for Mysql {
    fn migrate(&self, sql: &str) -> Result<(), String> {
        Mysql::migrate(self, sql)
    }
    fn exec(&self, sql: &str) -> Result<String, String> {
        Mysql::exec(self, sql)
    }
    fn describe(&self) -> String {
        Mysql::describe(self)
    }
}

impl Db for Postgres {
    fn migrate(&self, sql: &str) -> Result<(), String> {
        Postgres::migrate(self, sql)
    }
    fn exec(&self, sql: &str) -> Result<String, String> {
        Postgres::exec(self, sql)
    }
    fn describe(&self) -> String {
        Postgres::describe(self)
    }
}

fn open(dialect: Dialect) -> Option<Box<dyn Db>> {
    match dialect {
        Dialect::Sqlite => Sqlite::new().map(|d| Box::new(d) as Box<dyn Db>),
        Dialect::Postgres => Postgres::new().map(|d| Box::new(d) as Box<dyn Db>),
        Dialect::Mysql => Mysql::new().map(|d| Box::new(d) as Box<dyn Db>),
    }
}

/// Creates `before`, runs `seed`, then migrates to `after` and back and forth; returns the
/// migration so the caller can check data and text.
fn roundtrip(
    db: &dyn Db,
    dialect: Dialect,
    before: &Declarations,
    after: &Declarations,
    seed: &str,
) -> Generated {
    roundtrip_with(db, dialect, before, after, seed, |_| {})
}

/// As [`roundtrip`], with `between` run after the first up (checks, and clearing rows the
/// down of a destructive change cannot take back).
fn roundtrip_with(
    db: &dyn Db,
    dialect: Dialect,
    before: &Declarations,
    after: &Declarations,
    seed: &str,
    between: impl Fn(&dyn Db),
) -> Generated {
    let (s0, _) = schema(before, dialect);
    let (s1, hints) = schema(after, dialect);
    let create = generate(&Schema::empty(dialect), &s0, &RenameHints::default()).unwrap();
    db.migrate(&create.up_sql).unwrap();
    if !seed.is_empty() {
        db.exec(seed).unwrap();
    }
    let d0 = db.describe();
    let g = generate(&s0, &s1, &hints).unwrap();
    assert!(!g.is_empty(), "expected changes");
    db.migrate(&g.up_sql)
        .unwrap_or_else(|e| panic!("up failed on {dialect}: {e}"));
    let d1 = db.describe();
    between(db);
    db.migrate(&g.down_sql)
        .unwrap_or_else(|e| panic!("down failed on {dialect}: {e}"));
    assert_eq!(
        db.describe(),
        d0,
        "down did not restore the schema on {dialect}\n{}",
        g.down_sql
    );
    db.migrate(&g.up_sql)
        .unwrap_or_else(|e| panic!("second up failed on {dialect}: {e}"));
    assert_eq!(db.describe(), d1, "second up differs on {dialect}");
    let again = generate(&s1, &s1, &hints).unwrap();
    assert!(
        again.is_empty(),
        "no changes expected after applying: {:?}",
        again.changes
    );
    g
}

fn each_database(f: impl Fn(&dyn Db, Dialect)) {
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        if let Some(db) = open(dialect) {
            f(db.as_ref(), dialect);
        }
    }
}

fn count(db: &dyn Db, table: &str) -> String {
    db.exec(&format!("SELECT count(*) FROM \"{table}\";"))
        .unwrap()
        .trim()
        .to_string()
}

const BLOG_SEED: &str = "INSERT INTO users (email, name) VALUES ('a@x', 'Ann'), ('b@x', NULL);
INSERT INTO posts (user_id, title) VALUES (1, 'one'), (1, 'two'), (2, 'three');";

#[test]
fn create_from_empty_and_back() {
    each_database(|db, dialect| {
        let g = roundtrip(db, dialect, &decls(vec![], vec![]), &blog(), "");
        assert_eq!(g.slug, "create_users_posts");
    });
}

#[test]
fn column_changes_keep_data() {
    each_database(|db, dialect| {
        let before = blog();
        let mut after = blog();
        let users = &mut after.tables[0];
        users.columns[2] = ColumnDecl {
            renamed_from: Some("name".into()),
            ..nullable(col("display_name", TypeDecl::String))
        };
        users.columns.push(nullable(col("bio", TypeDecl::String)));
        users.columns.push(ColumnDecl {
            default: Some(DefaultDecl::Int(0)),
            ..col("age", TypeDecl::I32)
        });
        users.checks.push(CheckDecl {
            name: "users_age_ok".into(),
            expr: "age >= 0".into(),
        });
        users.indexes.push(IndexDecl {
            name: None,
            columns: vec!["display_name".into()],
            predicate: None,
        });
        after.tables[1].columns[2] = nullable(col("title", TypeDecl::String));
        let g = roundtrip(db, dialect, &before, &after, BLOG_SEED);
        assert_eq!(count(db, "posts"), "3");
        let names = db
            .exec("SELECT display_name FROM users WHERE display_name IS NOT NULL;")
            .unwrap();
        assert_eq!(
            names.trim(),
            "Ann",
            "{dialect}: renamed column keeps its values"
        );
        assert!(!g.destructive, "{:?}", g.changes);
    });
}

/// A rebuild of a parent table must neither delete nor orphan the rows of its
/// `ON DELETE CASCADE` children.
#[test]
fn parent_rebuild_keeps_cascade_children() {
    each_database(|db, dialect| {
        let before = blog();
        let mut after = blog();
        after.tables[0].columns[2] = ColumnDecl {
            default: Some(DefaultDecl::Str("anonymous".into())),
            ..col("name", TypeDecl::String)
        };
        let g = roundtrip(db, dialect, &before, &after, BLOG_SEED);
        if dialect == Dialect::Sqlite {
            assert!(
                g.up_sql.starts_with("-- schema:foreign-keys=off\n"),
                "{}",
                g.up_sql
            );
            assert!(
                g.up_sql.contains("coalesce(\"name\", 'anonymous')"),
                "{}",
                g.up_sql
            );
        }
        assert_eq!(count(db, "posts"), "3", "{dialect}: children survive");
        assert_eq!(count(db, "users"), "2");
        let names = db.exec("SELECT name FROM users ORDER BY id;").unwrap();
        assert_eq!(names.trim(), "Ann\nanonymous");
    });
}

#[test]
fn child_rebuild_and_foreign_key_change() {
    each_database(|db, dialect| {
        let before = blog();
        let mut after = blog();
        after.tables[1].columns[1] = refs(
            col("user_id", TypeDecl::I64),
            "users",
            "id",
            Some(FkAction::Restrict),
        );
        roundtrip(db, dialect, &before, &after, BLOG_SEED);
        assert_eq!(count(db, "posts"), "3");
    });
}

fn with_role(values: &[&str], default: Option<&str>) -> Declarations {
    let mut d = blog();
    d.enums.push(enum_decl("Role", "user_role", values));
    d.tables[0].columns.push(ColumnDecl {
        default: default.map(|v| DefaultDecl::Str(v.into())),
        ..col("role", TypeDecl::Enum("user_role".into()))
    });
    d
}

#[test]
fn enum_value_added() {
    each_database(|db, dialect| {
        let g = roundtrip(
            db,
            dialect,
            &with_role(&["admin", "member"], Some("member")),
            &with_role(&["admin", "guest", "member"], Some("member")),
            BLOG_SEED,
        );
        if dialect == Dialect::Postgres {
            assert!(
                g.up_sql.contains("ADD VALUE 'guest' BEFORE 'member'"),
                "{}",
                g.up_sql
            );
        }
    });
}

#[test]
fn enum_value_removed_and_default_changed() {
    each_database(|db, dialect| {
        let g = roundtrip(
            db,
            dialect,
            &with_role(&["admin", "member", "guest"], Some("member")),
            &with_role(&["admin", "member"], Some("member")),
            BLOG_SEED,
        );
        // Dropping an enum value needs an acknowledgement (issue 6), in every dialect
        // (PostgreSQL's type, MySQL's inline enum, SQLite's `IN (...)` check).
        assert!(g.destructive, "dropping an enum value on {dialect}");
        assert!(
            g.up_sql.contains("--   requires: -- schema:accept "),
            "{}",
            g.up_sql
        );
        let roles = db.exec("SELECT DISTINCT role FROM users;").unwrap();
        assert_eq!(roles.trim(), "member");
    });
}

#[test]
fn enum_added_value_used_as_new_default() {
    each_database(|db, dialect| {
        let g = roundtrip(
            db,
            dialect,
            &with_role(&["admin", "member"], Some("member")),
            &with_role(&["admin", "member", "guest"], Some("guest")),
            BLOG_SEED,
        );
        if dialect == Dialect::Postgres {
            assert!(
                g.up_sql.starts_with("-- schema:no-transaction\n"),
                "{}",
                g.up_sql
            );
        }
    });
}

#[test]
fn table_rename_renames_default_named_constraints() {
    each_database(|db, dialect| {
        let before = blog();
        let mut after = blog();
        after.tables[0].name = "accounts".into();
        after.tables[0].renamed_from = Some("users".into());
        after.tables[1].columns[1] = refs(
            col("user_id", TypeDecl::I64),
            "accounts",
            "id",
            Some(FkAction::Cascade),
        );
        let g = roundtrip(db, dialect, &before, &after, BLOG_SEED);
        assert!(!g.destructive, "{:?}", g.changes);
        if dialect == Dialect::Postgres {
            assert!(
                g.up_sql
                    .contains("RENAME CONSTRAINT \"users_pkey\" TO \"accounts_pkey\""),
                "{}",
                g.up_sql
            );
        }
        assert_eq!(count(db, "accounts"), "2");
        assert_eq!(count(db, "posts"), "3");
    });
}

#[test]
fn foreign_key_cycle_between_new_tables() {
    each_database(|db, dialect| {
        let after = decls(
            vec![],
            vec![
                table(
                    "A",
                    "a",
                    vec![
                        id(),
                        refs(nullable(col("b_id", TypeDecl::I64)), "b", "id", None),
                    ],
                ),
                table(
                    "B",
                    "b",
                    vec![
                        id(),
                        refs(nullable(col("a_id", TypeDecl::I64)), "a", "id", None),
                    ],
                ),
            ],
        );
        roundtrip(db, dialect, &decls(vec![], vec![]), &after, "");
    });
}

#[test]
fn reserved_words_are_quoted() {
    each_database(|db, dialect| {
        let before = decls(
            vec![],
            vec![table(
                "User",
                "user",
                vec![id(), col("order", TypeDecl::I32)],
            )],
        );
        let mut after = before.clone();
        after.tables[0]
            .columns
            .push(nullable(col("type", TypeDecl::String)));
        after.tables[0].columns[1].index = true;
        after.tables[0].columns[1].ty = TypeDecl::I64;
        roundtrip(
            db,
            dialect,
            &before,
            &after,
            "INSERT INTO \"user\" (\"order\") VALUES (1);",
        );
    });
}

#[test]
fn type_change_with_using_cast() {
    let Some(db) = open(Dialect::Postgres) else {
        return;
    };
    let before = decls(
        vec![],
        vec![table("T", "t", vec![id(), col("n", TypeDecl::String)])],
    );
    let mut after = before.clone();
    after.tables[0].columns[1] = col("n", TypeDecl::I64);
    let g = roundtrip(
        db.as_ref(),
        Dialect::Postgres,
        &before,
        &after,
        "INSERT INTO t (n) VALUES ('42');",
    );
    assert!(
        g.up_sql.contains("TYPE bigint USING \"n\"::bigint"),
        "{}",
        g.up_sql
    );
    assert_eq!(db.exec("SELECT n + 1 FROM t;").unwrap().trim(), "43");
}

#[test]
fn dropping_related_tables() {
    each_database(|db, dialect| {
        let g = roundtrip(db, dialect, &blog(), &decls(vec![], vec![]), BLOG_SEED);
        assert!(g.destructive);
        assert_eq!(g.slug, "drop_posts_users");
        assert!(
            g.down_sql.contains("cannot restore all data"),
            "{}",
            g.down_sql
        );
    });
}

#[test]
fn primary_key_and_unique_changes() {
    each_database(|db, dialect| {
        let before = decls(
            vec![],
            vec![table(
                "M",
                "memberships",
                vec![
                    col("org_id", TypeDecl::I64),
                    col("user_id", TypeDecl::I64),
                    ColumnDecl {
                        unique: true,
                        ..col("code", TypeDecl::String)
                    },
                ],
            )],
        );
        let mut after = before.clone();
        after.tables[0].primary_key = Some(vec!["org_id".into(), "user_id".into()]);
        after.tables[0].columns[2].unique = false;
        after.tables[0].uniques.push(UniqueDecl {
            name: None,
            columns: vec!["org_id".into(), "code".into()],
        });
        roundtrip(
            db,
            dialect,
            &before,
            &after,
            "INSERT INTO memberships VALUES (1, 1, 'a'), (1, 2, 'b');",
        );
    });
}

#[test]
fn partial_index_and_default_expression() {
    each_database(|db, dialect| {
        if dialect == Dialect::Mysql {
            return; // no partial indexes, or enum value renames not mapped yet
        }
        let before = blog();
        let mut after = blog();
        after.tables[1].indexes.push(IndexDecl {
            name: Some("posts_recent_idx".into()),
            columns: vec!["user_id".into()],
            predicate: Some("title <> ''".into()),
        });
        after.tables[1].columns.push(ColumnDecl {
            default: Some(DefaultDecl::Sql("CURRENT_TIMESTAMP".into())),
            ..col("created_at", TypeDecl::DateTimeTz)
        });
        roundtrip(db, dialect, &before, &after, BLOG_SEED);
        assert_eq!(count(db, "posts"), "3");
    });
}

#[test]
fn table_rename_with_enum_check_and_column_rename() {
    each_database(|db, dialect| {
        let before = with_role(&["admin", "member"], Some("member"));
        let mut after = before.clone();
        after.tables[0].name = "accounts".into();
        after.tables[0].renamed_from = Some("users".into());
        after.tables[0].columns[2] = ColumnDecl {
            renamed_from: Some("name".into()),
            index: true,
            ..nullable(col("full_name", TypeDecl::String))
        };
        after.tables[1].columns[1]
            .references
            .as_mut()
            .unwrap()
            .table = "accounts".into();
        roundtrip(db, dialect, &before, &after, BLOG_SEED);
        assert_eq!(count(db, "posts"), "3");
        let names = db
            .exec("SELECT full_name FROM accounts WHERE full_name IS NOT NULL;")
            .unwrap();
        assert_eq!(names.trim(), "Ann");
    });
}

#[test]
fn self_reference_and_parent_dropped_while_child_stays() {
    each_database(|db, dialect| {
        let mut before = blog();
        before.tables[1].columns.push(refs(
            nullable(col("reply_to", TypeDecl::I64)),
            "posts",
            "id",
            Some(FkAction::Cascade),
        ));
        let mut after = before.clone();
        after.tables.remove(0);
        after.tables[0].columns[1].references = None;
        let g = roundtrip_with(db, dialect, &before, &after, BLOG_SEED, |db| {
            // Dropping `users` must not cascade into `posts` (SQLite: foreign keys off).
            assert_eq!(count(db, "posts"), "3", "{dialect}");
            // The down recreates `users` empty: rows pointing at it cannot come back.
            db.exec("DELETE FROM posts;").unwrap();
        });
        assert!(g.destructive);
    });
}

#[test]
fn required_column_added_to_an_empty_table() {
    each_database(|db, dialect| {
        let mut after = blog();
        after.tables[1].columns.push(col("body", TypeDecl::String));
        roundtrip(db, dialect, &blog(), &after, "");
    });
}

#[test]
fn postgres_identity_added_and_json_cast() {
    let Some(db) = open(Dialect::Postgres) else {
        return;
    };
    let before = decls(
        vec![],
        vec![table(
            "T",
            "t",
            vec![
                ColumnDecl {
                    primary_key: true,
                    ..col("id", TypeDecl::I64)
                },
                col("doc", TypeDecl::String),
            ],
        )],
    );
    let mut after = before.clone();
    after.tables[0].columns[0].auto_increment = true;
    after.tables[0].columns[1] = col("doc", TypeDecl::Json);
    roundtrip(
        db.as_ref(),
        Dialect::Postgres,
        &before,
        &after,
        "INSERT INTO t VALUES (5, '{\"a\": 1}');",
    );
    db.exec("INSERT INTO t (doc) VALUES ('{}');").unwrap();
    assert_eq!(db.exec("SELECT max(id) FROM t;").unwrap().trim(), "6");
}

#[test]
fn contract_example_creates_and_drops() {
    each_database(|db, dialect| {
        roundtrip(db, dialect, &decls(vec![], vec![]), &contract(), "");
        db.exec(
            "INSERT INTO orgs (id) VALUES (1);
             INSERT INTO users (email, org_id, created_at, updated_at, \"type\") VALUES ('a@x', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'k');",
        )
        .unwrap();
        let role = db.exec("SELECT role, age FROM users;").unwrap();
        assert_eq!(role.trim().replace('\t', "|"), "member|0");
        assert!(db
            .exec("INSERT INTO users (email, org_id, created_at, updated_at, \"type\", age) VALUES ('b@x', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'k', -1);")
            .is_err_and(|e| e.contains("check") || e.contains("CHECK") || e.contains("CONSTRAINT")), "the check constraint holds");
    });
}

#[test]
fn column_rename_under_a_check_and_a_partial_index() {
    each_database(|db, dialect| {
        if dialect == Dialect::Mysql {
            return; // no partial indexes, or enum value renames not mapped yet
        }
        let mut before = blog();
        before.tables[1].checks.push(CheckDecl {
            name: "posts_title_ok".into(),
            expr: "length(title) > 0".into(),
        });
        before.tables[1].indexes.push(IndexDecl {
            name: Some("posts_titled_idx".into()),
            columns: vec!["user_id".into()],
            predicate: Some("title IS NOT NULL".into()),
        });
        let mut after = before.clone();
        after.tables[1].columns[2] = ColumnDecl {
            renamed_from: Some("title".into()),
            ..col("headline", TypeDecl::String)
        };
        after.tables[1].checks[0].expr = "length(headline) > 0".into();
        after.tables[1].indexes[0].predicate = Some("headline IS NOT NULL".into());
        // Also force a rebuild on SQLite, so the rebuild and its down see the renamed column.
        after.tables[1].columns[1] = refs(
            col("user_id", TypeDecl::I64),
            "users",
            "id",
            Some(FkAction::Restrict),
        );
        roundtrip(db, dialect, &before, &after, BLOG_SEED);
        assert_eq!(count(db, "posts"), "3");
    });
}

/// An enum value renamed by hint: PostgreSQL renames it in the type, SQLite maps it while the
/// rebuild copies the rows (the new check refuses the old value).
#[test]
fn enum_value_renamed_keeps_rows() {
    each_database(|db, dialect| {
        if dialect == Dialect::Mysql {
            return; // no partial indexes, or enum value renames not mapped yet
        }
        let (a, _) = schema(&with_role(&["admin", "member"], Some("member")), dialect);
        let (b, mut hints) = schema(&with_role(&["admin", "user"], Some("user")), dialect);
        hints
            .enum_values
            .insert(("user_role".into(), "user".into()), "member".into());
        let create = generate(&Schema::empty(dialect), &a, &RenameHints::default()).unwrap();
        db.migrate(&create.up_sql).unwrap();
        db.exec(BLOG_SEED).unwrap();
        db.exec("UPDATE users SET role = 'admin' WHERE id = 1;")
            .unwrap();
        let d0 = db.describe();
        let g = generate(&a, &b, &hints).unwrap();
        db.migrate(&g.up_sql)
            .unwrap_or_else(|e| panic!("up on {dialect}: {e}"));
        let roles = db.exec("SELECT role FROM users ORDER BY id;").unwrap();
        assert_eq!(roles.trim(), "admin\nuser", "{dialect}\n{}", g.up_sql);
        db.migrate(&g.down_sql)
            .unwrap_or_else(|e| panic!("down on {dialect}: {e}"));
        assert_eq!(db.describe(), d0);
        let roles = db.exec("SELECT role FROM users ORDER BY id;").unwrap();
        assert_eq!(roles.trim(), "admin\nmember");
    });
}

/// The down re-adds a dropped NOT NULL column without a default: SQLite's `ADD COLUMN` cannot,
/// so the drop itself is planned as a rebuild whose inverse is a rebuild too.
#[test]
fn dropped_required_column_comes_back_in_the_down() {
    each_database(|db, dialect| {
        let mut after = blog();
        after.tables[1].columns.remove(2);
        let g = roundtrip_with(db, dialect, &blog(), &after, BLOG_SEED, |db| {
            db.exec("DELETE FROM posts;").unwrap();
        });
        assert!(g.destructive);
    });
}

/// The MySQL renderer's coverage, on a real MySQL or MariaDB.
#[test]
fn mysql_tables_columns_keys_and_checks() {
    let Some(db) = open(Dialect::Mysql) else {
        return;
    };
    roundtrip(
        db.as_ref(),
        Dialect::Mysql,
        &decls(vec![], vec![]),
        &blog(),
        "",
    );
    let mut after = blog();
    after.tables[0].columns[2] = ColumnDecl {
        default: Some(DefaultDecl::Str("anon".into())),
        ..col("name", TypeDecl::Sql("varchar(100)".into()))
    };
    after.tables[0]
        .columns
        .push(nullable(col("bio", TypeDecl::String)));
    after.tables[0].checks.push(CheckDecl {
        name: "users_email_ok".into(),
        expr: "email LIKE '%@%'".into(),
    });
    after.tables[0].columns[1].unique = false;
    after.tables[0].uniques.push(UniqueDecl {
        name: None,
        columns: vec!["email".into(), "name".into()],
    });
    after.tables[1].columns[2].index = true;
    let db = open(Dialect::Mysql).unwrap();
    roundtrip(db.as_ref(), Dialect::Mysql, &blog(), &after, "");
    let mut renamed = blog();
    renamed.tables[0].name = "accounts".into();
    renamed.tables[0].renamed_from = Some("users".into());
    renamed.tables[1].columns[1]
        .references
        .as_mut()
        .unwrap()
        .table = "accounts".into();
    renamed.tables[1].columns[2] = ColumnDecl {
        renamed_from: Some("title".into()),
        ..col("headline", TypeDecl::String)
    };
    let db = open(Dialect::Mysql).unwrap();
    roundtrip(db.as_ref(), Dialect::Mysql, &blog(), &renamed, "");
}

#[test]
fn postgres_column_moves_to_another_enum() {
    let Some(db) = open(Dialect::Postgres) else {
        return;
    };
    let before = with_role(&["admin", "member"], Some("member"));
    let mut after = before.clone();
    after.enums.push(enum_decl(
        "Level",
        "user_level",
        &["member", "admin", "owner"],
    ));
    after.tables[0].columns[3].ty = TypeDecl::Enum("user_level".into());
    let g = roundtrip(db.as_ref(), Dialect::Postgres, &before, &after, BLOG_SEED);
    assert!(
        g.up_sql
            .contains("TYPE \"user_level\" USING \"role\"::text::\"user_level\""),
        "{}",
        g.up_sql
    );
}

mod common;

use common::*;
use schema_core::decl::*;
use schema_core::generate::{generate, GenerateError, Generated};
use schema_core::model::{Column, Enum, RenameHints, Schema};
use schema_core::Dialect;

fn gen(before: &Declarations, after: &Declarations, dialect: Dialect) -> Generated {
    let (a, _) = schema(before, dialect);
    let (b, hints) = schema(after, dialect);
    generate(&a, &b, &hints).unwrap()
}

fn add_email() -> Declarations {
    let mut d = blog();
    d.tables[0].columns.push(ColumnDecl {
        default: Some(DefaultDecl::Str("it's".into())),
        ..col("motto", TypeDecl::String)
    });
    d
}

#[test]
fn postgres_add_column() {
    let g = gen(&blog(), &add_email(), Dialect::Postgres);
    assert_eq!(
        g.up_sql,
        "-- every lock-taking statement gives up after this long instead of queueing the table's queries\n\
         SET LOCAL lock_timeout = '1500ms';\n\
         \n\
         -- add column users.motto text NOT NULL DEFAULT 'it''s' (safe)\n\
         ALTER TABLE \"users\" ADD COLUMN \"motto\" text NOT NULL DEFAULT 'it''s';\n"
    );
    assert_eq!(
        g.down_sql,
        "-- This down migration restores the schema but cannot restore all data:\n\
         --   column users.motto is dropped with every value written to it since the up migration added it\n\
         \n\
         -- every lock-taking statement gives up after this long instead of queueing the table's queries\n\
         SET LOCAL lock_timeout = '1500ms';\n\
         \n\
         -- drop column users.motto (destructive)\n\
         --   data loss: the values of users.motto are deleted; the old app version still reads it\n\
         --   data not restored: column users.motto is dropped with every value written to it since the up migration added it\n\
         ALTER TABLE \"users\" DROP COLUMN \"motto\";\n"
    );
    let back = gen(&add_email(), &blog(), Dialect::Postgres);
    assert!(back.destructive);
    assert!(
        back.down_sql.starts_with(
            "-- This down migration restores the schema but cannot restore all data:\n\
             --   column users.motto is recreated with its default 'it''s': the values the up migration deleted are not restored\n"
        ),
        "{}",
        back.down_sql
    );
    assert_eq!(g.slug, "add_motto_to_users");
    assert!(!g.destructive);
}

#[test]
fn mysql_add_column_and_create_table() {
    let g = gen(&blog(), &add_email(), Dialect::Mysql);
    assert!(g.up_sql.contains(
        "ALTER TABLE `users` ADD COLUMN `motto` varchar(255) NOT NULL DEFAULT 'it''s';\n"
    ));
    let g = gen(&decls(vec![], vec![]), &blog(), Dialect::Mysql);
    assert!(g.up_sql.contains(
        "CREATE TABLE `users` (\n    `id` bigint NOT NULL AUTO_INCREMENT,\n    `email` varchar(255) NOT NULL,\n    `name` varchar(255),\n    PRIMARY KEY (`id`),\n    CONSTRAINT `users_email_key` UNIQUE (`email`)\n);\n"
    ), "{}", g.up_sql);
    assert!(g.up_sql.contains("ALTER TABLE `posts` ADD CONSTRAINT `posts_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE;"));
    assert!(g.down_sql.contains("DROP TABLE `posts`;"));
}

/// MySQL cannot rename a check constraint in place: it is dropped and added.
#[test]
fn mysql_renames_a_check_by_dropping_and_adding_it() {
    let with_check = |name: &str| {
        let mut d = blog();
        d.tables[1].checks.push(CheckDecl {
            name: name.into(),
            expr: "id > 0".into(),
        });
        d
    };
    let g = gen(
        &with_check("posts_id_positive"),
        &with_check("posts_id_ok"),
        Dialect::Mysql,
    );
    assert_eq!(
        body(&g.up_sql),
        [
            "ALTER TABLE `posts` DROP CONSTRAINT `posts_id_positive`;",
            "ALTER TABLE `posts` ADD CONSTRAINT `posts_id_ok` CHECK (id > 0);",
        ]
    );
    assert_eq!(
        body(&g.down_sql),
        [
            "ALTER TABLE `posts` DROP CONSTRAINT `posts_id_ok`;",
            "ALTER TABLE `posts` ADD CONSTRAINT `posts_id_positive` CHECK (id > 0);",
        ]
    );
}

/// Renaming `posts` renames its foreign key `posts_user_id_fkey` too, which MySQL cannot do in
/// place: the key is dropped and added under its new name, and the index InnoDB made for it
/// is renamed in between (the new key uses it).
#[test]
fn mysql_renames_a_foreign_key_by_dropping_and_adding_it() {
    let mut after = blog();
    after.tables[1].name = "articles".into();
    after.tables[1].renamed_from = Some("posts".into());
    let g = gen(&blog(), &after, Dialect::Mysql);
    assert_eq!(
        body(&g.up_sql),
        [
            "ALTER TABLE `posts` DROP FOREIGN KEY `posts_user_id_fkey`;",
            "RENAME TABLE `posts` TO `articles`;",
            "ALTER TABLE `articles` RENAME INDEX `posts_user_id_fkey` TO `articles_user_id_fkey`;",
            "ALTER TABLE `articles` ADD CONSTRAINT `articles_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE;",
        ]
    );
    assert_eq!(
        body(&g.down_sql),
        [
            "ALTER TABLE `articles` DROP FOREIGN KEY `articles_user_id_fkey`;",
            "ALTER TABLE `articles` RENAME INDEX `articles_user_id_fkey` TO `posts_user_id_fkey`;",
            "RENAME TABLE `articles` TO `posts`;",
            "ALTER TABLE `posts` ADD CONSTRAINT `posts_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE;",
        ]
    );
}

#[test]
fn sqlite_rebuild_body() {
    let mut after = blog();
    after.tables[0].columns[2] = ColumnDecl {
        default: Some(DefaultDecl::Str("anon".into())),
        ..col("name", TypeDecl::String)
    };
    let g = gen(&blog(), &after, Dialect::Sqlite);
    assert_eq!(
        g.up_sql,
        "-- schema:foreign-keys=off\n\
         \n\
         -- rebuild table users (alter column users.name: set NOT NULL, set default 'anon') (needs care)\n\
         --   copies every row while holding the write lock\n\
         --   triggers and views on this table are not part of the schema model: recreate hand-written ones after this step\n\
         CREATE TABLE \"__new_users\" (\n    \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \"email\" text NOT NULL,\n    \"name\" text NOT NULL DEFAULT 'anon'\n);\n\
         INSERT INTO \"__new_users\" (\"id\", \"email\", \"name\") SELECT \"id\", \"email\", coalesce(\"name\", 'anon') FROM \"users\";\n\
         DROP TABLE \"users\";\n\
         ALTER TABLE \"__new_users\" RENAME TO \"users\";\n\
         CREATE UNIQUE INDEX \"users_email_key\" ON \"users\" (\"email\");\n"
    );
    assert_eq!(g.changes[0].action, "table rebuild of users");
}

fn pg_enum(values: &[&str]) -> Schema {
    let mut s = Schema::empty(Dialect::Postgres);
    s.enums.insert(
        "mood".into(),
        Enum {
            name: "mood".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        },
    );
    s
}

/// The statements of a file, without comments and without the lock timeout settings (tested
/// on their own in `render_safe.rs`).
fn body(sql: &str) -> Vec<&str> {
    sql.lines()
        .filter(|l| !l.starts_with("--") && !l.is_empty())
        .filter(|l| {
            !l.starts_with("SET LOCAL lock_timeout")
                && !l.starts_with("SET lock_timeout")
                && !l.starts_with("SET SESSION lock_wait_timeout")
        })
        .collect()
}

#[test]
fn postgres_enum_statements() {
    let none = RenameHints::default();
    let g = generate(
        &pg_enum(&["a", "c"]),
        &pg_enum(&["a", "b", "c", "d"]),
        &none,
    )
    .unwrap();
    assert_eq!(
        body(&g.up_sql),
        [
            "ALTER TYPE \"mood\" ADD VALUE 'b' BEFORE 'c';",
            "ALTER TYPE \"mood\" ADD VALUE 'd';"
        ]
    );
    assert_eq!(
        body(&g.down_sql),
        [
            "ALTER TYPE \"mood\" RENAME TO \"mood__old\";",
            "CREATE TYPE \"mood\" AS ENUM ('a', 'c');",
            "DROP TYPE \"mood__old\";"
        ]
    );
    let mut hints = RenameHints::default();
    hints
        .enum_values
        .insert(("mood".into(), "z".into()), "c".into());
    let g = generate(&pg_enum(&["a", "c"]), &pg_enum(&["a", "z"]), &hints).unwrap();
    assert_eq!(
        body(&g.up_sql),
        ["ALTER TYPE \"mood\" RENAME VALUE 'c' TO 'z';"]
    );
    assert_eq!(
        body(&g.down_sql),
        ["ALTER TYPE \"mood\" RENAME VALUE 'z' TO 'c';"]
    );
}

#[test]
fn postgres_enum_recreate_retypes_columns() {
    let mut a = pg_enum(&["a", "b"]);
    let (blog_pg, _) = schema(&blog(), Dialect::Postgres);
    a.tables = blog_pg.tables;
    a.tables.get_mut("users").unwrap().columns.push(Column {
        name: "mood".into(),
        ty: "mood".into(),
        nullable: false,
        default: Some("'a'".into()),
        auto_increment: false,
    });
    let mut b = a.clone();
    b.enums.get_mut("mood").unwrap().values = vec!["b".into(), "a".into()];
    let g = generate(&a, &b, &RenameHints::default()).unwrap();
    assert_eq!(
        body(&g.up_sql),
        [
            "ALTER TYPE \"mood\" RENAME TO \"mood__old\";",
            "CREATE TYPE \"mood\" AS ENUM ('b', 'a');",
            "ALTER TABLE \"users\" ALTER COLUMN \"mood\" DROP DEFAULT;",
            "ALTER TABLE \"users\" ALTER COLUMN \"mood\" TYPE \"mood\" USING \"mood\"::text::\"mood\";",
            "ALTER TABLE \"users\" ALTER COLUMN \"mood\" SET DEFAULT 'a';",
            "DROP TYPE \"mood__old\";",
        ]
    );
}

#[test]
fn postgres_column_alterations() {
    let mut before = blog();
    before.tables[1].columns.push(col("views", TypeDecl::I32));
    let mut after = blog();
    after.tables[1].columns.push(nullable(ColumnDecl {
        default: Some(DefaultDecl::Str("0".into())),
        ..col("views", TypeDecl::String)
    }));
    let g = gen(&before, &after, Dialect::Postgres);
    assert_eq!(
        body(&g.up_sql),
        [
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" TYPE text;",
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" DROP NOT NULL;",
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" SET DEFAULT '0';",
        ]
    );
    assert_eq!(
        body(&g.down_sql),
        [
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" DROP DEFAULT;",
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" TYPE integer USING \"views\"::integer;",
            // SET NOT NULL on an existing table goes through a validated check (PostgreSQL 12+).
            "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_views_not_null\" CHECK (\"views\" IS NOT NULL) NOT VALID;",
            "ALTER TABLE \"posts\" VALIDATE CONSTRAINT \"posts_views_not_null\";",
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" SET NOT NULL;",
            "ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_views_not_null\";",
        ]
    );
    assert!(g.down_sql.starts_with("-- schema:no-transaction\n"));
    assert!(g.up_sql.contains("SET LOCAL lock_timeout = '1500ms';\n"));
}

#[test]
fn nothing_to_do() {
    let g = gen(&blog(), &blog(), Dialect::Postgres);
    assert!(g.is_empty());
    assert!(g.up_sql.is_empty() && g.down_sql.is_empty());
}

#[test]
fn dialect_mismatch_is_an_error() {
    let (a, _) = schema(&blog(), Dialect::Postgres);
    let (b, h) = schema(&blog(), Dialect::Sqlite);
    assert!(matches!(
        generate(&a, &b, &h),
        Err(GenerateError::DialectMismatch { .. })
    ));
    // An empty snapshot of another dialect is just "no snapshot yet".
    assert!(generate(&Schema::empty(Dialect::Postgres), &b, &h).is_ok());
}

#[test]
fn mysql_table_rename() {
    let mut after = blog();
    after.tables[0].name = "accounts".into();
    after.tables[0].renamed_from = Some("users".into());
    after.tables[1].columns[1]
        .references
        .as_mut()
        .unwrap()
        .table = "accounts".into();
    let g = gen(&blog(), &after, Dialect::Mysql);
    assert_eq!(
        body(&g.up_sql),
        [
            "RENAME TABLE `users` TO `accounts`;",
            "ALTER TABLE `accounts` RENAME INDEX `users_email_key` TO `accounts_email_key`;",
        ]
    );
}

/// Prints a representative migration pair (run with `--nocapture` to read it); asserts the
/// shape every file must have.
#[test]
fn every_statement_ends_with_a_semicolon_and_newline() {
    let mut before = with_role_pg();
    before.tables[1].indexes.push(IndexDecl {
        name: None,
        columns: vec!["title".into()],
        predicate: None,
    });
    let mut after = with_role_pg();
    after.enums[0].values = vec!["admin".into(), "member".into(), "guest".into()];
    after.tables[0].columns[2] = ColumnDecl {
        renamed_from: Some("name".into()),
        ..nullable(col("full_name", TypeDecl::String))
    };
    after.tables[1]
        .columns
        .push(nullable(col("body", TypeDecl::String)));
    after.tables[1].columns.remove(2);
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let g = gen(&before, &after, dialect);
        println!(
            "--- {dialect} up ({})\n{}--- down\n{}",
            g.slug, g.up_sql, g.down_sql
        );
        for sql in [&g.up_sql, &g.down_sql] {
            let mut in_statement = false;
            for line in sql.lines() {
                if line.starts_with("--") || line.is_empty() {
                    assert!(!in_statement, "comment inside a statement: {sql}");
                    continue;
                }
                in_statement = !line.ends_with(';');
            }
            assert!(!in_statement && sql.ends_with(";\n"), "{sql}");
        }
    }
}

fn with_role_pg() -> Declarations {
    let mut d = blog();
    d.enums
        .push(enum_decl("Role", "user_role", &["admin", "member"]));
    d.tables[0].columns.push(ColumnDecl {
        default: Some(DefaultDecl::Str("member".into())),
        ..col("role", TypeDecl::Enum("user_role".into()))
    });
    d
}

/// MySQL's enum is the column type: a renamed value is renamed by widening the list to old
/// and new values, updating the rows, narrowing; the down does the same backwards. Neither
/// file needs an acknowledgement (no row's value is lost).
#[test]
fn mysql_renames_an_enum_value_in_the_rows() {
    let before = with_role_pg();
    let mut after = with_role_pg();
    after.enums[0].values = vec!["admin".into(), "regular".into()];
    after.enums[0].renamed_values = vec![("regular".into(), "member".into())];
    after.tables[0].columns.last_mut().unwrap().default = Some(DefaultDecl::Str("regular".into()));
    let g = gen(&before, &after, Dialect::Mysql);
    assert_eq!(
        body(&g.up_sql),
        [
            "ALTER TABLE `users` MODIFY COLUMN `role` enum('admin','member','regular') NOT NULL DEFAULT 'member';",
            "UPDATE `users` SET `role` = CASE `role` WHEN 'member' THEN 'regular' ELSE `role` END WHERE `role` IN ('member');",
            "ALTER TABLE `users` MODIFY COLUMN `role` enum('admin','regular') NOT NULL DEFAULT 'regular';",
        ]
    );
    assert_eq!(
        body(&g.down_sql),
        [
            "ALTER TABLE `users` MODIFY COLUMN `role` enum('admin','member','regular') NOT NULL DEFAULT 'member';",
            "UPDATE `users` SET `role` = CASE `role` WHEN 'regular' THEN 'member' ELSE `role` END WHERE `role` IN ('regular');",
            "ALTER TABLE `users` MODIFY COLUMN `role` enum('admin','member') NOT NULL DEFAULT 'member';",
        ]
    );
    assert!(!g.destructive);
    for sql in [&g.up_sql, &g.down_sql] {
        assert!(!sql.contains("schema:accept"), "{sql}");
        assert!(
            sql.contains("the rows were updated to the new ones"),
            "{sql}"
        );
    }
}

//! The down file is gated like the up file: a rollback step that transforms (a type changed
//! back, an enum recreated without an added value) needs the acknowledgement the same change
//! would need going up, and carries its `requires:` line; a rollback step that only takes back
//! what its up added, or puts back what it removed, does not.

mod common;

use common::*;
use schema_core::decl::*;
use schema_core::generate::{generate, Generated};
use schema_core::render::REQUIRES_ACCEPT;
use schema_core::Dialect;

fn gen(before: &Declarations, after: &Declarations, dialect: Dialect) -> Generated {
    let (a, _) = schema(before, dialect);
    let (b, hints) = schema(after, dialect);
    generate(&a, &b, &hints).unwrap()
}

/// The `requires:` keys of a file.
fn required(sql: &str) -> Vec<&str> {
    sql.lines()
        .filter_map(|l| l.strip_prefix(REQUIRES_ACCEPT))
        .collect()
}

fn rollback_keys(g: &Generated) -> Vec<&str> {
    g.rollback
        .iter()
        .filter_map(|r| r.risk.accept.as_deref())
        .collect()
}

fn with_posts(f: impl FnOnce(&mut TableDecl)) -> Declarations {
    let mut d = blog();
    f(&mut d.tables[1]);
    d
}

fn tickets(values: &[&str]) -> Declarations {
    decls(
        vec![enum_decl("Status", "ticket_status", values)],
        vec![table(
            "Ticket",
            "tickets",
            vec![id(), col("status", TypeDecl::Enum("ticket_status".into()))],
        )],
    )
}

#[test]
fn rolling_back_an_added_enum_value_needs_its_own_acknowledgement() {
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        let g = gen(&tickets(&["open"]), &tickets(&["open", "closed"]), dialect);
        assert!(
            g.changes.iter().all(|c| c.risk.accept.is_none()),
            "{dialect}: adding a value is not refused: {:?}",
            g.changes
        );
        assert!(required(&g.up_sql).is_empty(), "{dialect}:\n{}", g.up_sql);
        let keys = rollback_keys(&g);
        assert_eq!(keys.len(), 1, "{dialect}: {:?}", g.rollback);
        assert_eq!(required(&g.down_sql), keys, "{dialect}:\n{}", g.down_sql);
        assert!(
            g.rollback[0].risk.reason.contains("closed"),
            "{dialect}: {}",
            g.rollback[0].risk.reason
        );
        assert_eq!(g.needing_accept().count(), 1);
    }
    let g = gen(
        &tickets(&["open"]),
        &tickets(&["open", "closed"]),
        Dialect::Postgres,
    );
    assert_eq!(rollback_keys(&g), ["alter enum ticket_status"]);
    assert_eq!(
        g.rollback[0].action,
        "new type, columns retyped, old type dropped"
    );
}

#[test]
fn a_rewriting_type_change_and_its_rollback_share_one_key() {
    let before = with_posts(|t| t.columns.push(col("views", TypeDecl::I32)));
    let after = with_posts(|t| t.columns.push(col("views", TypeDecl::I64)));
    let g = gen(&before, &after, Dialect::Postgres);
    assert_eq!(required(&g.up_sql), ["alter column posts.views"]);
    assert_eq!(required(&g.down_sql), ["alter column posts.views"]);
    assert_eq!(rollback_keys(&g), ["alter column posts.views"]);
    // One key: `--accept "alter column posts.views"` covers both files.
    let keys: std::collections::BTreeSet<&str> = g
        .needing_accept()
        .filter_map(|c| c.risk.accept.as_deref())
        .collect();
    assert_eq!(keys.len(), 1);
}

#[test]
fn widening_is_safe_but_its_rollback_narrows() {
    let before = with_posts(|t| t.columns[2].ty = TypeDecl::Sql("varchar(50)".into()));
    let after = with_posts(|t| t.columns[2].ty = TypeDecl::Sql("varchar(100)".into()));
    let g = gen(&before, &after, Dialect::Postgres);
    assert!(required(&g.up_sql).is_empty(), "{}", g.up_sql);
    assert_eq!(required(&g.down_sql), ["alter column posts.title"]);
    assert_eq!(g.rollback.len(), 1);
    assert_eq!(
        g.rollback[0].risk.level,
        schema_core::plan::RiskLevel::Destructive
    );
}

#[test]
fn undoing_what_the_up_added_or_restoring_what_it_removed_is_not_gated() {
    let mut with_table = blog();
    with_table.tables.push(table("Tag", "tags", vec![id()]));
    let with_column = with_posts(|t| t.columns.push(nullable(col("body", TypeDecl::String))));
    let with_index = with_posts(|t| t.columns[2].index = true);
    let with_unique = with_posts(|t| t.columns[2].unique = true);
    let without_title = with_posts(|t| {
        t.columns.remove(2);
    });
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        for (what, before, after) in [
            ("create table", blog(), with_table.clone()),
            ("drop table", with_table.clone(), blog()),
            ("add column", blog(), with_column.clone()),
            ("drop column", blog(), without_title.clone()),
            ("add index", blog(), with_index.clone()),
            ("add unique", blog(), with_unique.clone()),
            ("drop unique", with_unique.clone(), blog()),
        ] {
            let g = gen(&before, &after, dialect);
            assert!(
                g.rollback.is_empty(),
                "{dialect} {what}: {:?}\n{}",
                g.rollback,
                g.down_sql
            );
            assert!(
                required(&g.down_sql).is_empty(),
                "{dialect} {what}:\n{}",
                g.down_sql
            );
        }
    }
}

#[test]
fn a_sqlite_rebuild_carries_every_key_of_its_changes() {
    let two = |a: &[&str], b: &[&str]| {
        decls(
            vec![enum_decl("A", "mood", a), enum_decl("B", "tone", b)],
            vec![table(
                "Ticket",
                "tickets",
                vec![
                    id(),
                    col("mood", TypeDecl::Enum("mood".into())),
                    col("tone", TypeDecl::Enum("tone".into())),
                ],
            )],
        )
    };
    let g = gen(
        &two(&["x"], &["p"]),
        &two(&["x", "y"], &["p", "q"]),
        Dialect::Sqlite,
    );
    let keys = rollback_keys(&g);
    assert_eq!(keys.len(), 2, "{:?}", g.rollback);
    let mut required_keys = required(&g.down_sql);
    required_keys.sort();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(required_keys, sorted, "{}", g.down_sql);
    // Each rollback report names its own change, not the whole rebuild.
    assert!(g
        .rollback
        .iter()
        .all(|r| !r.summary.starts_with("rebuild table")));
}

#[test]
fn sqlite_type_changes_within_one_storage_class_are_not_gated() {
    for (a, b) in [
        (TypeDecl::I32, TypeDecl::I64),
        (
            TypeDecl::Sql("varchar(100)".into()),
            TypeDecl::Sql("varchar(20)".into()),
        ),
    ] {
        let before = with_posts(|t| t.columns.push(col("views", a.clone())));
        let after = with_posts(|t| t.columns.push(col("views", b.clone())));
        for (x, y) in [(&before, &after), (&after, &before)] {
            let g = gen(x, y, Dialect::Sqlite);
            assert!(g.needing_accept().next().is_none(), "{:?}", g.changes);
            assert!(required(&g.up_sql).is_empty() && required(&g.down_sql).is_empty());
            assert!(!g.down_sql.contains("precision lost"), "{}", g.down_sql);
        }
    }
}

#[test]
fn rolling_back_a_value_only_new_tables_use_is_not_gated() {
    let before = decls(
        vec![enum_decl("Status", "ticket_status", &["open"])],
        vec![],
    );
    let g = gen(&before, &tickets(&["open", "closed"]), Dialect::Postgres);
    assert!(g.rollback.is_empty(), "{:?}\n{}", g.rollback, g.down_sql);
    assert!(required(&g.down_sql).is_empty(), "{}", g.down_sql);
}

#[test]
fn a_down_file_says_what_it_deletes_that_was_written_after_the_up() {
    let mut with_table = blog();
    with_table.tables.push(table("Tag", "tags", vec![id()]));
    let with_column = with_posts(|t| t.columns.push(nullable(col("body", TypeDecl::String))));
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        let g = gen(&blog(), &with_table, dialect);
        assert!(
            g.down_sql.contains("table tags is dropped with every row written to it since the up migration created it"),
            "{dialect}: {}",
            g.down_sql
        );
        let g = gen(&blog(), &with_column, dialect);
        assert!(
            g.down_sql.contains("column posts.body is dropped with every value written to it since the up migration added it"),
            "{dialect}: {}",
            g.down_sql
        );
        assert!(
            g.down_sql.starts_with(
                "-- This down migration restores the schema but cannot restore all data:\n"
            ) || g.down_sql.contains(
                "\n-- This down migration restores the schema but cannot restore all data:\n"
            ),
            "{dialect}: {}",
            g.down_sql
        );
    }
}

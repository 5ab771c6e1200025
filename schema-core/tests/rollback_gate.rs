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
    // One key: `--accept "alter column posts.user_id"` covers both files.
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

//! Enums created, dropped, values added and removed; columns moved onto and off enums.
//! (PostgreSQL: a native type; SQLite: text with a check of the values.)

use super::*;

fn tickets(status: TypeDecl, default: Option<&str>) -> Tbl {
    let mut c = col("status", status);
    if let Some(d) = default {
        c = c.default_str(d);
    }
    table("tickets").col(col("id", I64).pk()).col(c)
}

fn status(values: &[&str]) -> schema_core::decl::EnumDecl {
    enum_type("ticket_status", values)
}

fn tickets_seed() -> schema_tests::scenario::Rows {
    rows(
        "tickets",
        &["id", "status"],
        &[&["1", "'open'"], &["2", "'closed'"]],
    )
}

pub fn create_enum() -> Scenario {
    Scenario::new(
        "create an enum with a table that uses it",
        decls(vec![], vec![]),
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
    )
}

pub fn add_enum_column() -> Scenario {
    Scenario::new(
        "create an enum and add a column of it to a table with rows",
        decls(vec![], vec![table("tickets").col(col("id", I64).pk())]),
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
    )
    .seed(rows("tickets", &["id"], &[&["1"], &["2"]]))
    .expect(rows(
        "tickets",
        &["id", "status"],
        &[&["1", "'open'"], &["2", "'open'"]],
    ))
}

pub fn drop_enum() -> Scenario {
    Scenario::new(
        "drop an enum and the column that used it",
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), None)],
        ),
        decls(vec![], vec![table("tickets").col(col("id", I64).pk())]),
    )
    .seed(tickets_seed())
    .expect(rows("tickets", &["id"], &[&["1"], &["2"]]))
}

pub fn add_enum_value_at_end() -> Scenario {
    Scenario::new(
        "add an enum value at the end",
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), None)],
        ),
        decls(
            vec![status(&["open", "closed", "archived"])],
            vec![tickets(enum_col("ticket_status"), None)],
        ),
    )
    .seed(tickets_seed())
}

pub fn add_enum_value_in_middle() -> Scenario {
    Scenario::new(
        "add an enum value between two others",
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
        decls(
            vec![status(&["open", "pending", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
    )
    .seed(tickets_seed())
}

pub fn remove_unused_enum_value() -> Scenario {
    Scenario::new(
        "remove an enum value no row uses",
        decls(
            vec![status(&["open", "stale", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
    )
    .seed(tickets_seed())
}

pub fn enum_default_changes() -> Scenario {
    Scenario::new(
        "change the default of an enum column",
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("closed"))],
        ),
    )
    .seed(tickets_seed())
}

pub fn text_to_enum() -> Scenario {
    Scenario::new(
        "text column -> enum column",
        decls(vec![], vec![tickets(String, None)]),
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), None)],
        ),
    )
    .seed(tickets_seed())
}

pub fn enum_to_text() -> Scenario {
    Scenario::new(
        "enum column -> text column, enum dropped",
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), None)],
        ),
        decls(vec![], vec![tickets(String, None)]),
    )
    .seed(tickets_seed())
}

pub fn two_tables_share_an_enum() -> Scenario {
    let events = |ty: TypeDecl| {
        table("events")
            .col(col("id", I64).pk())
            .col(col("status", ty).null())
    };
    Scenario::new(
        "add a value to an enum two tables use",
        decls(
            vec![status(&["open", "closed"])],
            vec![
                tickets(enum_col("ticket_status"), None),
                events(enum_col("ticket_status")),
            ],
        ),
        decls(
            vec![status(&["open", "closed", "merged"])],
            vec![
                tickets(enum_col("ticket_status"), None),
                events(enum_col("ticket_status")),
            ],
        ),
    )
    .seed(tickets_seed())
    .seed(rows(
        "events",
        &["id", "status"],
        &[&["1", "'closed'"], &["2", "NULL"]],
    ))
}

fn renamed_value_scenario(name: &'static str) -> Scenario {
    Scenario::new(
        name,
        decls(
            vec![status(&["open", "closed"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
        decls(
            vec![status(&["open", "done"])],
            vec![tickets(enum_col("ticket_status"), Some("open"))],
        ),
    )
    .enum_value_renamed("ticket_status", "closed", "done")
    .seed(tickets_seed())
    .expect(rows(
        "tickets",
        &["id", "status"],
        &[&["1", "'open'"], &["2", "'done'"]],
    ))
}

/// MySQL has no enum type either: the column type lists the values, so the column is widened to
/// old and new values, the rows updated, then narrowed.
pub fn rename_enum_value() -> Scenario {
    let mut s = renamed_value_scenario(
        "rename an enum value that rows hold (PostgreSQL: RENAME VALUE; MySQL: widen, update, narrow)",
    );
    s.dialects = vec![Dialect::Postgres, Dialect::Mysql];
    s
}

/// SQLite has no enum type: the schema holds only the check, so the rebuild copies `closed`
/// unchanged and the new check refuses it.
pub fn rename_enum_value_on_sqlite() -> Scenario {
    renamed_value_scenario(
        "rename an enum value that rows hold (SQLite: rebuild must map the value)",
    )
    .only(Dialect::Sqlite)
}

//! Awkward shapes: reserved-word and long names, composite keys, self-references, cycles
//! between tables, and SQLite rebuilds of tables other tables reference.

use super::*;

fn order() -> Tbl {
    table("order")
        .col(col("select", I64).pk())
        .col(col("from", String))
        .col(col("user", String).null())
}

pub fn reserved_word_names() -> Scenario {
    Scenario::new(
        "reserved words as table, column, index and constraint names",
        decls(vec![], vec![order()]),
        decls(
            vec![],
            vec![order()
                .col(col("group", I32).default_int(0).index())
                .unique(&["from", "user"])
                .check("order_group_check", "\"group\" >= 0")],
        ),
    )
    .seed(rows(
        "order",
        &["select", "from", "user"],
        &[&["1", "'x'", "'y'"]],
    ))
}

pub fn rename_reserved_word_column() -> Scenario {
    Scenario::new(
        "rename a column called user to table",
        decls(vec![], vec![order()]),
        decls(
            vec![],
            vec![table("order")
                .col(col("select", I64).pk())
                .col(col("from", String))
                .col(col("table", String).null().renamed_from("user"))],
        ),
    )
    .seed(rows(
        "order",
        &["select", "from", "user"],
        &[&["1", "'x'", "'y'"]],
    ))
    .expect(rows("order", &["select", "table"], &[&["1", "'y'"]]))
}

const LONG_TABLE: &str = "customer_subscription_billing_period_adjustments";
const LONG_COLUMN: &str = "previous_billing_period_adjustment_reference_identifier";

pub fn long_names() -> Scenario {
    let base = || {
        table(LONG_TABLE)
            .col(col("id", I64).pk())
            .col(col(LONG_COLUMN, I64).null())
    };
    Scenario::new(
        "derived index, unique and foreign key names longer than 63 bytes",
        decls(vec![], vec![base()]),
        decls(
            vec![],
            vec![base()
                .edit_col(LONG_COLUMN, |c| c.references(LONG_TABLE, "id").index())
                .unique(&["id", LONG_COLUMN])],
        ),
    )
    .seed(rows(
        LONG_TABLE,
        &["id", LONG_COLUMN],
        &[&["1", "NULL"], &["2", "1"]],
    ))
}

pub fn composite_keys_everywhere() -> Scenario {
    let grades = || {
        table("grades")
            .col(col("student", I32))
            .col(col("course", I32))
            .col(col("term", I32))
            .col(col("grade", String).null())
            .pk(&["student", "course", "term"])
    };
    Scenario::new(
        "composite primary key, unique and index; then a column of the key renamed",
        decls(
            vec![],
            vec![grades()
                .unique(&["course", "term", "student"])
                .index(&["term", "course"])],
        ),
        decls(
            vec![],
            vec![table("grades")
                .col(col("student", I32))
                .col(col("course", I32))
                .col(col("semester", I32).renamed_from("term"))
                .col(col("grade", String).null())
                .pk(&["student", "course", "semester"])
                .unique(&["course", "semester", "student"])
                .index(&["semester", "course"])],
        ),
    )
    .seed(rows(
        "grades",
        &["student", "course", "term", "grade"],
        &[&["1", "2", "3", "'A'"], &["1", "2", "4", "NULL"]],
    ))
    .expect(rows(
        "grades",
        &["student", "course", "semester", "grade"],
        &[&["1", "2", "3", "'A'"], &["1", "2", "4", "NULL"]],
    ))
}

fn categories() -> Tbl {
    table("categories")
        .col(col("id", I64).pk())
        .col(col("name", String))
}

fn categories_seed() -> schema_tests::scenario::Rows {
    rows(
        "categories",
        &["id", "name"],
        &[&["1", "'root'"], &["2", "'child'"]],
    )
}

pub fn add_self_reference() -> Scenario {
    Scenario::new(
        "add a column that references its own table",
        decls(vec![], vec![categories()]),
        decls(
            vec![],
            vec![categories().col(
                col("parent_id", I64)
                    .null()
                    .references("categories", "id")
                    .on_delete(FkAction::SetNull),
            )],
        ),
    )
    .seed(categories_seed())
}

pub fn self_referencing_table_changes_type() -> Scenario {
    let with_parent = |code: TypeDecl| {
        categories()
            .col(
                col("parent_id", I64)
                    .null()
                    .references("categories", "id")
                    .on_delete(FkAction::Cascade),
            )
            .col(col("code", code).null())
    };
    Scenario::new(
        "change a column type in a self-referencing table with linked rows",
        decls(vec![], vec![with_parent(I32)]),
        decls(vec![], vec![with_parent(I64)]),
    )
    .seed(rows(
        "categories",
        &["id", "name", "parent_id", "code"],
        &[&["1", "'root'", "NULL", "7"], &["2", "'child'", "1", "8"]],
    ))
}

fn cycle() -> Vec<Tbl> {
    vec![
        table("authors")
            .col(col("id", I64).pk())
            .col(col("best_book_id", I64).null().references("books", "id")),
        table("books")
            .col(col("id", I64).pk())
            .col(col("author_id", I64).null().references("authors", "id")),
    ]
}

pub fn create_cycle() -> Scenario {
    Scenario::new(
        "create two tables that reference each other",
        decls(vec![], vec![]),
        decls(vec![], cycle()),
    )
}

pub fn drop_cycle() -> Scenario {
    Scenario::new(
        "drop two tables that reference each other, with rows",
        decls(vec![], cycle()),
        decls(vec![], vec![]),
    )
    .seed(rows("authors", &["id"], &[&["1"]]))
    .seed(rows("books", &["id", "author_id"], &[&["10", "1"]]))
}

pub fn change_column_in_cycle() -> Scenario {
    let mut target = cycle();
    target[1] = target[1]
        .clone()
        .col(col("title", String).default_str("untitled"));
    target[0] = target[0]
        .clone()
        .edit_col("best_book_id", |c| c.on_delete(FkAction::SetNull));
    Scenario::new(
        "change both tables of a reference cycle",
        decls(vec![], cycle()),
        decls(vec![], target),
    )
    .seed(rows("authors", &["id"], &[&["1"]]))
    .seed(rows("books", &["id", "author_id"], &[&["10", "1"]]))
}

fn parent(extra: Option<TypeDecl>) -> Tbl {
    let t = table("parents")
        .col(col("id", I64).pk())
        .col(col("name", String));
    match extra {
        Some(ty) => t.col(col("rank", ty).null()),
        None => t,
    }
}

fn child() -> Tbl {
    table("children")
        .col(col("id", I64).pk())
        .col(
            col("parent_id", I64)
                .references("parents", "id")
                .on_delete(FkAction::Cascade),
        )
        .index(&["parent_id"])
}

fn family_seed() -> [schema_tests::scenario::Rows; 2] {
    [
        rows(
            "parents",
            &["id", "name"],
            &[&["1", "'p1'"], &["2", "'p2'"]],
        ),
        rows(
            "children",
            &["id", "parent_id"],
            &[&["10", "1"], &["11", "1"], &["12", "2"]],
        ),
    ]
}

pub fn rebuild_parent_with_cascading_children() -> Scenario {
    let [p, c] = family_seed();
    Scenario::new(
        "change a type in a table whose children cascade on delete (SQLite rebuilds it)",
        decls(vec![], vec![parent(Some(I32)), child()]),
        decls(vec![], vec![parent(Some(String)), child()]),
    )
    .seed(p.clone())
    .seed(c.clone())
    .expect(p)
    .expect(c)
}

pub fn rebuild_parent_and_child() -> Scenario {
    let [p, c] = family_seed();
    Scenario::new(
        "make columns NOT NULL -> nullable in a parent and its child in one migration",
        decls(
            vec![],
            vec![
                parent(None),
                child().col(col("note", String).default_str("-")),
            ],
        ),
        decls(
            vec![],
            vec![
                parent(None).edit_col("name", |c| c.null()),
                child().col(col("note", String).null()),
            ],
        ),
    )
    .seed(p.clone())
    .seed(c.clone())
    .expect(p)
    .expect(c)
}

pub fn add_check_to_referenced_table() -> Scenario {
    let [p, c] = family_seed();
    Scenario::new(
        "add a check to a table with children (SQLite rebuild keeps the children's rows)",
        decls(vec![], vec![parent(None), child()]),
        decls(
            vec![],
            vec![
                parent(None).check("parents_name_ok", "length(name) > 0"),
                child(),
            ],
        ),
    )
    .seed(p.clone())
    .seed(c.clone())
    .expect(p)
    .expect(c)
}

//! Primary keys, uniques, indexes, foreign keys and checks added, dropped and changed.

use super::*;

fn items() -> Tbl {
    table("items")
        .col(col("sku", String))
        .col(col("shop", I32))
        .col(col("qty", I32).default_int(0))
}

fn items_seed() -> schema_tests::scenario::Rows {
    rows(
        "items",
        &["sku", "shop", "qty"],
        &[&["'a'", "1", "5"], &["'a'", "2", "0"], &["'b'", "1", "3"]],
    )
}

fn one(t: Tbl) -> schema_core::decl::Declarations {
    decls(vec![], vec![t])
}

pub fn add_primary_key() -> Scenario {
    Scenario::new(
        "add a composite primary key",
        one(items()),
        one(items().pk(&["sku", "shop"])),
    )
    .seed(items_seed())
}

pub fn drop_primary_key() -> Scenario {
    Scenario::new(
        "drop a primary key",
        one(items().pk(&["sku", "shop"])),
        one(items()),
    )
    .seed(items_seed())
}

pub fn primary_key_single_to_composite() -> Scenario {
    Scenario::new(
        "primary key (sku) -> (sku, shop)",
        one(items().edit_col("sku", |c| c.ty(String)).pk(&["sku"])),
        one(items().pk(&["sku", "shop"])),
    )
    .seed(rows(
        "items",
        &["sku", "shop", "qty"],
        &[&["'a'", "1", "5"], &["'b'", "1", "3"]],
    ))
}

pub fn add_unique() -> Scenario {
    Scenario::new(
        "add a single-column unique constraint",
        one(users()),
        one(users().edit_col("email", |c| c.unique())),
    )
    .seed(users_seed())
}

pub fn drop_unique() -> Scenario {
    Scenario::new(
        "drop a unique constraint",
        one(users().edit_col("email", |c| c.unique())),
        one(users()),
    )
    .seed(users_seed())
}

pub fn add_composite_unique() -> Scenario {
    Scenario::new(
        "add a composite unique constraint",
        one(items()),
        one(items().unique(&["sku", "shop"])),
    )
    .seed(items_seed())
}

pub fn change_unique_columns() -> Scenario {
    Scenario::new(
        "unique (sku, shop) -> unique (shop, sku, qty)",
        one(items().unique(&["sku", "shop"])),
        one(items().unique(&["shop", "sku", "qty"])),
    )
    .seed(items_seed())
}

pub fn add_index() -> Scenario {
    Scenario::new("add an index", one(items()), one(items().index(&["shop"]))).seed(items_seed())
}

pub fn drop_index() -> Scenario {
    Scenario::new("drop an index", one(items().index(&["shop"])), one(items())).seed(items_seed())
}

pub fn change_index_columns() -> Scenario {
    Scenario::new(
        "index (shop) -> named composite index (shop, sku)",
        one(items().index(&["shop"])),
        one(items().index_named("items_by_shop", &["shop", "sku"])),
    )
    .seed(items_seed())
}

const NO_PARTIAL_INDEXES: &str =
    "MySQL and MariaDB have no partial indexes: resolve refuses `where = ...` there";

pub fn add_partial_index() -> Scenario {
    Scenario::new(
        "add a partial index",
        one(items()),
        one(items().index_where(&["sku"], "qty > 0")),
    )
    .seed(items_seed())
    .not_on(Dialect::Mysql, NO_PARTIAL_INDEXES)
}

pub fn change_partial_index_predicate() -> Scenario {
    Scenario::new(
        "change a partial index's predicate",
        one(items().index_where(&["sku"], "qty > 0")),
        one(items().index_where(&["sku"], "qty > 0 AND shop <> 3")),
    )
    .seed(items_seed())
    .not_on(Dialect::Mysql, NO_PARTIAL_INDEXES)
}

fn posts(user_ref: impl FnOnce(Col) -> Col) -> Tbl {
    table("posts")
        .col(col("id", I64).pk())
        .col(user_ref(col("user_id", I64).null()))
}

use schema_tests::build::Col;

fn posts_seed() -> schema_tests::scenario::Rows {
    rows(
        "posts",
        &["id", "user_id"],
        &[&["10", "1"], &["11", "2"], &["12", "NULL"]],
    )
}

pub fn add_foreign_key() -> Scenario {
    Scenario::new(
        "add a foreign key to rows that satisfy it",
        decls(vec![], vec![users(), posts(|c| c)]),
        decls(
            vec![],
            vec![users(), posts(|c| c.references("users", "id"))],
        ),
    )
    .seed(users_seed())
    .seed(posts_seed())
}

pub fn drop_foreign_key() -> Scenario {
    Scenario::new(
        "drop a foreign key",
        decls(
            vec![],
            vec![users(), posts(|c| c.references("users", "id"))],
        ),
        decls(vec![], vec![users(), posts(|c| c)]),
    )
    .seed(users_seed())
    .seed(posts_seed())
}

pub fn change_foreign_key_actions() -> Scenario {
    Scenario::new(
        "on delete no action -> cascade, on update -> set null",
        decls(
            vec![],
            vec![users(), posts(|c| c.references("users", "id"))],
        ),
        decls(
            vec![],
            vec![
                users(),
                posts(|c| {
                    c.references("users", "id")
                        .on_delete(FkAction::Cascade)
                        .on_update(FkAction::SetNull)
                }),
            ],
        ),
    )
    .seed(users_seed())
    .seed(posts_seed())
}

/// On MySQL `restrict` is resolved as no action (InnoDB's one rule for both): the change there
/// is cascade -> no action.
pub fn change_foreign_key_to_restrict() -> Scenario {
    Scenario::new(
        "on delete cascade -> restrict, on update restrict",
        decls(
            vec![],
            vec![
                users(),
                posts(|c| c.references("users", "id").on_delete(FkAction::Cascade)),
            ],
        ),
        decls(
            vec![],
            vec![
                users(),
                posts(|c| {
                    c.references("users", "id")
                        .on_delete(FkAction::Restrict)
                        .on_update(FkAction::Restrict)
                }),
            ],
        ),
    )
    .seed(users_seed())
    .seed(posts_seed())
}

/// The index covers the key's column, so on MySQL InnoDB made no index of its own for the key
/// and the index stays when the key goes.
pub fn drop_foreign_key_on_indexed_column() -> Scenario {
    Scenario::new(
        "drop a foreign key whose column has an index",
        decls(
            vec![],
            vec![
                users(),
                posts(|c| c.references("users", "id")).index(&["user_id", "id"]),
            ],
        ),
        decls(
            vec![],
            vec![users(), posts(|c| c).index(&["user_id", "id"])],
        ),
    )
    .seed(users_seed())
    .seed(posts_seed())
}

/// The foreign key stays while the only index covering its column goes: MySQL refuses that
/// drop while the key exists, so there the key gets its own index first.
pub fn drop_index_covering_foreign_key() -> Scenario {
    Scenario::new(
        "drop the index that covers a kept foreign key's column",
        decls(
            vec![],
            vec![
                users(),
                posts(|c| c.references("users", "id")).index(&["user_id", "id"]),
            ],
        ),
        decls(
            vec![],
            vec![users(), posts(|c| c.references("users", "id"))],
        ),
    )
    .seed(users_seed())
    .seed(posts_seed())
}

pub fn add_check() -> Scenario {
    Scenario::new(
        "add a check constraint",
        one(items()),
        one(items().check("items_qty_ok", "qty >= 0")),
    )
    .seed(items_seed())
}

/// PostgreSQL renames it in place; MySQL drops and adds it; SQLite rebuilds the table.
pub fn rename_check() -> Scenario {
    Scenario::new(
        "rename a check constraint",
        one(items().check("items_qty_ok", "qty >= 0")),
        one(items().check("items_qty_not_negative", "qty >= 0")),
    )
    .seed(items_seed())
}

pub fn drop_check() -> Scenario {
    Scenario::new(
        "drop a check constraint",
        one(items().check("items_qty_ok", "qty >= 0")),
        one(items()),
    )
    .seed(items_seed())
}

pub fn change_check_expression() -> Scenario {
    Scenario::new(
        "change a check constraint's expression",
        one(items().check("items_qty_ok", "qty >= 0")),
        one(items().check("items_qty_ok", "qty >= 0 AND qty < 1000 OR shop = 99")),
    )
    .seed(items_seed())
}

pub fn check_with_in_list_and_function() -> Scenario {
    Scenario::new(
        "checks with IN lists, functions and IS NOT NULL",
        one(items()),
        one(items()
            .check("items_shop_known", "shop IN (1, 2, 3)")
            .check("items_sku_len", "length(sku) BETWEEN 1 AND 20")
            .check("items_sku_set", "sku IS NOT NULL")),
    )
    .seed(items_seed())
}

//! Columns added, dropped, renamed; types, nullability and defaults changed.

use super::*;

fn with_users(extra: impl FnOnce(Tbl) -> Tbl) -> schema_core::decl::Declarations {
    decls(vec![], vec![extra(users())])
}

fn unchanged(t: Tbl) -> Tbl {
    t
}

pub fn add_nullable_column() -> Scenario {
    Scenario::new(
        "add a nullable column",
        with_users(unchanged),
        with_users(|t| t.col(col("nickname", String).null())),
    )
    .seed(users_seed())
}

pub fn add_not_null_column_with_default() -> Scenario {
    Scenario::new(
        "add a NOT NULL column with a default to a table with rows",
        with_users(unchanged),
        with_users(|t| t.col(col("age", I32).default_int(18))),
    )
    .seed(users_seed())
    .expect(rows("users", &["id", "age"], &[&["1", "18"], &["2", "18"]]))
}

pub fn add_several_columns() -> Scenario {
    Scenario::new(
        "add several columns of different types",
        with_users(unchanged),
        with_users(|t| {
            t.col(col("active", Bool).default(schema_core::decl::DefaultDecl::Bool(true)))
                .col(col("score", F64).null())
                .col(col("bio", String).default_str(""))
                .col(col("born", Date).null())
        }),
    )
    .seed(users_seed())
}

pub fn drop_column() -> Scenario {
    Scenario::new(
        "drop a column, keep the others' rows",
        with_users(|t| t.col(col("nickname", String).null())),
        with_users(unchanged),
    )
    .seed(rows(
        "users",
        &["id", "email", "nickname"],
        &[&["1", "'a@x'", "'al'"]],
    ))
    .expect(rows("users", &["id", "email"], &[&["1", "'a@x'"]]))
}

pub fn drop_indexed_column() -> Scenario {
    Scenario::new(
        "drop a column that has an index and a unique constraint",
        with_users(|t| {
            t.col(col("code", String).unique())
                .col(col("zone", I32).index())
        }),
        with_users(unchanged),
    )
    .seed(rows(
        "users",
        &["id", "email", "code", "zone"],
        &[&["1", "'a@x'", "'c1'", "5"]],
    ))
    .expect(rows("users", &["id", "email"], &[&["1", "'a@x'"]]))
}

pub fn rename_column() -> Scenario {
    Scenario::new(
        "rename a column, keep its values",
        with_users(|t| t.col(col("name", String).null())),
        with_users(|t| t.col(col("display_name", String).null().renamed_from("name"))),
    )
    .seed(rows(
        "users",
        &["id", "email", "name"],
        &[&["1", "'a@x'", "'Al'"], &["2", "'b@x'", "NULL"]],
    ))
    .expect(rows(
        "users",
        &["id", "display_name"],
        &[&["1", "'Al'"], &["2", "NULL"]],
    ))
}

pub fn rename_indexed_column() -> Scenario {
    Scenario::new(
        "rename a column that is indexed and unique",
        decls(
            vec![],
            vec![users().col(col("code", String).unique().index())],
        ),
        decls(
            vec![],
            vec![users().col(
                col("ref_code", String)
                    .unique()
                    .index()
                    .renamed_from("code"),
            )],
        ),
    )
    .seed(rows(
        "users",
        &["id", "email", "code"],
        &[&["1", "'a@x'", "'c1'"]],
    ))
    .expect(rows("users", &["id", "ref_code"], &[&["1", "'c1'"]]))
}

pub fn rename_column_and_change_type() -> Scenario {
    Scenario::new(
        "rename a column and widen its type",
        with_users(|t| t.col(col("visits", I32).default_int(0))),
        with_users(|t| {
            t.col(
                col("visit_count", I64)
                    .default_int(0)
                    .renamed_from("visits"),
            )
        }),
    )
    .seed(rows(
        "users",
        &["id", "email", "visits"],
        &[&["1", "'a@x'", "7"]],
    ))
    .expect(rows("users", &["id", "visit_count"], &[&["1", "7"]]))
}

pub fn widen_integer_type() -> Scenario {
    Scenario::new(
        "integer -> bigint",
        with_users(|t| t.col(col("points", I32))),
        with_users(|t| t.col(col("points", I64))),
    )
    .seed(rows(
        "users",
        &["id", "email", "points"],
        &[&["1", "'a@x'", "40"]],
    ))
}

pub fn integer_to_text() -> Scenario {
    Scenario::new(
        "integer -> text",
        with_users(|t| t.col(col("zip", I32).null())),
        with_users(|t| t.col(col("zip", String).null())),
    )
    .seed(rows(
        "users",
        &["id", "email", "zip"],
        &[&["1", "'a@x'", "12345"], &["2", "'b@x'", "NULL"]],
    ))
}

pub fn text_to_varchar() -> Scenario {
    Scenario::new(
        "text -> varchar(100) (explicit sql_type)",
        with_users(|t| t.col(col("title", String))),
        with_users(|t| t.col(col("title", Sql("varchar(100)".into())))),
    )
    .seed(rows(
        "users",
        &["id", "email", "title"],
        &[&["1", "'a@x'", "'dr'"]],
    ))
}

pub fn make_nullable() -> Scenario {
    Scenario::new(
        "NOT NULL -> nullable",
        with_users(|t| t.col(col("phone", String))),
        with_users(|t| t.col(col("phone", String).null())),
    )
    .seed(rows(
        "users",
        &["id", "email", "phone"],
        &[&["1", "'a@x'", "'555'"]],
    ))
}

pub fn make_not_null() -> Scenario {
    Scenario::new(
        "nullable -> NOT NULL on rows that all have a value",
        with_users(|t| t.col(col("phone", String).null())),
        with_users(|t| t.col(col("phone", String))),
    )
    .seed(rows(
        "users",
        &["id", "email", "phone"],
        &[&["1", "'a@x'", "'555'"]],
    ))
}

pub fn set_default() -> Scenario {
    Scenario::new(
        "set a default",
        with_users(|t| t.col(col("plan", String))),
        with_users(|t| t.col(col("plan", String).default_str("free"))),
    )
    .seed(rows(
        "users",
        &["id", "email", "plan"],
        &[&["1", "'a@x'", "'pro'"]],
    ))
}

pub fn change_default() -> Scenario {
    Scenario::new(
        "change a default",
        with_users(|t| t.col(col("plan", String).default_str("free"))),
        with_users(|t| t.col(col("plan", String).default_str("trial"))),
    )
    .seed(rows(
        "users",
        &["id", "email", "plan"],
        &[&["1", "'a@x'", "'pro'"]],
    ))
}

pub fn drop_default() -> Scenario {
    Scenario::new(
        "drop a default",
        with_users(|t| t.col(col("plan", String).default_str("free"))),
        with_users(|t| t.col(col("plan", String))),
    )
    .seed(rows(
        "users",
        &["id", "email", "plan"],
        &[&["1", "'a@x'", "'pro'"]],
    ))
}

pub fn default_with_quote() -> Scenario {
    Scenario::new(
        "a default string with a quote in it",
        with_users(unchanged),
        with_users(|t| t.col(col("greeting", String).default_str("it's me"))),
    )
    .seed(users_seed())
    .expect(rows(
        "users",
        &["id", "greeting"],
        &[&["1", "'it''s me'"], &["2", "'it''s me'"]],
    ))
}

pub fn change_numeric_and_bool_defaults() -> Scenario {
    use schema_core::decl::DefaultDecl;
    Scenario::new(
        "change integer, negative, float and boolean defaults",
        with_users(|t| {
            t.col(col("level", I32).default_int(1))
                .col(col("balance", I64).default_int(0))
                .col(col("ratio", F64).default(DefaultDecl::Float("0.5".into())))
                .col(col("active", Bool).default(DefaultDecl::Bool(true)))
        }),
        with_users(|t| {
            t.col(col("level", I32).default_int(2))
                .col(col("balance", I64).default_int(-1))
                .col(col("ratio", F64).default(DefaultDecl::Float("1.25".into())))
                .col(col("active", Bool).default(DefaultDecl::Bool(false)))
        }),
    )
    .seed(users_seed())
}

pub fn default_sql_expression() -> Scenario {
    Scenario::new(
        "a raw SQL default (CURRENT_TIMESTAMP), set then changed",
        with_users(|t| t.col(col("created_at", DateTimeTz).null())),
        with_users(|t| t.col(col("created_at", DateTimeTz).default_sql("CURRENT_TIMESTAMP"))),
    )
    .seed(rows(
        "users",
        &["id", "email", "created_at"],
        &[&["1", "'a@x'", "'2024-01-02 03:04:05'"]],
    ))
    .expect(rows("users", &["id", "email"], &[&["1", "'a@x'"]]))
}

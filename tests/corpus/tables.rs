//! Tables created, dropped and renamed.

use super::*;

pub fn create_table() -> Scenario {
    Scenario::new(
        "create a table next to an existing one",
        decls(vec![], vec![users()]),
        decls(
            vec![],
            vec![
                users(),
                table("posts")
                    .col(col("id", I64).pk().auto())
                    .col(col("user_id", I64).references("users", "id"))
                    .col(col("title", String)),
            ],
        ),
    )
    .seed(users_seed())
}

pub fn create_tables_in_dependency_order() -> Scenario {
    Scenario::new(
        "create three tables whose foreign keys chain",
        decls(vec![], vec![]),
        decls(
            vec![],
            vec![
                table("memberships")
                    .col(
                        col("user_id", I64)
                            .references("users", "id")
                            .on_delete(FkAction::Cascade),
                    )
                    .col(
                        col("org_id", I64)
                            .references("orgs", "id")
                            .on_delete(FkAction::Cascade),
                    )
                    .pk(&["user_id", "org_id"]),
                table("users")
                    .col(col("id", I64).pk().auto())
                    .col(col("org_id", I64).references("orgs", "id")),
                table("orgs")
                    .col(col("id", I64).pk().auto())
                    .col(col("name", String)),
            ],
        ),
    )
}

pub fn drop_table() -> Scenario {
    Scenario::new(
        "drop a table, keep the other",
        decls(
            vec![],
            vec![
                users(),
                table("audit")
                    .col(col("id", I64).pk())
                    .col(col("what", String)),
            ],
        ),
        decls(vec![], vec![users()]),
    )
    .seed(users_seed())
    .seed(rows("audit", &["id", "what"], &[&["1", "'login'"]]))
    .expect(users_seed())
}

pub fn drop_tables_referencing_each_other() -> Scenario {
    Scenario::new(
        "drop a parent and its child together",
        decls(
            vec![],
            vec![
                users(),
                table("posts")
                    .col(col("id", I64).pk())
                    .col(col("user_id", I64).references("users", "id")),
                table("comments")
                    .col(col("id", I64).pk())
                    .col(col("post_id", I64).references("posts", "id")),
            ],
        ),
        decls(vec![], vec![users()]),
    )
    .seed(users_seed())
    .seed(rows("posts", &["id", "user_id"], &[&["10", "1"]]))
    .seed(rows("comments", &["id", "post_id"], &[&["100", "10"]]))
    .expect(users_seed())
}

pub fn rename_table() -> Scenario {
    Scenario::new(
        "rename a table, keep its rows",
        decls(vec![], vec![users().index(&["email"])]),
        decls(vec![], vec![users().index(&["email"]).rename("people")]),
    )
    .seed(users_seed())
    .expect(rows(
        "people",
        &["id", "email"],
        &[&["1", "'a@x'"], &["2", "'b@x'"]],
    ))
}

pub fn rename_table_with_composite_key() -> Scenario {
    let memberships = || {
        table("memberships")
            .col(col("user_id", I64))
            .col(col("org_id", I64))
            .col(col("role", String).default_str("member"))
            .pk(&["user_id", "org_id"])
    };
    Scenario::new(
        "rename a table whose primary key has two columns",
        decls(vec![], vec![memberships()]),
        decls(vec![], vec![memberships().rename("members")]),
    )
    .seed(rows(
        "memberships",
        &["user_id", "org_id", "role"],
        &[&["1", "2", "'owner'"]],
    ))
    .expect(rows(
        "members",
        &["user_id", "org_id", "role"],
        &[&["1", "2", "'owner'"]],
    ))
}

pub fn rename_referenced_table() -> Scenario {
    let posts = |parent: &str| {
        table("posts").col(col("id", I64).pk()).col(
            col("user_id", I64)
                .references(parent, "id")
                .on_delete(FkAction::Cascade),
        )
    };
    Scenario::new(
        "rename a table that another table references",
        decls(vec![], vec![users(), posts("users")]),
        decls(vec![], vec![users().rename("accounts"), posts("accounts")]),
    )
    .seed(users_seed())
    .seed(rows(
        "posts",
        &["id", "user_id"],
        &[&["10", "1"], &["11", "2"]],
    ))
    .expect(rows(
        "accounts",
        &["id", "email"],
        &[&["1", "'a@x'"], &["2", "'b@x'"]],
    ))
    .expect(rows(
        "posts",
        &["id", "user_id"],
        &[&["10", "1"], &["11", "2"]],
    ))
}

/// The renamed table's foreign key is renamed with it (`posts_user_id_fkey` ->
/// `articles_user_id_fkey`): MySQL cannot rename one in place, so it is dropped and added.
pub fn rename_referencing_table() -> Scenario {
    let posts = || {
        table("posts").col(col("id", I64).pk()).col(
            col("user_id", I64)
                .references("users", "id")
                .on_delete(FkAction::Cascade),
        )
    };
    Scenario::new(
        "rename a table whose foreign key is named after it",
        decls(vec![], vec![users(), posts()]),
        decls(vec![], vec![users(), posts().rename("articles")]),
    )
    .seed(users_seed())
    .seed(rows(
        "posts",
        &["id", "user_id"],
        &[&["10", "1"], &["11", "2"]],
    ))
    .expect(rows(
        "articles",
        &["id", "user_id"],
        &[&["10", "1"], &["11", "2"]],
    ))
}

pub fn rename_table_and_add_column() -> Scenario {
    Scenario::new(
        "rename a table and add a column to it",
        decls(vec![], vec![users()]),
        decls(
            vec![],
            vec![users().rename("people").col(col("nickname", String).null())],
        ),
    )
    .seed(users_seed())
    .expect(rows(
        "people",
        &["id", "email", "nickname"],
        &[&["1", "'a@x'", "NULL"], &["2", "'b@x'", "NULL"]],
    ))
}

mod common;

use common::*;
use schema_core::decl::*;
use schema_core::model::{Check, FkAction, ForeignKey, Index, PrimaryKey, Unique};
use schema_core::resolve::{resolve, ResolveError};
use schema_core::Dialect;

#[test]
fn contract_example_on_postgres() {
    let (s, hints) = schema(&contract(), Dialect::Postgres);
    assert_eq!(
        s.enums["user_role"].values,
        ["admin", "member", "read-only"]
    );
    let t = &s.tables["users"];
    let ty = |c: &str| t.column(c).unwrap().ty.clone();
    assert_eq!(ty("id"), "bigint");
    assert!(t.column("id").unwrap().auto_increment);
    assert_eq!(ty("created_at"), "timestamptz");
    assert_eq!(ty("role"), "user_role");
    assert_eq!(ty("nickname"), "varchar(320)");
    assert_eq!(ty("type"), "text");
    assert!(t.column("display_name").unwrap().nullable);
    assert!(!t.column("email").unwrap().nullable);
    let default = |c: &str| t.column(c).unwrap().default.clone();
    assert_eq!(default("age").as_deref(), Some("0"));
    assert_eq!(default("role").as_deref(), Some("'member'"));
    assert_eq!(default("updated_at").as_deref(), Some("now()"));
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            name: "users_pkey".into(),
            columns: vec!["id".into()]
        })
    );
    let names = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        t.uniques,
        vec![
            Unique {
                name: "users_email_key".into(),
                columns: names(vec!["email"])
            },
            Unique {
                name: "users_org_id_email_key".into(),
                columns: names(vec!["org_id", "email"])
            },
        ]
    );
    let index_names: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        index_names,
        ["users_created_at_idx", "users_org_id_created_at_idx"]
    );
    assert_eq!(
        t.foreign_keys,
        vec![ForeignKey {
            name: "users_org_id_fkey".into(),
            columns: names(vec!["org_id"]),
            ref_table: "orgs".into(),
            ref_columns: names(vec!["id"]),
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
        }]
    );
    assert_eq!(
        t.checks,
        vec![Check {
            name: "users_age_ok".into(),
            expr: "age >= 0".into()
        }]
    );
    assert_eq!(
        hints.columns.get(&("users".into(), "display_name".into())),
        Some(&"name".to_string())
    );
}

#[test]
fn sqlite_uniques_become_indexes_and_enums_checks() {
    let (s, _) = schema(&contract(), Dialect::Sqlite);
    assert!(s.enums.is_empty());
    let t = &s.tables["users"];
    assert!(t.uniques.is_empty());
    assert!(t.indexes.contains(&Index {
        name: "users_email_key".into(),
        columns: vec!["email".into()],
        unique: true,
        predicate: None,
    }));
    assert_eq!(t.column("id").unwrap().ty, "integer", "rowid alias");
    assert_eq!(t.column("org_id").unwrap().ty, "bigint");
    assert_eq!(t.column("role").unwrap().ty, "text");
    assert_eq!(
        t.checks,
        vec![
            Check {
                name: "users_age_ok".into(),
                expr: "age >= 0".into()
            },
            Check {
                name: "users_role_check".into(),
                expr: "role IN ('admin', 'member', 'read-only')".into()
            },
        ]
    );
}

#[test]
fn mysql_enums_are_inline() {
    let (s, _) = schema(&contract(), Dialect::Mysql);
    let t = &s.tables["users"];
    assert_eq!(
        t.column("role").unwrap().ty,
        "enum('admin','member','read-only')"
    );
    assert_eq!(t.column("email").unwrap().ty, "varchar(255)");
}

#[test]
fn table_rename_hint() {
    let mut d = blog();
    d.tables[0].name = "accounts".into();
    d.tables[0].renamed_from = Some("users".into());
    d.tables[1].columns[1].references.as_mut().unwrap().table = "accounts".into();
    let (_, hints) = schema(&d, Dialect::Postgres);
    assert_eq!(hints.tables.get("accounts"), Some(&"users".to_string()));
}

#[test]
fn long_default_names_are_shortened_to_fit() {
    let long = "a_table_name_that_is_long_enough_to_need_shortening_on_postgres";
    let d = decls(
        vec![],
        vec![table(
            "T",
            long,
            vec![
                ColumnDecl {
                    primary_key: true,
                    ..col("id", TypeDecl::I64)
                },
                ColumnDecl {
                    index: true,
                    ..col("created_at_timestamp", TypeDecl::DateTime)
                },
            ],
        )],
    );
    let (s, _) = schema(&d, Dialect::Postgres);
    let idx = &s.tables[long].indexes[0].name;
    assert!(idx.len() <= 63, "{idx}");
    assert!(idx.starts_with("a_table_name"));
}

fn errors(d: &Declarations, dialect: Dialect) -> Vec<ResolveError> {
    match resolve(d, dialect) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e,
    }
}

fn assert_error(d: &Declarations, dialect: Dialect, rust: &str, field: Option<&str>, words: &str) {
    let errs = errors(d, dialect);
    assert!(
        errs.iter().any(|e| e.rust_name == rust
            && e.field.as_deref() == field
            && e.message.contains(words)),
        "no error on {rust}.{field:?} containing {words:?}: {errs:#?}"
    );
}

#[test]
fn two_structs_one_table() {
    let mut d = blog();
    d.tables[1].name = "users".into();
    d.tables[1].columns[1].references = None;
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        None,
        "already declared by `User`",
    );
}

#[test]
fn references_must_exist_and_be_unique_and_same_type() {
    let mut d = blog();
    d.tables[1].columns[1] = refs(col("user_id", TypeDecl::I64), "people", "id", None);
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        Some("user_id"),
        "no `#[derive(Table)]` struct",
    );

    let mut d = blog();
    d.tables[1].columns[1] = refs(col("user_id", TypeDecl::I64), "users", "uid", None);
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        Some("user_id"),
        "has no column `uid`",
    );

    let mut d = blog();
    d.tables[1].columns[1] = refs(col("user_name", TypeDecl::String), "users", "name", None);
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        Some("user_name"),
        "primary key or unique",
    );

    let mut d = blog();
    d.tables[1].columns[1] = refs(col("user_id", TypeDecl::I32), "users", "id", None);
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        Some("user_id"),
        "referenced column's type",
    );
    // SQLite compares affinities: integer (rowid key) and bigint both hold integers.
    let mut d = blog();
    d.tables[1].columns[1] = refs(col("user_id", TypeDecl::I64), "users", "id", None);
    assert!(resolve(&d, Dialect::Sqlite).is_ok());
}

#[test]
fn unmappable_types_per_dialect() {
    let d = decls(
        vec![],
        vec![table(
            "T",
            "t",
            vec![
                id(),
                col("price", TypeDecl::Decimal),
                col("tags", TypeDecl::Array(Box::new(TypeDecl::String))),
            ],
        )],
    );
    assert!(resolve(&d, Dialect::Postgres).is_ok());
    assert_error(&d, Dialect::Sqlite, "T", Some("price"), "sql_type");
    assert_error(&d, Dialect::Sqlite, "T", Some("tags"), "only on PostgreSQL");
    assert_error(&d, Dialect::Mysql, "T", Some("tags"), "only on PostgreSQL");
}

#[test]
fn enum_defaults_and_declarations_are_checked() {
    let mut d = contract();
    d.tables[1].columns[6].default = Some(DefaultDecl::Str("owner".into()));
    assert_error(
        &d,
        Dialect::Postgres,
        "User",
        Some("role"),
        "not a value of enum `user_role`",
    );

    let mut d = contract();
    d.enums.clear();
    assert_error(&d, Dialect::Postgres, "User", Some("role"), "not declared");

    let d = decls(vec![enum_decl("E", "e", &["a", "a"])], vec![]);
    assert_error(&d, Dialect::Postgres, "E", Some("a"), "two variants");
}

#[test]
fn default_literals_must_fit_the_type() {
    let d = decls(
        vec![],
        vec![table(
            "T",
            "t",
            vec![
                id(),
                ColumnDecl {
                    default: Some(DefaultDecl::Str("5".into())),
                    ..col("n", TypeDecl::I32)
                },
                ColumnDecl {
                    default: Some(DefaultDecl::Str("it's".into())),
                    ..col("s", TypeDecl::String)
                },
            ],
        )],
    );
    assert_error(&d, Dialect::Postgres, "T", Some("n"), "does not fit");
    let mut ok = d.clone();
    ok.tables[0].columns[1].default = Some(DefaultDecl::Int(-5));
    let (s, _) = schema(&ok, Dialect::Postgres);
    assert_eq!(
        s.tables["t"].column("n").unwrap().default.as_deref(),
        Some("-5")
    );
    assert_eq!(
        s.tables["t"].column("s").unwrap().default.as_deref(),
        Some("'it''s'")
    );
}

#[test]
fn keys_and_auto_increment_rules() {
    let mut d = blog();
    d.tables[0].columns[2].primary_key = true;
    let errs = errors(&d, Dialect::Postgres);
    assert!(errs
        .iter()
        .any(|e| e.message.contains("cannot be `Option<T>`")));

    let mut d = blog();
    d.tables[0].columns[1].primary_key = true;
    assert_error(&d, Dialect::Postgres, "User", None, "composite key");

    let mut d = blog();
    d.tables[1].columns[2].auto_increment = true;
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        Some("title"),
        "integer column",
    );
    assert_error(
        &d,
        Dialect::Sqlite,
        "Post",
        Some("title"),
        "one `primary_key` column",
    );

    let mut d = blog();
    d.tables[1].columns[1] = refs(
        col("user_id", TypeDecl::I64),
        "users",
        "id",
        Some(FkAction::SetNull),
    );
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        Some("user_id"),
        "`set null` needs a nullable column",
    );
}

#[test]
fn duplicate_and_too_long_names() {
    let mut d = blog();
    d.tables[0].uniques.push(UniqueDecl {
        name: None,
        columns: vec!["email".into()],
    });
    assert_error(
        &d,
        Dialect::Postgres,
        "User",
        None,
        "`users_email_key` is used by a unique constraint and a unique constraint",
    );

    let mut d = blog();
    d.tables[0].checks.push(CheckDecl {
        name: "x".repeat(70),
        expr: "true".into(),
    });
    assert_error(&d, Dialect::Postgres, "User", None, "allows 63");
    assert!(resolve(&d, Dialect::Sqlite).is_ok(), "SQLite has no limit");

    let mut d = blog();
    d.tables[1].indexes.push(IndexDecl {
        name: Some("users_email_key".into()),
        columns: vec!["title".into()],
        predicate: None,
    });
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        None,
        "shared by the whole schema",
    );
}

#[test]
fn partial_index_refused_on_mysql_and_lists_checked() {
    let mut d = blog();
    d.tables[1].indexes.push(IndexDecl {
        name: None,
        columns: vec!["title".into()],
        predicate: Some("title <> ''".into()),
    });
    assert_error(&d, Dialect::Mysql, "Post", None, "no partial indexes");
    let (s, _) = schema(&d, Dialect::Postgres);
    assert_eq!(
        s.tables["posts"].indexes[0].predicate.as_deref(),
        Some("title <> ''")
    );

    let mut d = blog();
    d.tables[1].indexes.push(IndexDecl {
        name: None,
        columns: vec!["nope".into()],
        predicate: None,
    });
    assert_error(
        &d,
        Dialect::Postgres,
        "Post",
        None,
        "not a column of `posts`",
    );
}

#[test]
fn all_errors_are_collected() {
    let mut d = blog();
    d.tables[0].columns[1].ty = TypeDecl::Decimal;
    d.tables[1].columns[2].ty = TypeDecl::Array(Box::new(TypeDecl::I32));
    let errs = errors(&d, Dialect::Sqlite);
    assert!(errs.len() >= 2, "{errs:#?}");
}

#[test]
fn variant_renamed_from_becomes_a_value_rename() {
    let mut status = enum_decl("Status", "status", &["open", "resolved"]);
    status.renamed_values = vec![("resolved".into(), "closed".into())];
    let decls = Declarations {
        enums: vec![status],
        tables: vec![],
    };
    let (_, hints) = resolve(&decls, Dialect::Postgres).unwrap();
    assert_eq!(
        hints
            .enum_values
            .get(&("status".to_string(), "resolved".to_string())),
        Some(&"closed".to_string())
    );

    let mut before = decls.clone();
    before.enums[0].values = vec!["open".into(), "closed".into()];
    before.enums[0].renamed_values.clear();
    let (from, _) = resolve(&before, Dialect::Postgres).unwrap();
    let (to, _) = resolve(&decls, Dialect::Postgres).unwrap();
    let generated = schema_core::generate::generate(&from, &to, &hints).unwrap();
    assert!(
        generated
            .up_sql
            .contains(r#"ALTER TYPE "status" RENAME VALUE 'closed' TO 'resolved';"#),
        "{}",
        generated.up_sql
    );
    assert!(!generated.destructive, "a rename keeps every row's value");
}

#[test]
fn variant_renamed_from_a_value_that_still_exists_is_an_error() {
    let mut status = enum_decl("Status", "status", &["open", "closed"]);
    status.renamed_values = vec![("open".into(), "closed".into())];
    let decls = Declarations {
        enums: vec![status],
        tables: vec![],
    };
    let errors = resolve(&decls, Dialect::Postgres).unwrap_err();
    assert!(
        errors[0].message.contains("still a value of the enum"),
        "{errors:?}"
    );
}

/// InnoDB has one rule for `RESTRICT` and `NO ACTION` and introspection reports it as no
/// action: resolve stores a declared `restrict` the same way on MySQL, and keeps it elsewhere.
#[test]
fn restrict_is_no_action_on_mysql_only() {
    let mut d = blog();
    let user_id = d.tables[1]
        .columns
        .iter_mut()
        .find(|c| c.name == "user_id")
        .unwrap();
    let r = user_id.references.as_mut().unwrap();
    r.on_delete = Some(FkAction::Restrict);
    r.on_update = Some(FkAction::Restrict);
    let actions = |dialect| {
        let (s, _) = schema(&d, dialect);
        let fk = &s.tables["posts"].foreign_keys[0];
        (fk.on_delete, fk.on_update)
    };
    assert_eq!(
        actions(Dialect::Mysql),
        (FkAction::NoAction, FkAction::NoAction)
    );
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        assert_eq!(actions(dialect), (FkAction::Restrict, FkAction::Restrict));
    }
}

/// InnoDB does not carry out `SET DEFAULT`: MySQL refuses the key, MariaDB keeps it as no
/// action, so the migration would not do what the declaration says.
#[test]
fn set_default_refused_on_mysql() {
    let mut d = blog();
    let user_id = d.tables[1]
        .columns
        .iter_mut()
        .find(|c| c.name == "user_id")
        .unwrap();
    user_id.references.as_mut().unwrap().on_update = Some(FkAction::SetDefault);
    assert_error(&d, Dialect::Mysql, "Post", Some("user_id"), "`set default`");
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        assert!(resolve(&d, dialect).is_ok());
    }
}

/// MySQL refuses a check that reads a column its foreign key's action writes (on delete set
/// null, on update cascade or set null); on delete cascade, which only deletes rows, is fine.
#[test]
fn check_on_a_column_a_foreign_key_action_writes_refused_on_mysql() {
    let with = |on_delete: FkAction, on_update: Option<FkAction>| {
        let mut d = blog();
        let user_id = d.tables[1]
            .columns
            .iter_mut()
            .find(|c| c.name == "user_id")
            .unwrap();
        user_id.nullable = true;
        let r = user_id.references.as_mut().unwrap();
        r.on_delete = Some(on_delete);
        r.on_update = on_update;
        d.tables[1].checks.push(CheckDecl {
            name: "posts_user_ok".into(),
            expr: "user_id > 0".into(),
        });
        d
    };
    for (on_delete, on_update) in [
        (FkAction::SetNull, None),
        (FkAction::NoAction, Some(FkAction::Cascade)),
        (FkAction::NoAction, Some(FkAction::SetNull)),
    ] {
        let d = with(on_delete, on_update);
        assert_error(&d, Dialect::Mysql, "Post", None, "MySQL refuses a check");
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            assert!(resolve(&d, dialect).is_ok());
        }
    }
    assert!(resolve(&with(FkAction::Cascade, None), Dialect::Mysql).is_ok());
}

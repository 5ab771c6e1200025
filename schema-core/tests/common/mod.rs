//! Builders for declarations, so tests read like the structs they stand for.
#![allow(dead_code)]

pub mod db;

use schema_core::decl::*;
use schema_core::model::{RenameHints, Schema};
use schema_core::resolve::resolve;
use schema_core::Dialect;

pub fn col(name: &str, ty: TypeDecl) -> ColumnDecl {
    ColumnDecl {
        field: name.to_string(),
        name: name.to_string(),
        renamed_from: None,
        ty,
        nullable: false,
        primary_key: false,
        auto_increment: false,
        unique: false,
        index: false,
        default: None,
        references: None,
    }
}

pub fn id() -> ColumnDecl {
    ColumnDecl {
        primary_key: true,
        auto_increment: true,
        ..col("id", TypeDecl::I64)
    }
}

pub fn nullable(c: ColumnDecl) -> ColumnDecl {
    ColumnDecl {
        nullable: true,
        ..c
    }
}

pub fn refs(c: ColumnDecl, table: &str, column: &str, on_delete: Option<FkAction>) -> ColumnDecl {
    ColumnDecl {
        references: Some(ReferenceDecl {
            table: table.into(),
            column: column.into(),
            on_delete,
            on_update: None,
        }),
        ..c
    }
}

pub fn table(rust: &str, name: &str, columns: Vec<ColumnDecl>) -> TableDecl {
    TableDecl {
        rust_name: rust.to_string(),
        name: name.to_string(),
        renamed_from: None,
        columns,
        primary_key: None,
        uniques: vec![],
        indexes: vec![],
        checks: vec![],
    }
}

pub fn enum_decl(rust: &str, name: &str, values: &[&str]) -> EnumDecl {
    EnumDecl {
        rust_name: rust.into(),
        name: name.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
        renamed_values: Vec::new(),
    }
}

pub fn decls(enums: Vec<EnumDecl>, tables: Vec<TableDecl>) -> Declarations {
    Declarations { enums, tables }
}

pub fn schema(d: &Declarations, dialect: Dialect) -> (Schema, RenameHints) {
    match resolve(d, dialect) {
        Ok(r) => r,
        Err(e) => panic!("resolve failed: {e:#?}"),
    }
}

/// users(id, email unique, name?) and posts(id, user_id -> users.id cascade, title).
pub fn blog() -> Declarations {
    decls(
        vec![],
        vec![
            table(
                "User",
                "users",
                vec![
                    id(),
                    ColumnDecl {
                        unique: true,
                        ..col("email", TypeDecl::String)
                    },
                    nullable(col("name", TypeDecl::String)),
                ],
            ),
            table(
                "Post",
                "posts",
                vec![
                    id(),
                    refs(
                        col("user_id", TypeDecl::I64),
                        "users",
                        "id",
                        Some(FkAction::Cascade),
                    ),
                    col("title", TypeDecl::String),
                ],
            ),
        ],
    )
}

/// The contract's `User` example (with an `orgs` table for its foreign key).
pub fn contract() -> Declarations {
    let user = TableDecl {
        indexes: vec![IndexDecl {
            name: None,
            columns: vec!["org_id".into(), "created_at".into()],
            predicate: None,
        }],
        uniques: vec![UniqueDecl {
            name: None,
            columns: vec!["org_id".into(), "email".into()],
        }],
        checks: vec![CheckDecl {
            name: "users_age_ok".into(),
            expr: "age >= 0".into(),
        }],
        ..table(
            "User",
            "users",
            vec![
                id(),
                ColumnDecl {
                    unique: true,
                    ..col("email", TypeDecl::String)
                },
                ColumnDecl {
                    renamed_from: Some("name".into()),
                    ..nullable(col("display_name", TypeDecl::String))
                },
                refs(
                    col("org_id", TypeDecl::I64),
                    "orgs",
                    "id",
                    Some(FkAction::Cascade),
                ),
                ColumnDecl {
                    index: true,
                    ..col("created_at", TypeDecl::DateTimeTz)
                },
                ColumnDecl {
                    default: Some(DefaultDecl::Int(0)),
                    ..col("age", TypeDecl::I32)
                },
                ColumnDecl {
                    default: Some(DefaultDecl::Str("member".into())),
                    ..col("role", TypeDecl::Enum("user_role".into()))
                },
                ColumnDecl {
                    default: Some(DefaultDecl::Sql("NOW()".into())),
                    ..col("updated_at", TypeDecl::DateTimeTz)
                },
                nullable(col("nickname", TypeDecl::Sql("VARCHAR(320)".into()))),
                ColumnDecl {
                    field: "kind".into(),
                    ..col("type", TypeDecl::String)
                },
            ],
        )
    };
    decls(
        vec![enum_decl(
            "Role",
            "user_role",
            &["admin", "member", "read-only"],
        )],
        vec![table("Org", "orgs", vec![id()]), user],
    )
}

//! The derives' run-time descriptions, checked field by field.

use schema_runtime::decl::{
    CheckDecl, ColumnDecl, DefaultDecl, EnumDecl, FkAction, IndexDecl, ReferenceDecl, TableDecl,
    TypeDecl, UniqueDecl,
};
use schema_runtime::{Enum, Table};

fn column(field: &str, ty: TypeDecl) -> ColumnDecl {
    ColumnDecl {
        field: field.into(),
        name: field.into(),
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

#[test]
fn enum_values_are_snake_case_or_renamed() {
    #[derive(Enum)]
    #[schema(name = "user_role")]
    #[allow(dead_code)]
    enum Role {
        Admin,
        Member,
        #[schema(rename = "read-only")]
        ReadOnly,
    }
    assert_eq!(
        Role::enum_decl(),
        EnumDecl {
            rust_name: "Role".into(),
            name: "user_role".into(),
            values: vec!["admin".into(), "member".into(), "read-only".into()],
            renamed_values: vec![],
        }
    );

    #[derive(Enum)]
    #[allow(dead_code)]
    enum HTTPStatus {
        NotFound,
    }
    assert_eq!(HTTPStatus::enum_decl().name, "http_status");
    assert_eq!(
        HTTPStatus::enum_decl().values,
        vec!["not_found".to_string()]
    );
}

#[test]
fn contract_example_reads_as_documented() {
    #[derive(Enum)]
    #[schema(name = "user_role")]
    #[allow(dead_code)]
    enum Role {
        Admin,
        Member,
    }

    #[derive(Table)]
    #[schema(table = "users")]
    #[schema(index(org_id, created_at))]
    #[schema(unique(org_id, email))]
    #[schema(check(name = "users_age_ok", expr = "age >= 0"))]
    #[allow(dead_code)]
    struct User {
        #[schema(primary_key, auto_increment)]
        id: i64,
        #[schema(unique)]
        email: String,
        #[schema(renamed_from = "name")]
        display_name: Option<String>,
        #[schema(references = "orgs.id", on_delete = "cascade")]
        org_id: i64,
        #[schema(index)]
        created_at: chrono::DateTime<chrono::Utc>,
        #[schema(default = 0)]
        age: i32,
        #[schema(default = "member")]
        role: Role,
        #[schema(default_sql = "now()")]
        updated_at: chrono::DateTime<chrono::Utc>,
        #[schema(sql_type = "varchar(320)")]
        nickname: Option<String>,
        #[schema(column = "type")]
        kind: String,
        #[schema(skip)]
        cache: Vec<u8>,
    }

    let expected = TableDecl {
        rust_name: "User".into(),
        name: "users".into(),
        renamed_from: None,
        columns: vec![
            ColumnDecl {
                primary_key: true,
                auto_increment: true,
                ..column("id", TypeDecl::I64)
            },
            ColumnDecl {
                unique: true,
                ..column("email", TypeDecl::String)
            },
            ColumnDecl {
                renamed_from: Some("name".into()),
                nullable: true,
                ..column("display_name", TypeDecl::String)
            },
            ColumnDecl {
                references: Some(ReferenceDecl {
                    table: "orgs".into(),
                    column: "id".into(),
                    on_delete: Some(FkAction::Cascade),
                    on_update: None,
                }),
                ..column("org_id", TypeDecl::I64)
            },
            ColumnDecl {
                index: true,
                ..column("created_at", TypeDecl::DateTimeTz)
            },
            ColumnDecl {
                default: Some(DefaultDecl::Int(0)),
                ..column("age", TypeDecl::I32)
            },
            ColumnDecl {
                default: Some(DefaultDecl::Str("member".into())),
                ..column("role", TypeDecl::Enum("user_role".into()))
            },
            ColumnDecl {
                default: Some(DefaultDecl::Sql("now()".into())),
                ..column("updated_at", TypeDecl::DateTimeTz)
            },
            ColumnDecl {
                nullable: true,
                ..column("nickname", TypeDecl::Sql("varchar(320)".into()))
            },
            ColumnDecl {
                name: "type".into(),
                ..column("kind", TypeDecl::String)
            },
        ],
        primary_key: None,
        uniques: vec![UniqueDecl {
            name: None,
            columns: vec!["org_id".into(), "email".into()],
        }],
        indexes: vec![IndexDecl {
            name: None,
            columns: vec!["org_id".into(), "created_at".into()],
            predicate: None,
        }],
        checks: vec![CheckDecl {
            name: "users_age_ok".into(),
            expr: "age >= 0".into(),
        }],
    };
    assert_eq!(User::table(), expected);
}

#[test]
fn raw_identifiers_and_composite_keys_use_column_names() {
    #[derive(Table)]
    #[schema(primary_key(r#type, owner))]
    #[schema(index(owner, name = "by_owner", where = "owner > 0"))]
    #[allow(dead_code)]
    struct MembershipRecord {
        r#type: String,
        #[schema(column = "owner_id")]
        owner: i64,
        tags: Option<Vec<String>>,
        payload: serde_json::Value,
    }
    let table = MembershipRecord::table();
    assert_eq!(table.name, "membership_record");
    assert_eq!(table.columns[0].field, "type");
    assert_eq!(table.columns[0].name, "type");
    assert_eq!(
        table.primary_key,
        Some(vec!["type".to_string(), "owner_id".to_string()])
    );
    assert_eq!(table.indexes[0].columns, vec!["owner_id".to_string()]);
    assert_eq!(table.indexes[0].name.as_deref(), Some("by_owner"));
    assert_eq!(table.indexes[0].predicate.as_deref(), Some("owner > 0"));
    assert_eq!(
        table.columns[2].ty,
        TypeDecl::Array(Box::new(TypeDecl::String))
    );
    assert!(table.columns[2].nullable);
    assert_eq!(table.columns[3].ty, TypeDecl::Json);
}

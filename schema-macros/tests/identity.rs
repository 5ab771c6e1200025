//! The CLI's reading of source and the derive's description of the same structs are one and
//! the same, over a fixture with every key and every mapped type.

#[allow(dead_code)]
#[path = "fixtures/every_key.rs"]
mod every_key;

use every_key::{inner::Priority, EveryType, Membership, OrderStatus, Role, User};
use schema_core::decl::{Declarations, TypeDecl};
use schema_core::grammar;
use schema_runtime::{Enum, Table};

const FIXTURE: &str = include_str!("fixtures/every_key.rs");

fn read_by_cli() -> Declarations {
    let file = syn::parse_file(FIXTURE).expect("the fixture parses");
    let linked = grammar::link(vec![("every_key.rs", grammar::read_file(&file))]);
    let errors: Vec<String> = linked.errors.iter().map(|(_, e)| e.to_string()).collect();
    assert!(errors.is_empty(), "the fixture reads cleanly: {errors:?}");
    linked.declarations
}

fn described_by_derive() -> Declarations {
    Declarations {
        enums: vec![
            Role::enum_decl(),
            OrderStatus::enum_decl(),
            Priority::enum_decl(),
        ],
        tables: vec![User::table(), Membership::table(), EveryType::table()],
    }
}

#[test]
fn cli_reading_equals_derive_description() {
    let cli = read_by_cli();
    let derive = described_by_derive();
    assert_eq!(cli.enums, derive.enums);
    for (cli_table, derive_table) in cli.tables.iter().zip(&derive.tables) {
        assert_eq!(cli_table, derive_table, "table `{}`", derive_table.name);
    }
    assert_eq!(cli, derive);
}

#[test]
fn fixture_covers_every_logical_type() {
    let derive = described_by_derive();
    let types: Vec<&TypeDecl> = derive
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .map(|c| &c.ty)
        .collect();
    let variants = [
        TypeDecl::Bool,
        TypeDecl::I16,
        TypeDecl::I32,
        TypeDecl::I64,
        TypeDecl::F32,
        TypeDecl::F64,
        TypeDecl::String,
        TypeDecl::Bytes,
        TypeDecl::Uuid,
        TypeDecl::Date,
        TypeDecl::Time,
        TypeDecl::DateTime,
        TypeDecl::DateTimeTz,
        TypeDecl::Decimal,
        TypeDecl::Json,
        TypeDecl::Array(Box::new(TypeDecl::I32)),
        TypeDecl::Array(Box::new(TypeDecl::Enum("order_status".into()))),
        TypeDecl::Enum("user_role".into()),
        TypeDecl::Enum("priority".into()),
        TypeDecl::Sql("citext".into()),
    ];
    for variant in &variants {
        assert!(
            types.contains(&variant),
            "the fixture has no column of type {variant:?}"
        );
    }
    let values = OrderStatus::enum_decl().values;
    assert_eq!(values, ["pending", "SHIPPED", "http_error"]);
}

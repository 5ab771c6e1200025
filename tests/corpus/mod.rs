//! The evolution corpus: one function per scenario, grouped by what changes. Each returns a
//! [`Scenario`]: source declarations, target declarations, seed rows, and the rows expected
//! after up when they differ from the seed. [`for_each_scenario!`] lists them all, once:
//! `tests/tests/corpus.rs` runs every one on PostgreSQL, SQLite and MySQL/MariaDB (a scenario
//! a dialect truly cannot do says so with `Scenario::not_on(dialect, reason)`, printed on every
//! run), `tests/tests/squawk.rs` lints their PostgreSQL migrations.

pub mod columns;
pub mod constraints;
pub mod enums;
pub mod shapes;
pub mod tables;

pub use schema_core::decl::FkAction;
pub use schema_core::decl::TypeDecl::{self, *};
pub use schema_core::Dialect;
pub use schema_tests::build::{col, decls, enum_type, table, Tbl};
pub use schema_tests::scenario::{rows, Scenario};

/// `users (id bigint pk auto, email text unique)`: the table most scenarios start from.
pub fn users() -> Tbl {
    table("users")
        .col(col("id", I64).pk().auto())
        .col(col("email", String))
}

/// Two users, for scenarios that change `users()`.
pub fn users_seed() -> schema_tests::scenario::Rows {
    rows(
        "users",
        &["id", "email"],
        &[&["1", "'a@x'"], &["2", "'b@x'"]],
    )
}

/// A declared enum column type.
pub fn enum_col(name: &str) -> TypeDecl {
    TypeDecl::Enum(name.to_string())
}

/// Every scenario of the corpus, as `group::function`, handed to the macro `$callback`:
/// `for_each_scenario!(m)` expands to `m! { tables::create_table, ... }`. The one list of the
/// corpus: a new scenario function goes here (squawk's `listed_scenarios_are_the_whole_corpus`
/// checks that every `pub fn ... -> Scenario` of `tests/corpus/*.rs` is listed).
macro_rules! for_each_scenario {
    ($callback:ident) => {
        $callback! {
            tables::create_table,
            tables::create_tables_in_dependency_order,
            tables::drop_table,
            tables::drop_tables_referencing_each_other,
            tables::rename_table,
            tables::rename_table_with_composite_key,
            tables::rename_referenced_table,
            tables::rename_referencing_table,
            tables::rename_table_and_add_column,
            columns::add_nullable_column,
            columns::add_not_null_column_with_default,
            columns::add_several_columns,
            columns::drop_column,
            columns::drop_indexed_column,
            columns::rename_column,
            columns::rename_indexed_column,
            columns::rename_column_and_change_type,
            columns::widen_integer_type,
            columns::integer_to_text,
            columns::text_to_varchar,
            columns::make_nullable,
            columns::make_not_null,
            columns::set_default,
            columns::change_default,
            columns::drop_default,
            columns::default_with_quote,
            columns::change_numeric_and_bool_defaults,
            columns::default_sql_expression,
            constraints::add_primary_key,
            constraints::drop_primary_key,
            constraints::primary_key_single_to_composite,
            constraints::add_unique,
            constraints::drop_unique,
            constraints::add_composite_unique,
            constraints::change_unique_columns,
            constraints::add_index,
            constraints::drop_index,
            constraints::change_index_columns,
            constraints::add_partial_index,
            constraints::change_partial_index_predicate,
            constraints::add_foreign_key,
            constraints::drop_foreign_key,
            constraints::change_foreign_key_actions,
            constraints::change_foreign_key_to_restrict,
            constraints::drop_foreign_key_on_indexed_column,
            constraints::drop_index_covering_foreign_key,
            constraints::add_check,
            constraints::drop_check,
            constraints::rename_check,
            constraints::change_check_expression,
            constraints::check_with_in_list_and_function,
            enums::create_enum,
            enums::add_enum_column,
            enums::drop_enum,
            enums::add_enum_value_at_end,
            enums::add_enum_value_in_middle,
            enums::remove_unused_enum_value,
            enums::enum_default_changes,
            enums::text_to_enum,
            enums::enum_to_text,
            enums::two_tables_share_an_enum,
            enums::rename_enum_value,
            enums::rename_enum_value_on_sqlite,
            shapes::reserved_word_names,
            shapes::rename_reserved_word_column,
            shapes::long_names,
            shapes::composite_keys_everywhere,
            shapes::add_self_reference,
            shapes::self_referencing_table_changes_type,
            shapes::create_cycle,
            shapes::drop_cycle,
            shapes::change_column_in_cycle,
            shapes::rebuild_parent_with_cascading_children,
            shapes::rebuild_parent_and_child,
            shapes::add_check_to_referenced_table,
        }
    };
}
pub(crate) use for_each_scenario;

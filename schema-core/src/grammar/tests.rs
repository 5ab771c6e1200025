//! The CLI side of the grammar: finding items in a file, and linking a package.

use super::*;
use crate::decl::TypeDecl;

fn read(src: &str) -> FileRead {
    read_file(&syn::parse_file(src).expect("test source parses"))
}

fn messages<K>(errors: &[(K, syn::Error)]) -> Vec<String> {
    errors.iter().map(|(_, e)| e.to_string()).collect()
}

#[test]
fn finds_derived_items_by_last_path_segment_and_in_inline_modules() {
    let file = read(
        r#"
        #[derive(Debug, schema_runtime::Table)]
        struct User { id: i64 }

        #[derive(Debug)]
        struct NotATable { id: &'static str }

        mod nested {
            #[derive(Clone, Enum)]
            enum Role { Admin }
            mod deeper {
                #[derive(Table)]
                struct Post { id: i64 }
            }
        }

        #[cfg(test)]
        mod tests {
            #[derive(Table)]
            struct OnlyInTests { id: &'static str }
        }

        #[cfg(test)]
        #[derive(Table)]
        struct AlsoOnlyInTests { id: &'static str }
        "#,
    );
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let tables: Vec<&str> = file.tables.iter().map(|t| t.decl.name.as_str()).collect();
    assert_eq!(tables, ["user", "post"]);
    assert_eq!(file.enums[0].decl.name, "role");
}

#[test]
fn every_mistake_of_an_item_is_reported_and_other_items_still_read() {
    let file = read(
        r#"
        #[derive(Table)]
        #[schema(name = "x")]
        struct Bad {
            #[schema(primary_ky)]
            id: i64,
            #[schema(on_delete = "explode")]
            org_id: i64,
        }

        #[derive(Table)]
        struct Good { id: i64 }
        "#,
    );
    let messages: Vec<String> = file.errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages[0].contains("did you mean `table`"));
    assert!(messages[1].contains("did you mean `primary_key`"));
    assert_eq!(file.tables.len(), 1);
    assert_eq!(file.tables[0].decl.name, "good");
}

#[test]
fn derive_and_cli_report_the_same_words() {
    let src = r#"
        #[derive(Table)]
        struct Bad {
            #[schema(primary_key, auto_increment)]
            id: String,
            #[schema(default = "x")]
            n: i32,
        }
    "#;
    let from_cli: Vec<String> = read(src).errors.iter().map(ToString::to_string).collect();
    let item: syn::DeriveInput = syn::parse_str(src).expect("parses");
    let from_derive: Vec<String> = table(&item)
        .expect_err("has mistakes")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(from_cli, from_derive);
    assert_eq!(from_cli.len(), 2);
}

#[test]
fn link_resolves_enums_across_files() {
    let models = read(
        r#"
        #[derive(Table)]
        struct User {
            role: Role,
            past_roles: Vec<crate::roles::Role>,
            maybe: Option<Role>,
        }
        "#,
    );
    let roles = read(
        r#"
        #[derive(Enum)]
        #[schema(name = "user_role")]
        enum Role { Admin, Member }
        "#,
    );
    let linked = link(vec![("models.rs", models), ("roles.rs", roles)]);
    assert!(linked.errors.is_empty(), "{:?}", messages(&linked.errors));
    let columns = &linked.declarations.tables[0].columns;
    let role = TypeDecl::Enum("user_role".into());
    assert_eq!(columns[0].ty, role);
    assert_eq!(columns[1].ty, TypeDecl::Array(Box::new(role.clone())));
    assert_eq!(columns[2].ty, role);
    assert!(columns[2].nullable);
    assert_eq!(linked.declarations.enums[0].values, ["admin", "member"]);
}

#[test]
fn link_reports_unknown_types_with_the_derive_wording() {
    let file = read(
        r#"
        #[derive(Table)]
        struct Invoice { total: Money }
        "#,
    );
    let linked = link(vec![(7usize, file)]);
    assert_eq!(linked.errors.len(), 1);
    assert_eq!(linked.errors[0].0, 7);
    assert_eq!(linked.errors[0].1.to_string(), cannot_map_message("Money"));
    assert!(cannot_map_message("Money").contains("sql_type"));
}

#[test]
fn link_reports_names_declared_twice() {
    let a = read(
        r#"
        #[derive(Table)] #[schema(table = "users")] struct User { id: i64 }
        #[derive(Enum)] enum Status { On }
        #[derive(Enum)] #[schema(name = "state")] enum State { A }
        "#,
    );
    let b = read(
        r#"
        #[derive(Table)] #[schema(table = "users")] struct Account { id: i64 }
        #[derive(Enum)] enum Status { Off }
        #[derive(Enum)] #[schema(name = "state")] enum Other { B }
        #[derive(Table)] struct Light { status: Status }
        "#,
    );
    let linked = link(vec![("a.rs", a), ("b.rs", b)]);
    let messages = messages(&linked.errors);
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages
        .iter()
        .any(|m| m.contains("SQL enum type `state` is declared twice")));
    assert!(messages
        .iter()
        .any(|m| m.contains("table `users` is declared twice, by `User` and by `Account`")));
    assert!(messages
        .iter()
        .any(|m| m.contains("`Status` names several `#[derive(Enum)]` enums")));
    assert!(linked.errors.iter().all(|(file, _)| *file == "b.rs"));
}

#[test]
fn same_enum_seen_twice_is_one_enum() {
    let src = r#"#[derive(Enum)] enum Role { Admin }"#;
    let linked = link(vec![(0, read(src)), (1, read(src))]);
    assert!(linked.errors.is_empty());
    assert_eq!(linked.declarations.enums.len(), 1);
}

#[test]
fn other_derives_attributes_are_ignored() {
    let file = read(
        r#"
        #[derive(Table, sqlx::FromRow)]
        #[sqlx(rename_all = "camelCase")]
        struct User {
            #[sqlx(rename = "x")]
            #[serde(skip)]
            id: i64,
        }
        "#,
    );
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.tables[0].decl.columns[0].name, "id");
}

#[test]
fn link_checks_enum_defaults_against_the_values() {
    let file = read(
        r#"
        #[derive(Enum)] enum Role { Admin, Member }
        #[derive(Table)]
        struct User {
            #[schema(default = "memeber")]
            role: Role,
            #[schema(default = "admin")]
            other: Option<Role>,
        }
        #[derive(Table)]
        struct Group {
            #[schema(default = "admin")]
            roles: Vec<Role>,
        }
        "#,
    );
    assert_eq!(
        file.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["a string default does not fit `Vec<Role>`: expected no literal: use `default_sql = \"...\"`"]
    );
    let linked = link(vec![((), file)]);
    assert_eq!(
        messages(&linked.errors),
        [
            "a string default does not fit `Vec<Role>`: expected no literal: use `default_sql = \"...\"`",
            "`default = \"memeber\"` is not a value of `Role`: did you mean `member`?",
        ]
    );
}

#[test]
fn empty_schema_attributes_are_accepted() {
    let file = read(
        r#"
        #[derive(Table)]
        #[schema()]
        struct User {
            #[schema()]
            id: i64,
        }
        "#,
    );
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.tables.len(), 1);
}

#[test]
fn keyword_keys_and_nullability_get_hints() {
    let file = read(
        r#"
        #[derive(Table)]
        struct User {
            #[schema(type = "text", nullable)]
            name: String,
        }
        "#,
    );
    let messages: Vec<String> = file.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "unknown key `type` on a field: did you mean `sql_type`?",
            "unknown key `nullable` on a field: nullability comes from the type, write `Option<T>` for a nullable column",
        ]
    );
}

#[test]
fn conditional_derives_and_keys_are_reported_not_skipped() {
    let file = read(
        r#"
        #[cfg_attr(feature = "db", derive(schema_runtime::Table))]
        struct Hidden { id: i64 }

        #[derive(Table)]
        struct User {
            #[cfg_attr(feature = "db", schema(unique))]
            email: String,
            #[cfg_attr(feature = "serde", serde(skip))]
            cache: String,
        }

        #[cfg_attr(test, derive(Debug))]
        struct Unrelated { id: i64 }
        "#,
    );
    let messages: Vec<String> = file.errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages
        .iter()
        .all(|m| m.starts_with("cargo schema cannot evaluate `cfg_attr`")));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const FRAGMENTS: &[&str] = &[
        "primary_key",
        "auto_increment",
        "unique",
        "index",
        "skip",
        "column",
        "table",
        "name",
        "renamed_from",
        "sql_type",
        "default",
        "default_sql",
        "references",
        "on_delete",
        "check",
        "expr",
        "where",
        "rename",
        "r#type",
        "id",
        "email",
        "=",
        ",",
        "(",
        ")",
        "\"x\"",
        "\"\"",
        "\"a.b\"",
        "\"cascade\"",
        "1",
        "-",
        "1.5",
        "true",
        "b'x'",
        "::",
        "#",
        "[",
        "]",
    ];

    fn attribute() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..12)
            .prop_map(|parts| parts.join(" "))
    }

    proptest! {
        #[test]
        fn arbitrary_schema_attributes_never_panic(
            container in attribute(),
            field in attribute(),
            ty in prop::sample::select(&["i64", "Option<Role>", "Vec<u8>", "String", "&str", "Vec<Vec<i32>>"][..]),
        ) {
            let src = format!(
                "#[derive(Table)] #[schema({container})] struct T {{ #[schema({field})] id: {ty}, email: String }}
                 #[derive(Enum)] #[schema({container})] enum Role {{ #[schema({field})] A, B }}"
            );
            if let Ok(file) = syn::parse_file(&src) {
                let linked = link(vec![((), read_file(&file))]);
                for (_, error) in &linked.errors {
                    prop_assert!(!error.to_string().is_empty());
                }
            }
        }
    }
}

/// `link_plain` on the files without their syntax trees: the same declarations as `link`
/// when it finds no error, `None` when it finds one.
#[track_caller]
fn plain_agrees(sources: &[&str]) {
    let linked = link(sources.iter().map(|s| ((), read(s))).collect());
    let plain: Option<Vec<PlainRead>> = sources.iter().map(|s| read(s).into_plain()).collect();
    let plain = plain.and_then(link_plain);
    if linked.errors.is_empty() {
        assert_eq!(plain, Some(linked.declarations), "{sources:?}");
    } else {
        assert_eq!(plain, None, "{sources:?}");
    }
}

#[test]
fn link_plain_agrees_with_link() {
    let role = r#"#[derive(Enum)] #[schema(name = "user_role")] enum Role { Admin, Member }"#;
    let user = r#"
        #[derive(Table)]
        struct User {
            #[schema(default = "member")]
            role: Role,
            past_roles: Vec<crate::roles::Role>,
            maybe: Option<Role>,
            #[schema(sql_type = "text")]
            raw: Role,
        }
    "#;
    plain_agrees(&[user, role]);
    plain_agrees(&[role, user, role]);
    plain_agrees(&[user]);
    plain_agrees(&[&user.replace("\"member\"", "\"memeber\""), role]);
    plain_agrees(&[user, role, r#"#[derive(Enum)] enum Role { Other }"#]);
    plain_agrees(&[
        r#"#[derive(Enum)] #[schema(name = "user_role")] enum Other { A }"#,
        role,
    ]);
    plain_agrees(&[
        r#"#[derive(Table)] #[schema(table = "users")] struct User { id: i64 }"#,
        r#"#[derive(Table)] #[schema(table = "users")] struct Account { id: i64 }"#,
    ]);
    plain_agrees(&[r#"#[derive(Table)] struct Invoice { total: Money, id: i64 }"#]);
    plain_agrees(&[r#"#[derive(Table)] struct Bad { #[schema(nope)] id: i64 }"#]);
    plain_agrees(&[]);
}

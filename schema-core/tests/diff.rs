mod common;

use common::*;
use schema_core::decl::*;
use schema_core::diff::{diff, Change, ConstraintKind};
use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;

fn changes(before: &Declarations, after: &Declarations, dialect: Dialect) -> Vec<Change> {
    let (a, _) = schema(before, dialect);
    let (b, hints) = schema(after, dialect);
    diff(&a, &b, &hints)
}

fn summaries(c: &[Change]) -> Vec<String> {
    c.iter().map(Change::summary).collect()
}

/// Diffing back with the hints reversed gives exactly the inverse changes.
fn assert_reverse_is_inverse(before: &Declarations, after: &Declarations, dialect: Dialect) {
    let (a, _) = schema(before, dialect);
    let (b, hints) = schema(after, dialect);
    let up = diff(&a, &b, &hints);
    let reversed = RenameHints {
        tables: hints
            .tables
            .iter()
            .map(|(new, old)| (old.clone(), new.clone()))
            .collect(),
        columns: hints
            .columns
            .iter()
            .map(|((t, new), old)| {
                let t_old = hints.tables.get(t).cloned().unwrap_or(t.clone());
                ((t_old, old.clone()), new.clone())
            })
            .collect(),
        enum_values: Default::default(),
    };
    let down = diff(&b, &a, &reversed);
    let mut want: Vec<String> = up.iter().map(|c| format!("{:?}", c.inverse())).collect();
    let mut got: Vec<String> = down.iter().map(|c| format!("{c:?}")).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn identical_schemas_have_no_changes() {
    for d in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        assert!(changes(&blog(), &blog(), d).is_empty());
    }
}

#[test]
fn tables_created_and_dropped() {
    let empty = decls(vec![], vec![]);
    let c = changes(&empty, &blog(), Dialect::Postgres);
    assert_eq!(summaries(&c), ["create table posts", "create table users"]);
    let c = changes(&blog(), &empty, Dialect::Postgres);
    assert_eq!(summaries(&c), ["drop table posts", "drop table users"]);
}

#[test]
fn a_vanished_column_is_a_drop_never_a_guessed_rename() {
    let mut after = blog();
    after.tables[0].columns[2] = nullable(col("full_name", TypeDecl::String));
    let c = changes(&blog(), &after, Dialect::Postgres);
    assert_eq!(
        summaries(&c),
        ["drop column users.name", "add column users.full_name text"]
    );
}

#[test]
fn renamed_from_makes_a_rename() {
    let mut after = blog();
    after.tables[0].columns[2] = ColumnDecl {
        renamed_from: Some("name".into()),
        ..nullable(col("full_name", TypeDecl::String))
    };
    let c = changes(&blog(), &after, Dialect::Postgres);
    assert_eq!(summaries(&c), ["rename column users.name to full_name"]);
    assert_reverse_is_inverse(&blog(), &after, Dialect::Postgres);
}

#[test]
fn stale_hints_are_ignored() {
    // The snapshot already has the new name: `renamed_from` stays in code after generating.
    let mut after = blog();
    after.tables[0].columns[2].renamed_from = Some("old_name".into());
    after.tables[0].renamed_from = Some("people".into());
    assert!(changes(&after, &after, Dialect::Postgres).is_empty());
}

#[test]
fn table_rename_renames_default_named_constraints() {
    let mut after = blog();
    after.tables[0].name = "accounts".into();
    after.tables[0].renamed_from = Some("users".into());
    after.tables[1].columns[1]
        .references
        .as_mut()
        .unwrap()
        .table = "accounts".into();
    let c = changes(&blog(), &after, Dialect::Postgres);
    assert_eq!(
        summaries(&c),
        [
            "rename table users to accounts",
            "rename primary key users_pkey to accounts_pkey on accounts",
            "rename unique constraint users_email_key to accounts_email_key on accounts",
        ]
    );
    // (The reverse diff names the constraint renames' table differently: they run after the
    // table rename in each direction, so the plan, not the diff, inverts them.)
}

#[test]
fn column_rename_renames_its_index() {
    let mut before = blog();
    before.tables[0].columns[2].index = true;
    let mut after = blog();
    after.tables[0].columns[2] = ColumnDecl {
        renamed_from: Some("name".into()),
        index: true,
        ..nullable(col("full_name", TypeDecl::String))
    };
    let c = changes(&before, &after, Dialect::Postgres);
    assert!(c.contains(&Change::RenameConstraint {
        table: "users".into(),
        kind: ConstraintKind::Index,
        from: "users_name_idx".into(),
        to: "users_full_name_idx".into(),
    }));
    assert_eq!(c.len(), 2, "{c:#?}");
}

#[test]
fn column_alterations() {
    let mut before = blog();
    before.tables[0].columns.push(ColumnDecl {
        default: Some(DefaultDecl::Int(1)),
        ..col("score", TypeDecl::I32)
    });
    let mut after = before.clone();
    after.tables[0].columns[3] = nullable(col("score", TypeDecl::I64));
    after.tables[0].columns[2].nullable = false;
    after.tables[0].columns[2].default = Some(DefaultDecl::Str("x".into()));
    let c = changes(&before, &after, Dialect::Postgres);
    assert_eq!(
        summaries(&c),
        [
            "alter column users.name: set NOT NULL, set default 'x'",
            "alter column users.score: type integer -> bigint, drop NOT NULL, drop default",
        ]
    );
    assert_reverse_is_inverse(&before, &after, Dialect::Postgres);
}

#[test]
fn constraints_added_dropped_and_changed() {
    let mut before = blog();
    before.tables[1].checks.push(CheckDecl {
        name: "posts_title_ok".into(),
        expr: "title <> ''".into(),
    });
    before.tables[1].indexes.push(IndexDecl {
        name: None,
        columns: vec!["title".into()],
        predicate: None,
    });
    let mut after = blog();
    after.tables[1].checks.push(CheckDecl {
        name: "posts_title_ok".into(),
        expr: "length(title) > 0".into(),
    });
    after.tables[1].columns[1] = refs(
        col("user_id", TypeDecl::I64),
        "users",
        "id",
        Some(FkAction::Restrict),
    );
    after.tables[0].columns[1].unique = false;
    after.tables[0].primary_key = None;
    after.tables[0].columns[0].primary_key = false;
    after.tables[0].columns[0].auto_increment = false;
    after.tables[0].uniques.push(UniqueDecl {
        name: None,
        columns: vec!["id".into()],
    });
    after.tables[1].columns[1]
        .references
        .as_mut()
        .unwrap()
        .column = "id".into();
    let c = changes(&before, &after, Dialect::Postgres);
    let s = summaries(&c);
    for want in [
        "drop index posts_title_idx on posts",
        "drop foreign key posts_user_id_fkey on posts",
        "drop check constraint posts_title_ok on posts",
        "add check constraint posts_title_ok on posts",
        "add foreign key posts_user_id_fkey on posts (user_id) -> users (id)",
        "drop primary key users_pkey on users",
        "drop unique constraint users_email_key on users",
        "add unique constraint users_id_key on users (id)",
        "alter column users.id: drop auto-increment",
    ] {
        assert!(s.contains(&want.to_string()), "missing {want}: {s:#?}");
    }
    assert_reverse_is_inverse(&before, &after, Dialect::Postgres);
}

#[test]
fn enums_created_dropped_and_altered() {
    let mut before = blog();
    before.enums.push(enum_decl("Role", "role", &["a", "b"]));
    before.enums.push(enum_decl("Old", "old", &["x"]));
    let mut after = blog();
    after.enums.push(enum_decl("Role", "role", &["a", "c"]));
    after.enums.push(enum_decl("New", "new", &["y"]));
    let c = changes(&before, &after, Dialect::Postgres);
    assert_eq!(
        summaries(&c),
        [
            "drop enum old",
            "create enum new (y)",
            "alter enum role: add values c, remove values b",
        ]
    );
}

#[test]
fn enum_value_rename_only_from_hints() {
    let mut a = Schema::empty(Dialect::Postgres);
    a.enums.insert(
        "role".into(),
        schema_core::model::Enum {
            name: "role".into(),
            values: vec!["a".into(), "b".into()],
        },
    );
    let mut b = a.clone();
    b.enums.get_mut("role").unwrap().values[1] = "bee".into();
    let plain = diff(&a, &b, &RenameHints::default());
    assert_eq!(
        summaries(&plain),
        ["alter enum role: add values bee, remove values b"]
    );
    let mut hints = RenameHints::default();
    hints
        .enum_values
        .insert(("role".into(), "bee".into()), "b".into());
    let renamed = diff(&a, &b, &hints);
    assert_eq!(
        summaries(&renamed),
        ["alter enum role: rename value b to bee"]
    );
}

#[test]
fn sqlite_enum_value_is_a_check_change() {
    let mut before = blog();
    before.enums.push(enum_decl("Role", "role", &["a", "b"]));
    before.tables[0]
        .columns
        .push(col("role", TypeDecl::Enum("role".into())));
    let mut after = before.clone();
    after.enums[0].values.push("c".into());
    let c = changes(&before, &after, Dialect::Sqlite);
    assert_eq!(
        summaries(&c),
        [
            "drop check constraint users_role_check on users",
            "add check constraint users_role_check on users",
        ]
    );
}

#[test]
fn column_rename_carries_checks_and_predicates_along() {
    let mut before = blog();
    before.tables[1].checks.push(CheckDecl {
        name: "posts_title_ok".into(),
        expr: "length(title) > 0".into(),
    });
    before.tables[1].indexes.push(IndexDecl {
        name: Some("posts_titled_idx".into()),
        columns: vec!["user_id".into()],
        predicate: Some("title IS NOT NULL".into()),
    });
    let mut after = before.clone();
    after.tables[1].columns[2] = ColumnDecl {
        renamed_from: Some("title".into()),
        ..col("headline", TypeDecl::String)
    };
    after.tables[1].checks[0].expr = "length(headline) > 0".into();
    after.tables[1].indexes[0].predicate = Some("headline IS NOT NULL".into());
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let c = changes(&before, &after, dialect);
        assert_eq!(
            summaries(&c),
            ["rename column posts.title to headline"],
            "{dialect}"
        );
    }
}

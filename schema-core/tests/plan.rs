mod common;

use common::*;
use schema_core::decl::*;
use schema_core::diff::{diff, Change};
use schema_core::model::Schema;
use schema_core::plan::{plan, Plan, Step};
use schema_core::Dialect;

fn plan_of(before: &Declarations, after: &Declarations, dialect: Dialect) -> Plan {
    let (a, _) = schema(before, dialect);
    let (b, hints) = schema(after, dialect);
    let changes = diff(&a, &b, &hints);
    plan(&a, &b, &changes)
}

fn labels(p: &Plan) -> Vec<String> {
    p.up.iter()
        .map(|s| match &s.step {
            Step::Change(c) => c.summary(),
            Step::AlterEnum { to, .. } => format!("alter enum {}", to.name),
            Step::RebuildTable { to, .. } => format!("rebuild {}", to.name),
        })
        .collect()
}

fn assert_down_is_reverse(p: &Plan) {
    assert_eq!(p.up.len(), p.down.len());
    for (up, down) in p.up.iter().rev().zip(&p.down) {
        assert_eq!(up.step.inverse(), down.step);
    }
}

fn empty() -> Declarations {
    decls(vec![], vec![])
}

fn with_enum() -> Declarations {
    let mut d = blog();
    d.enums.push(enum_decl("Role", "role", &["a", "b"]));
    d.tables[0]
        .columns
        .push(col("role", TypeDecl::Enum("role".into())));
    d
}

#[test]
fn postgres_creates_enums_then_tables_then_foreign_keys() {
    let p = plan_of(&empty(), &with_enum(), Dialect::Postgres);
    assert_eq!(
        labels(&p),
        [
            "create enum role (a, b)",
            "create table users",
            "create table posts",
            "add foreign key posts_user_id_fkey on posts (user_id) -> users (id)",
        ]
    );
    let Step::Change(Change::CreateTable(posts)) = &p.up[2].step else {
        panic!("{:?}", p.up[2]);
    };
    assert!(
        posts.foreign_keys.is_empty(),
        "foreign keys come after all tables"
    );
    assert_down_is_reverse(&p);
    assert_eq!(
        p.down.first().map(|s| &s.step),
        Some(&p.up[3].step.inverse()),
        "the down drops the foreign key first"
    );
}

#[test]
fn drops_run_in_reverse_dependency_order() {
    let p = plan_of(&with_enum(), &empty(), Dialect::Postgres);
    assert_eq!(
        labels(&p),
        [
            "drop foreign key posts_user_id_fkey on posts",
            "drop table posts",
            "drop table users",
            "drop enum role",
        ]
    );
    let p = plan_of(&blog(), &empty(), Dialect::Sqlite);
    assert_eq!(labels(&p), ["drop table posts", "drop table users"]);
    assert_down_is_reverse(&p);
}

fn cycle() -> Declarations {
    decls(
        vec![],
        vec![
            table(
                "A",
                "a",
                vec![
                    id(),
                    refs(nullable(col("b_id", TypeDecl::I64)), "b", "id", None),
                ],
            ),
            table(
                "B",
                "b",
                vec![
                    id(),
                    refs(nullable(col("a_id", TypeDecl::I64)), "a", "id", None),
                ],
            ),
        ],
    )
}

#[test]
fn foreign_key_cycles_between_new_tables() {
    let p = plan_of(&empty(), &cycle(), Dialect::Postgres);
    assert_eq!(
        labels(&p),
        [
            "create table a",
            "create table b",
            "add foreign key a_b_id_fkey on a (b_id) -> b (id)",
            "add foreign key b_a_id_fkey on b (a_id) -> a (id)",
        ]
    );
    // SQLite keeps them inline: it accepts forward references.
    let p = plan_of(&empty(), &cycle(), Dialect::Sqlite);
    assert_eq!(labels(&p), ["create table a", "create table b"]);
    assert_down_is_reverse(&p);
}

#[test]
fn mixed_changes_follow_the_phases() {
    let before = with_enum();
    let mut after = with_enum();
    after.tables[0].columns[2] = ColumnDecl {
        renamed_from: Some("name".into()),
        ..nullable(col("full_name", TypeDecl::String))
    };
    after.tables[0]
        .columns
        .push(nullable(col("bio", TypeDecl::String)));
    after.tables[1].columns.remove(2);
    after.tables[1].indexes.push(IndexDecl {
        name: None,
        columns: vec!["user_id".into()],
        predicate: None,
    });
    after.tables.push(table(
        "Tag",
        "tags",
        vec![
            id(),
            refs(col("post_id", TypeDecl::I64), "posts", "id", None),
        ],
    ));
    after.enums[0].values.push("c".into());
    let p = plan_of(&before, &after, Dialect::Postgres);
    assert_eq!(
        labels(&p),
        [
            "drop column posts.title",
            "rename column users.name to full_name",
            "alter enum role",
            "create table tags",
            "add column users.bio text",
            "add index posts_user_id_idx on posts (user_id)",
            "add foreign key tags_post_id_fkey on tags (post_id) -> posts (id)",
        ]
    );
    assert_down_is_reverse(&p);
    assert!(
        p.down.iter().any(|s| !s.lost_data.is_empty()),
        "the dropped column is noted"
    );
}

#[test]
fn sqlite_folds_what_alter_table_cannot_do_into_one_rebuild() {
    let before = blog();
    let mut after = blog();
    after.tables[0].columns[2].nullable = false;
    after.tables[0].checks.push(CheckDecl {
        name: "users_email_ok".into(),
        expr: "email LIKE '%@%'".into(),
    });
    after.tables[0]
        .columns
        .push(nullable(col("bio", TypeDecl::String)));
    after.tables[1]
        .columns
        .push(nullable(col("body", TypeDecl::String)));
    let p = plan_of(&before, &after, Dialect::Sqlite);
    assert_eq!(labels(&p), ["add column posts.body text", "rebuild users"]);
    let Step::RebuildTable { from, to, .. } = &p.up[1].step else {
        panic!()
    };
    assert_eq!(from, &schema(&before, Dialect::Sqlite).0.tables["users"]);
    assert_eq!(to, &schema(&after, Dialect::Sqlite).0.tables["users"]);
    assert_down_is_reverse(&p);
}

#[test]
fn sqlite_renames_stay_native_before_a_rebuild() {
    let before = blog();
    let mut after = blog();
    after.tables[0].name = "accounts".into();
    after.tables[0].renamed_from = Some("users".into());
    after.tables[0].columns[2] = ColumnDecl {
        renamed_from: Some("name".into()),
        ..col("full_name", TypeDecl::String)
    };
    after.tables[1].columns[1]
        .references
        .as_mut()
        .unwrap()
        .table = "accounts".into();
    let p = plan_of(&before, &after, Dialect::Sqlite);
    assert_eq!(
        labels(&p),
        [
            "rename table users to accounts",
            "rename column accounts.name to full_name",
            "rebuild accounts",
        ]
    );
    // The index rename is folded: the rebuild recreates the indexes under their new names.
    let Step::RebuildTable { from, .. } = &p.up[2].step else {
        panic!()
    };
    assert_eq!(from.name, "accounts");
    assert!(from.column("full_name").is_some_and(|c| c.nullable));
}

#[test]
fn risks_are_reported_per_change() {
    let p = plan_of(&blog(), &empty(), Dialect::Postgres);
    assert!(p
        .changes
        .iter()
        .all(|(_, r)| r.level == schema_core::plan::RiskLevel::Destructive));
    assert!(plan(
        &Schema::empty(Dialect::Postgres),
        &Schema::empty(Dialect::Postgres),
        &[]
    )
    .is_empty());
}

/// 600 tables, each referencing the previous one, listed children first: generating them from
/// nothing orders every parent first and stays fast.
#[test]
fn large_schemas_are_ordered_quickly() {
    let n = 600;
    let tables: Vec<TableDecl> = (0..n)
        .rev()
        .map(|i| {
            let mut cols = vec![id()];
            if i > 0 {
                cols.push(refs(
                    col("parent_id", TypeDecl::I64),
                    &format!("t{:03}", i - 1),
                    "id",
                    None,
                ));
            }
            table(&format!("T{i}"), &format!("t{i:03}"), cols)
        })
        .collect();
    let d = decls(vec![], tables);
    let started = std::time::Instant::now();
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let (to, hints) = schema(&d, dialect);
        let g = schema_core::generate::generate(&Schema::empty(dialect), &to, &hints).unwrap();
        let first = g.up_sql.find("CREATE TABLE \"t000\"").unwrap();
        let last = g.up_sql.find("CREATE TABLE \"t599\"").unwrap();
        assert!(first < last);
    }
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

/// `blog()` with posts.user_id's foreign key changed by `f` (`None`: no foreign key).
fn blog_fk(f: impl FnOnce(&mut Option<ReferenceDecl>)) -> Declarations {
    let mut d = blog();
    let c = d.tables[1]
        .columns
        .iter_mut()
        .find(|c| c.name == "user_id")
        .unwrap();
    f(&mut c.references);
    d
}

#[test]
fn mysql_drops_the_index_innodb_made_for_a_dropped_foreign_key() {
    let p = plan_of(&blog(), &blog_fk(|r| *r = None), Dialect::Mysql);
    assert_eq!(
        labels(&p),
        [
            "drop foreign key posts_user_id_fkey on posts",
            "drop index posts_user_id_fkey on posts",
        ]
    );
    // The down creates that index first; the key added after it uses it, as InnoDB would.
    let down: Vec<String> = p
        .down
        .iter()
        .map(|s| match &s.step {
            Step::Change(c) => c.summary(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        down,
        [
            "add index posts_user_id_fkey on posts (user_id)",
            "add foreign key posts_user_id_fkey on posts (user_id) -> users (id)",
        ]
    );
    assert_down_is_reverse(&p);
    // PostgreSQL and SQLite make no index for a foreign key.
    let p = plan_of(&blog(), &blog_fk(|r| *r = None), Dialect::Postgres);
    assert_eq!(labels(&p), ["drop foreign key posts_user_id_fkey on posts"]);
}

#[test]
fn mysql_keeps_the_index_when_another_covers_the_key_or_the_key_comes_back() {
    let covered = |mut d: Declarations| {
        d.tables[1].indexes.push(IndexDecl {
            name: Some("posts_by_user".into()),
            columns: vec!["user_id".into(), "title".into()],
            predicate: None,
        });
        d
    };
    let p = plan_of(
        &covered(blog()),
        &covered(blog_fk(|r| *r = None)),
        Dialect::Mysql,
    );
    assert_eq!(labels(&p), ["drop foreign key posts_user_id_fkey on posts"]);

    // New actions: dropped and added back under its name, on the index it had.
    let p = plan_of(
        &blog(),
        &blog_fk(|r| r.as_mut().unwrap().on_update = Some(FkAction::Cascade)),
        Dialect::Mysql,
    );
    assert!(
        !labels(&p).iter().any(|l| l.starts_with("drop index")),
        "{:?}",
        labels(&p)
    );
}

#[test]
fn mysql_writes_out_the_index_innodb_would_make_for_an_added_foreign_key() {
    let p = plan_of(&blog_fk(|r| *r = None), &blog(), Dialect::Mysql);
    assert_eq!(
        labels(&p),
        [
            "add index posts_user_id_fkey on posts (user_id)",
            "add foreign key posts_user_id_fkey on posts (user_id) -> users (id)",
        ]
    );
    assert_down_is_reverse(&p);
}

#[test]
fn mysql_renamed_foreign_key_on_a_covered_column_needs_no_index_of_its_own() {
    let covered = |mut d: Declarations| {
        d.tables[1].indexes.push(IndexDecl {
            name: Some("by_user".into()),
            columns: vec!["user_id".into(), "title".into()],
            predicate: None,
        });
        d
    };
    let mut after = covered(blog());
    after.tables[1].name = "articles".into();
    after.tables[1].renamed_from = Some("posts".into());
    let p = plan_of(&covered(blog()), &after, Dialect::Mysql);
    assert_eq!(
        labels(&p),
        [
            "drop foreign key posts_user_id_fkey on posts",
            "rename table posts to articles",
            "rename primary key posts_pkey to articles_pkey on articles",
            "add foreign key articles_user_id_fkey on articles (user_id) -> users (id)",
        ]
    );
    assert_down_is_reverse(&p);
}

/// The rule of `plan::mysql`: a key has an index named after it exactly while no declared
/// index covers its columns.
#[test]
fn mysql_kept_foreign_key_gets_its_index_before_losing_its_cover_and_loses_it_after_gaining_one() {
    let covered = |mut d: Declarations, columns: &[&str]| {
        d.tables[1].indexes.push(IndexDecl {
            name: Some("by_user".into()),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            predicate: None,
        });
        d
    };
    // InnoDB refuses to drop the last index a key needs: its own index comes first.
    let p = plan_of(
        &covered(blog(), &["user_id", "title"]),
        &blog(),
        Dialect::Mysql,
    );
    assert_eq!(
        labels(&p),
        [
            "add index posts_user_id_fkey on posts (user_id)",
            "drop index by_user on posts",
        ]
    );
    assert_down_is_reverse(&p);
    // Gaining a cover: its own index goes once the cover exists.
    let p = plan_of(
        &blog(),
        &covered(blog(), &["user_id", "title"]),
        Dialect::Mysql,
    );
    assert_eq!(
        labels(&p),
        [
            "add index by_user on posts (user_id, title)",
            "drop index posts_user_id_fkey on posts",
        ]
    );
    // Covered before and after: nothing for the key.
    let p = plan_of(
        &covered(blog(), &["user_id", "title"]),
        &covered(blog(), &["user_id"]),
        Dialect::Mysql,
    );
    assert_eq!(
        labels(&p),
        [
            "drop index by_user on posts",
            "add index by_user on posts (user_id)",
        ]
    );
    // PostgreSQL drops the index alone.
    let p = plan_of(
        &covered(blog(), &["user_id", "title"]),
        &blog(),
        Dialect::Postgres,
    );
    assert_eq!(labels(&p), ["drop index by_user on posts"]);
}

#[test]
fn mysql_creates_a_new_tables_foreign_key_index_with_the_table() {
    let p = plan_of(&empty(), &blog(), Dialect::Mysql);
    let Some(Step::Change(Change::CreateTable(posts))) =
        p.up.iter()
            .find(|s| matches!(&s.step, Step::Change(Change::CreateTable(t)) if t.name == "posts"))
            .map(|s| &s.step)
    else {
        panic!("{:?}", labels(&p));
    };
    let names: Vec<&str> = posts.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["posts_user_id_fkey"]);
    assert!(posts.foreign_keys.is_empty());
    // Dropping the table: its down makes it the same way.
    let p = plan_of(&blog(), &empty(), Dialect::Mysql);
    assert!(p.down.iter().any(|s| matches!(&s.step,
        Step::Change(Change::CreateTable(t)) if t.name == "posts" && t.indexes.len() == 1)));
    // PostgreSQL makes no index for a foreign key.
    let p = plan_of(&empty(), &blog(), Dialect::Postgres);
    assert!(p.up.iter().all(|s| !matches!(&s.step,
        Step::Change(Change::CreateTable(t)) if !t.indexes.is_empty())));
}

//! The diagram of a change: what is added, dropped and changed is marked, the untouched
//! tables next to it are faded, and everything else is left out.

mod support;

use schema_core::model::{Column, ForeignKey, RenameHints, Schema};
use schema_erd::{Graph, Mark};

fn drawn(before: &Schema, after: &Schema, hints: &RenameHints) -> Graph {
    let changes = schema_core::diff::diff(before, after, hints);
    schema_erd::changes(before, after, &changes)
}

fn marks(graph: &Graph) -> Vec<(&str, Mark)> {
    graph
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t.mark))
        .collect()
}

fn column(name: &str, ty: &str, nullable: bool) -> Column {
    Column {
        name: name.into(),
        ty: ty.into(),
        nullable,
        default: None,
        auto_increment: false,
    }
}

#[test]
fn no_change_draws_nothing() {
    let blog = support::blog("postgres");
    assert!(drawn(&blog, &blog, &RenameHints::default()).is_empty());
}

#[test]
fn an_added_column_marks_its_table_and_fades_the_neighbours() {
    let before = support::blog("postgres");
    let mut after = before.clone();
    let tags = after.tables.get_mut("tags").expect("tags");
    tags.columns.push(column("color", "text", true));
    let graph = drawn(&before, &after, &RenameHints::default());
    // tags changed; post_tags references it (faded); nothing else is drawn.
    assert_eq!(
        marks(&graph),
        [("post_tags", Mark::Faded), ("tags", Mark::Changed)]
    );
    let tags = graph.table("tags").expect("tags");
    let color = tags
        .columns
        .iter()
        .find(|c| c.name == "color")
        .expect("color");
    assert_eq!(color.mark, Mark::Added);
    assert!(tags
        .columns
        .iter()
        .filter(|c| c.name != "color")
        .all(|c| c.mark == Mark::Plain));
    assert_eq!(graph.relations.len(), 1);
    assert_eq!(graph.relations[0].mark, Mark::Faded);
}

#[test]
fn a_dropped_table_is_put_back_with_its_relations() {
    let before = support::blog("postgres");
    let mut after = before.clone();
    after.tables.remove("post_tags");
    let graph = drawn(&before, &after, &RenameHints::default());
    assert_eq!(
        marks(&graph),
        [
            ("post_tags", Mark::Dropped),
            ("posts", Mark::Faded),
            ("tags", Mark::Faded)
        ]
    );
    let dropped: Vec<(&str, Mark)> = graph
        .relations
        .iter()
        .map(|r| (r.name.as_str(), r.mark))
        .collect();
    assert_eq!(
        dropped,
        [
            ("post_tags_post_id_fkey", Mark::Dropped),
            ("post_tags_tag_id_fkey", Mark::Dropped)
        ]
    );
}

#[test]
fn renames_and_alterations_say_what_was() {
    let before = support::blog("postgres");
    let mut after = before.clone();
    let mut accounts = after.tables.remove("users").expect("users");
    accounts.name = "accounts".into();
    for column in &mut accounts.columns {
        if column.name == "display_name" {
            column.name = "full_name".into();
        }
        if column.name == "email" {
            column.ty = "varchar(320)".into();
        }
    }
    after.tables.insert("accounts".into(), accounts);
    for table in after.tables.values_mut() {
        for fk in &mut table.foreign_keys {
            if fk.ref_table == "users" {
                fk.ref_table = "accounts".into();
            }
        }
    }
    let mut hints = RenameHints::default();
    hints.tables.insert("accounts".into(), "users".into());
    hints.columns.insert(
        ("accounts".into(), "full_name".into()),
        "display_name".into(),
    );
    let graph = drawn(&before, &after, &hints);
    let accounts = graph.table("accounts").expect("accounts");
    assert_eq!(accounts.mark, Mark::Changed);
    assert_eq!(accounts.renamed_from.as_deref(), Some("users"));
    let row = |name: &str| {
        accounts
            .columns
            .iter()
            .find(|c| c.name == name)
            .expect(name)
    };
    assert_eq!(row("full_name").mark, Mark::Changed);
    assert_eq!(row("full_name").was, ["renamed from display_name"]);
    assert_eq!(row("email").was, ["was text"]);
    assert!(graph.table("users").is_none(), "a rename is not a drop");
}

#[test]
fn an_added_foreign_key_and_a_dropped_column() {
    let before = support::blog("postgres");
    let mut after = before.clone();
    let posts = after.tables.get_mut("posts").expect("posts");
    posts.columns.retain(|c| c.name != "view_count");
    posts.columns.push(column("editor_id", "bigint", true));
    posts.foreign_keys.push(ForeignKey {
        name: "posts_editor_id_fkey".into(),
        columns: vec!["editor_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: Default::default(),
        on_update: Default::default(),
    });
    posts.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    let graph = drawn(&before, &after, &RenameHints::default());
    let posts = graph.table("posts").expect("posts");
    assert_eq!(posts.mark, Mark::Changed);
    let view_count = posts
        .columns
        .iter()
        .find(|c| c.name == "view_count")
        .expect("put back");
    assert_eq!(view_count.mark, Mark::Dropped);
    let editor = graph
        .relations
        .iter()
        .find(|r| r.name == "posts_editor_id_fkey")
        .expect("the new key");
    assert_eq!(editor.mark, Mark::Added);
    let author = graph
        .relations
        .iter()
        .find(|r| r.name == "posts_author_id_fkey")
        .expect("the old key, to a faded neighbour");
    assert_eq!(author.mark, Mark::Faded);
    assert_eq!(graph.table("users").map(|t| t.mark), Some(Mark::Faded));
    // An untouched enum of a changed table is context too.
    assert_eq!(
        graph.enum_box("post_status").map(|e| e.mark),
        Some(Mark::Faded)
    );
}

#[test]
fn enum_values_added_and_removed() {
    let before = support::blog("postgres");
    let mut after = before.clone();
    let status = after.enums.get_mut("post_status").expect("post_status");
    status.values = vec!["draft".into(), "published".into(), "scheduled".into()];
    let graph = drawn(&before, &after, &RenameHints::default());
    let status = graph.enum_box("post_status").expect("post_status");
    assert_eq!(status.mark, Mark::Changed);
    let values: Vec<(&str, Mark)> = status
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.mark))
        .collect();
    assert_eq!(
        values,
        [
            ("draft", Mark::Plain),
            ("published", Mark::Plain),
            ("scheduled", Mark::Added),
            ("archived", Mark::Dropped)
        ]
    );
    assert_eq!(
        marks(&graph),
        [("posts", Mark::Faded)],
        "the table using it, for context"
    );

    // SQLite: the values live in a check; the box of the column changes all the same.
    let before = support::blog("sqlite");
    let mut after = before.clone();
    let users = after.tables.get_mut("users").expect("users");
    users.checks[0].expr = "role IN ('admin', 'author', 'reader', 'guest')".into();
    let graph = drawn(&before, &after, &RenameHints::default());
    let role = graph.enum_box("users.role").expect("users.role");
    assert_eq!(role.mark, Mark::Changed);
    assert_eq!(
        role.values.last().map(|v| (v.value.as_str(), v.mark)),
        Some(("guest", Mark::Added))
    );
}

#[test]
fn a_new_table_with_a_key_to_an_old_one() {
    let before = support::blog("postgres");
    let mut after = before.clone();
    let mut likes = after.tables["tags"].clone();
    likes.name = "likes".into();
    likes.uniques.clear();
    likes.primary_key.as_mut().expect("pk").name = "likes_pkey".into();
    likes.columns = vec![
        column("id", "bigint", false),
        column("post_id", "bigint", false),
    ];
    likes.foreign_keys = vec![ForeignKey {
        name: "likes_post_id_fkey".into(),
        columns: vec!["post_id".into()],
        ref_table: "posts".into(),
        ref_columns: vec!["id".into()],
        on_delete: Default::default(),
        on_update: Default::default(),
    }];
    after.tables.insert("likes".into(), likes);
    let graph = drawn(&before, &after, &RenameHints::default());
    assert_eq!(
        marks(&graph),
        [("likes", Mark::Added), ("posts", Mark::Faded)]
    );
    assert_eq!(graph.relations.len(), 1);
    assert_eq!(graph.relations[0].mark, Mark::Added);
}

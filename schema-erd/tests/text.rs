//! The Mermaid and DOT text of the example app's schema, and of a change to it, compared
//! with the files in `tests/expected/` (review a difference, then `UPDATE_EXPECT=1 cargo test
//! -p schema-erd --test text` to accept it).

mod support;

use schema_core::model::{Column, RenameHints};
use schema_erd::{Format, Graph};

#[track_caller]
fn expect(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).expect("write the expected file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_EXPECT=1 writes it)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\n--- actual\n{actual}",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

fn render(graph: &Graph, format: Format, title: &str) -> String {
    schema_erd::render(graph, format, title).expect("renders")
}

#[test]
fn blog_mermaid() {
    let pg = Graph::from_schema(&support::blog("postgres"));
    expect(
        "blog.postgres.mmd",
        &render(&pg, Format::Mermaid, "blog (postgres)"),
    );
    let sqlite = Graph::from_schema(&support::blog("sqlite"));
    expect(
        "blog.sqlite.mmd",
        &render(&sqlite, Format::Mermaid, "blog (sqlite)"),
    );
}

#[test]
fn blog_dot() {
    let pg = Graph::from_schema(&support::blog("postgres"));
    expect(
        "blog.postgres.dot",
        &render(&pg, Format::Dot, "blog (postgres)"),
    );
}

#[test]
fn a_change_in_mermaid_and_dot() {
    let before = support::blog("postgres");
    let mut after = before.clone();
    let posts = after.tables.get_mut("posts").expect("posts");
    posts.columns.retain(|c| c.name != "view_count");
    posts.columns.push(Column {
        name: "summary".into(),
        ty: "text".into(),
        nullable: true,
        default: None,
        auto_increment: false,
    });
    after.tables.remove("post_tags");
    let changes = schema_core::diff::diff(&before, &after, &RenameHints::default());
    let graph = schema_erd::changes(&before, &after, &changes);
    expect(
        "change.mmd",
        &render(&graph, Format::Mermaid, "blog: a change"),
    );
    expect("change.dot", &render(&graph, Format::Dot, "blog: a change"));
}

/// The README's Mermaid block and `docs/blog-erd.svg` are what `cargo schema erd -p blog
/// --dialect postgres` draws today (`UPDATE_EXPECT=1` rewrites the SVG; the README block is
/// pasted by hand).
#[test]
fn the_readme_shows_todays_diagram() {
    let root = support::workspace();
    let snapshot_path = root.join("examples/blog/migrations/postgres/schema.snapshot.json");
    let snapshot = schema_core::snapshot::Snapshot::parse(
        &std::fs::read_to_string(snapshot_path).expect("blog snapshot"),
    )
    .expect("parses");
    let title = format!(
        "blog (postgres) at {}",
        snapshot.last().expect("a migration").id()
    );
    let graph = Graph::from_schema(&snapshot.schema);
    let mermaid = render(&graph, Format::Mermaid, &title);
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let block = format!("```mermaid\n{mermaid}```\n");
    assert!(
        readme.contains(&block),
        "README.md's Mermaid block is not today's diagram; paste this:\n{block}"
    );
    let svg = render(&graph, Format::Svg, &title);
    let committed = root.join("docs/blog-erd.svg");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&committed, &svg).expect("write docs/blog-erd.svg");
    }
    assert_eq!(
        std::fs::read_to_string(&committed).expect("docs/blog-erd.svg"),
        svg,
        "docs/blog-erd.svg is not today's diagram (UPDATE_EXPECT=1 rewrites it)"
    );
}

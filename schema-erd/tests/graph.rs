//! The diagram model: cardinality, join tables, enums, and the parts `--tables` and
//! `--around --depth` select.

mod support;

use schema_erd::{Cardinality, Error, Graph, Selection};
use support::schema;

const ID: &str = r#"{"name":"id","type":"bigint","nullable":false}"#;

fn relation<'a>(graph: &'a Graph, name: &str) -> &'a schema_erd::Relation {
    graph
        .relations
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no relation {name}"))
}

fn cardinality_schema() -> schema_core::model::Schema {
    schema(
        "postgres",
        "",
        &format!(
            r#"
        "users": {{"columns": [{ID}], "primary_key": {{"name":"users_pkey","columns":["id"]}}}},
        "posts": {{"columns": [{ID}, {{"name":"author_id","type":"bigint","nullable":false}}, {{"name":"editor_id","type":"bigint","nullable":true}}],
            "primary_key": {{"name":"posts_pkey","columns":["id"]}},
            "foreign_keys": [
              {{"name":"posts_author_id_fkey","columns":["author_id"],"ref_table":"users","ref_columns":["id"]}},
              {{"name":"posts_editor_id_fkey","columns":["editor_id"],"ref_table":"users","ref_columns":["id"]}}]}},
        "profiles": {{"columns": [{ID}, {{"name":"user_id","type":"bigint","nullable":false}}],
            "primary_key": {{"name":"profiles_pkey","columns":["id"]}},
            "uniques": [{{"name":"profiles_user_id_key","columns":["user_id"]}}],
            "foreign_keys": [{{"name":"profiles_user_id_fkey","columns":["user_id"],"ref_table":"users","ref_columns":["id"]}}]}},
        "settings": {{"columns": [{{"name":"user_id","type":"bigint","nullable":false}}],
            "primary_key": {{"name":"settings_pkey","columns":["user_id"]}},
            "foreign_keys": [{{"name":"settings_user_id_fkey","columns":["user_id"],"ref_table":"users","ref_columns":["id"]}}]}},
        "avatars": {{"columns": [{ID}, {{"name":"user_id","type":"bigint","nullable":true}}],
            "primary_key": {{"name":"avatars_pkey","columns":["id"]}},
            "indexes": [{{"name":"avatars_user_id_idx","columns":["user_id"],"unique":true}}],
            "foreign_keys": [{{"name":"avatars_user_id_fkey","columns":["user_id"],"ref_table":"users","ref_columns":["id"]}}]}},
        "drafts": {{"columns": [{ID}, {{"name":"user_id","type":"bigint","nullable":false}}],
            "primary_key": {{"name":"drafts_pkey","columns":["id"]}},
            "indexes": [{{"name":"drafts_one_open","columns":["user_id"],"unique":true,"where":"id > 0"}}],
            "foreign_keys": [{{"name":"drafts_user_id_fkey","columns":["user_id"],"ref_table":"users","ref_columns":["id"]}}]}}
        "#
        ),
    )
}

#[test]
fn a_plain_foreign_key_is_one_to_many() {
    let graph = Graph::from_schema(&cardinality_schema());
    let author = relation(&graph, "posts_author_id_fkey");
    assert_eq!(author.cardinality, Cardinality::OneToMany);
    assert!(!author.optional);
    assert!(!author.identifying);
    assert_eq!(
        (author.table.as_str(), author.ref_table.as_str()),
        ("posts", "users")
    );
    let editor = relation(&graph, "posts_editor_id_fkey");
    assert_eq!(editor.cardinality, Cardinality::OneToMany);
    assert!(editor.optional, "a nullable key: a post may have no editor");
}

#[test]
fn a_unique_foreign_key_is_one_to_one() {
    let graph = Graph::from_schema(&cardinality_schema());
    assert_eq!(
        relation(&graph, "profiles_user_id_fkey").cardinality,
        Cardinality::OneToOne,
        "unique constraint"
    );
    let settings = relation(&graph, "settings_user_id_fkey");
    assert_eq!(
        settings.cardinality,
        Cardinality::OneToOne,
        "the key is the primary key"
    );
    assert!(settings.identifying);
    let avatars = relation(&graph, "avatars_user_id_fkey");
    assert_eq!(avatars.cardinality, Cardinality::OneToOne, "unique index");
    assert!(avatars.optional);
    assert_eq!(
        relation(&graph, "drafts_user_id_fkey").cardinality,
        Cardinality::OneToMany,
        "a partial unique index does not make the key unique"
    );
}

#[test]
fn columns_carry_their_keys() {
    let graph = Graph::from_schema(&cardinality_schema());
    let profiles = graph.table("profiles").expect("profiles");
    let keys: Vec<(String, Vec<&str>)> = profiles
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.keys()))
        .collect();
    assert_eq!(
        keys,
        [
            ("id".to_string(), vec!["PK"]),
            ("user_id".to_string(), vec!["FK", "UK"])
        ]
    );
}

#[test]
fn a_join_table_makes_a_many_to_many_relation() {
    let graph = Graph::from_schema(&support::blog("postgres"));
    let m2m: Vec<(&str, &str, &str)> = graph.many_to_many().collect();
    assert_eq!(m2m, [("post_tags", "posts", "tags")]);
    // Its two keys stay one-to-many relations of their own (each is drawn).
    assert_eq!(
        relation(&graph, "post_tags_tag_id_fkey").cardinality,
        Cardinality::OneToMany
    );
    assert!(relation(&graph, "post_tags_tag_id_fkey").identifying);
    // A table with two keys that do not identify its rows is no join table.
    let graph = Graph::from_schema(&cardinality_schema());
    assert_eq!(
        graph.many_to_many().count(),
        0,
        "posts has two keys to users"
    );
}

#[test]
fn enums_are_boxes_in_every_dialect() {
    let pg = Graph::from_schema(&support::blog("postgres"));
    let names: Vec<&str> = pg.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["post_status", "user_role"]);
    let uses: Vec<(&str, &str, &str)> = pg
        .enum_uses
        .iter()
        .map(|u| (u.table.as_str(), u.column.as_str(), u.enum_name.as_str()))
        .collect();
    assert_eq!(
        uses,
        [
            ("posts", "status", "post_status"),
            ("users", "role", "user_role")
        ]
    );

    // SQLite: `text` with `CHECK (col IN (...))`.
    let sqlite = Graph::from_schema(&support::blog("sqlite"));
    let role = sqlite.enum_box("users.role").expect("users.role");
    let values: Vec<&str> = role.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["admin", "author", "reader"]);
    assert_eq!(role.column, Some(("users".into(), "role".into())));

    // MySQL: an inline enum type; PostgreSQL arrays of an enum use it too.
    let mysql = schema(
        "mysql",
        "",
        r#""tickets": {"columns": [{"name":"state","type":"enum('open','it''s done')","nullable":true}]}"#,
    );
    let graph = Graph::from_schema(&mysql);
    let state = graph.enum_box("tickets.state").expect("tickets.state");
    let values: Vec<&str> = state.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["open", "it's done"]);
    assert!(graph.enum_uses[0].optional);
    let arrays = schema(
        "postgres",
        r#""tag": ["a","b"]"#,
        r#""things": {"columns": [{"name":"tags","type":"tag[]","nullable":false}]}"#,
    );
    assert_eq!(Graph::from_schema(&arrays).enum_uses[0].enum_name, "tag");
}

fn chain() -> schema_core::model::Schema {
    // a <- b <- c <- d, and e on its own.
    let table = |name: &str, parent: Option<&str>| {
        let fk = parent
            .map(|p| {
                format!(
                    r#", "foreign_keys": [{{"name":"{name}_p_fkey","columns":["p"],"ref_table":"{p}","ref_columns":["id"]}}]"#
                )
            })
            .unwrap_or_default();
        format!(
            r#""{name}": {{"columns": [{ID}, {{"name":"p","type":"bigint","nullable":true}}], "primary_key": {{"name":"{name}_pkey","columns":["id"]}}{fk}}}"#
        )
    };
    let tables = [
        table("a", None),
        table("b", Some("a")),
        table("c", Some("b")),
        table("d", Some("c")),
        table("e", None),
    ];
    schema("postgres", "", &tables.join(","))
}

fn names(graph: &Graph) -> Vec<&str> {
    graph.tables.iter().map(|t| t.name.as_str()).collect()
}

#[test]
fn around_follows_relations_both_ways_to_the_depth() {
    let graph = Graph::from_schema(&chain());
    let around = |table: &str, depth| {
        graph
            .clone()
            .select(&Selection::Around {
                table: table.into(),
                depth,
            })
            .expect("known table")
    };
    assert_eq!(names(&around("c", 0)), ["c"]);
    assert_eq!(names(&around("c", 1)), ["b", "c", "d"]);
    let two = around("c", 2);
    assert_eq!(names(&two), ["a", "b", "c", "d"]);
    assert_eq!(two.relations.len(), 3, "every relation between kept tables");
    assert_eq!(names(&around("a", 10)), ["a", "b", "c", "d"]);
    assert_eq!(names(&around("e", 3)), ["e"]);
}

#[test]
fn tables_keeps_only_the_named_tables_and_their_relations() {
    let graph = Graph::from_schema(&chain())
        .select(&Selection::Tables(vec!["a".into(), "c".into(), "b".into()]))
        .expect("known tables");
    assert_eq!(names(&graph), ["a", "b", "c"]);
    let kept: Vec<&str> = graph.relations.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        kept,
        ["b_p_fkey", "c_p_fkey"],
        "d's key to c is gone with d"
    );

    // Enums follow the columns that use them.
    let blog = Graph::from_schema(&support::blog("postgres"))
        .select(&Selection::Tables(vec!["users".into()]))
        .expect("users");
    let enums: Vec<&str> = blog.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(enums, ["user_role"]);
}

#[test]
fn an_unknown_table_is_an_error_with_a_suggestion() {
    let graph = Graph::from_schema(&support::blog("postgres"));
    let error = graph
        .clone()
        .select(&Selection::Tables(vec!["users".into(), "post".into()]))
        .expect_err("no table post");
    assert!(
        matches!(&error, Error::UnknownTable { name, suggestion: Some(s) } if name == "post" && s == "posts")
    );
    assert_eq!(
        error.to_string(),
        "no table `post` in the schema (did you mean `posts`?)"
    );
    let error = graph
        .select(&Selection::Around {
            table: "invoices".into(),
            depth: 1,
        })
        .expect_err("no table invoices");
    assert_eq!(error.to_string(), "no table `invoices` in the schema");
}

use schema_runtime::Table;

#[derive(Table)]
struct Post {
    #[schema(on_delete = "cascade")]
    author_id: i64,
    #[schema(on_update = "restrict")]
    editor_id: i64,
}

fn main() {}

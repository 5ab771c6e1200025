use schema_runtime::Table;

#[derive(Table)]
struct Post {
    #[schema(references = "users.id", on_delete = "explode", on_update = "set_null")]
    author_id: i64,
}

fn main() {}

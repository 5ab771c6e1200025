use schema_runtime::Table;

#[derive(Table)]
struct Post {
    #[schema(references = "users")]
    author_id: i64,
    #[schema(references = "public.users.id")]
    editor_id: i64,
    #[schema(references = ".id")]
    reviewer_id: i64,
}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[schema(skip, unique, column = "cache")]
    cache: Vec<u8>,
}

fn main() {}

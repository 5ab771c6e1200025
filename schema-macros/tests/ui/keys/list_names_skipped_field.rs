use schema_runtime::Table;

#[derive(Table)]
#[schema(index(cache))]
struct User {
    id: i64,
    #[schema(skip)]
    cache: Vec<u8>,
}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
struct User {
    count: u32,
    tags: std::collections::HashMap<String, i32>,
    pair: (i32, i32),
    maybe: Option<Option<i32>>,
}

fn main() {}

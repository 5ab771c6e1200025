use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(auto_increment)]
    id: i64,
}

#[derive(Table)]
struct Counter {
    #[schema(primary_key, auto_increment, default = 1)]
    id: i64,
}

fn main() {}

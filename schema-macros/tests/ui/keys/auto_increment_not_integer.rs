use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(primary_key, auto_increment)]
    id: String,
}

#[derive(Table)]
struct Account {
    #[schema(primary_key, auto_increment)]
    id: Option<i64>,
}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
#[schema(name = "users")]
struct User {
    id: i64,
}

fn main() {}

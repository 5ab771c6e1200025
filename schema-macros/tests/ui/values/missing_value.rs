use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(column)]
    id: i64,
    #[schema]
    email: String,
    #[schema(default)]
    age: i32,
}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(default = 0, default_sql = "1 + 1")]
    age: i32,
}

fn main() {}

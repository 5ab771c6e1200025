use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(primary_key = true)]
    id: i64,
    #[schema(index(id))]
    email: String,
}

fn main() {}

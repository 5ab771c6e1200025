use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(unique, unique)]
    email: String,
    #[schema(column = "a")]
    #[schema(column = "b")]
    name: String,
}

fn main() {}

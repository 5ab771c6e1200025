use schema_runtime::Table;

#[derive(Table)]
#[schema(index, unique)]
struct User {
    email: String,
}

fn main() {}

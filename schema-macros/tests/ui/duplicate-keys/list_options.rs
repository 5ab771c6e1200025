use schema_runtime::Table;

#[derive(Table)]
#[schema(index(email, name = "a", name = "b"))]
struct User {
    email: String,
}

fn main() {}

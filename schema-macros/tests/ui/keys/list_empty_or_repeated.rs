use schema_runtime::Table;

#[derive(Table)]
#[schema(index())]
#[schema(unique(email, email))]
struct User {
    email: String,
}

fn main() {}

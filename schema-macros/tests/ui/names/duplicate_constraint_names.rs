use schema_runtime::Table;

#[derive(Table)]
#[schema(index(email, name = "users_email"))]
#[schema(unique(email, name = "users_email"))]
#[schema(check(name = "users_email", expr = "email <> ''"))]
struct User {
    email: String,
}

fn main() {}

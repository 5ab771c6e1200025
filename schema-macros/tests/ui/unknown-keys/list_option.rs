use schema_runtime::Table;

#[derive(Table)]
#[schema(index(email, nmae = "by_email"))]
#[schema(unique(email, where = "email <> ''"))]
struct User {
    email: String,
}

fn main() {}

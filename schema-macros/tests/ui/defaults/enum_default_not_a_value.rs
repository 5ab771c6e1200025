use schema_runtime::{Enum, Table};

#[derive(Enum)]
enum Role {
    Admin,
    #[schema(rename = "member")]
    Regular,
}

#[derive(Table)]
struct User {
    #[schema(default = "regular")]
    role: Role,
    #[schema(default = "member")]
    fallback: Option<Role>,
}

fn main() {}

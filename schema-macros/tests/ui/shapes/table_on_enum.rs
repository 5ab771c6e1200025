use schema_runtime::Table;

#[derive(Table)]
enum Role {
    Admin,
}

fn main() {}

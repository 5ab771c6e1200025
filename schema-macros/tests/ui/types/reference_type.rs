use schema_runtime::Table;

#[derive(Table)]
struct User {
    name: &'static str,
}

fn main() {}

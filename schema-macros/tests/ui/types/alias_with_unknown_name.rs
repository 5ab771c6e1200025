use schema_runtime::Table;

type Id = i64;

#[derive(Table)]
struct User {
    id: Id,
}

fn main() {}

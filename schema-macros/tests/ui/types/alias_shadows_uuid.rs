use schema_runtime::Table;

type Uuid = String;

#[derive(Table)]
struct User {
    id: Uuid,
}

fn main() {}

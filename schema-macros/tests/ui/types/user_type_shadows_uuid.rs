use schema_runtime::Table;

struct Uuid([u8; 16]);

#[derive(Table)]
struct User {
    id: Option<Uuid>,
}

fn main() {}

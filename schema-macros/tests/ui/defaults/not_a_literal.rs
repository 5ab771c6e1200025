use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(default = now())]
    created_at: String,
    #[schema(default = b'x')]
    initial: String,
}

fn main() {}

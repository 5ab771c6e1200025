use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(default = "0")]
    age: i32,
    #[schema(default = 1)]
    name: String,
    #[schema(default = 1.5)]
    active: bool,
    #[schema(default = true)]
    avatar: Vec<u8>,
}

fn main() {}

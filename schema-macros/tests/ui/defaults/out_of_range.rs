use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(default = 40000)]
    small: i16,
    #[schema(default = -3000000000)]
    medium: i32,
    #[schema(default = 99999999999999999999)]
    big: i64,
}

fn main() {}

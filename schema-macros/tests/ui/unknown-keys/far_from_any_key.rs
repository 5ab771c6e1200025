use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(serde::rename = "x", colour = "blue")]
    id: i64,
}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
#[schema(table = "users", table = "people")]
#[schema(primary_key(id), primary_key(id))]
struct User {
    id: i64,
}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
#[schema(table = users)]
struct User {
    #[schema(column = 5)]
    id: i64,
    #[schema(sql_type = text)]
    name: String,
}

fn main() {}

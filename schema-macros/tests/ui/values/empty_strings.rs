use schema_runtime::Table;

#[derive(Table)]
#[schema(table = "")]
struct User {
    #[schema(column = "  ")]
    id: i64,
    #[schema(sql_type = "")]
    name: String,
}

fn main() {}

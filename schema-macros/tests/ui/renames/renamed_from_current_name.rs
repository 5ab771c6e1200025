use schema_runtime::Table;

#[derive(Table)]
#[schema(table = "users", renamed_from = "users")]
struct User {
    #[schema(renamed_from = "email")]
    email: String,
    #[schema(column = "full_name", renamed_from = "full_name")]
    name: String,
}

fn main() {}

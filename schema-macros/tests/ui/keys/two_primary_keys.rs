use schema_runtime::Table;

#[derive(Table)]
struct Membership {
    #[schema(primary_key)]
    user_id: i64,
    #[schema(primary_key)]
    org_id: i64,
}

fn main() {}

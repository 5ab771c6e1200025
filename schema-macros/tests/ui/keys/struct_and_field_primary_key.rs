use schema_runtime::Table;

#[derive(Table)]
#[schema(primary_key(user_id, org_id))]
struct Membership {
    #[schema(primary_key)]
    user_id: i64,
    org_id: i64,
}

fn main() {}

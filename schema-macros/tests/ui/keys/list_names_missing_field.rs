use schema_runtime::Table;

#[derive(Table)]
#[schema(index(org, created_at))]
#[schema(unique(org_id, emial))]
#[schema(primary_key(identifier))]
struct User {
    org_id: i64,
    email: String,
    created_at: i64,
}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(primary_ky)]
    id: i64,
    #[schema(uniqe, refrences = "orgs.id")]
    org_id: i64,
}

fn main() {}

use schema_runtime::Enum;

#[derive(Enum)]
enum Status {
    Active,
    #[schema(rename = "active")]
    Enabled,
    ReadOnly,
    #[schema(rename = "read_only")]
    Frozen,
}

fn main() {}

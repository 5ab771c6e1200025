use schema_runtime::Table;

#[derive(Table)]
struct Item {
    #[schema(column = "type")]
    kind: String,
    r#type: String,
}

fn main() {}

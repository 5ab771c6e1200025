use schema_runtime::Enum;

#[derive(Enum)]
pub enum Status {
    #[schema(renamed_from = "open")]
    Open,
    #[schema(rename = "done", renamed_from = "done")]
    Closed,
}

fn main() {}

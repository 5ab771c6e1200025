use schema_runtime::Table;

#[derive(Table)]
struct Cache {
    #[schema(skip)]
    entries: Vec<u8>,
}

#[derive(Table)]
struct Nothing {}

fn main() {}

use schema_runtime::Table;

#[derive(Table)]
struct Pair(i64, String);

#[derive(Table)]
struct Marker;

fn main() {}

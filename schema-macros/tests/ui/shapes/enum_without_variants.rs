use schema_runtime::Enum;

#[derive(Enum)]
enum Never {}

fn main() {}

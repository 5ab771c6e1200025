use schema_runtime::Table;

#[derive(Table)]
struct Row<T> {
    value: T,
}

fn main() {}

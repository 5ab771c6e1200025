use schema_runtime::Table;

struct Money(i64);

#[derive(Table)]
struct Invoice {
    total: Money,
    lines: Vec<Money>,
}

fn main() {}

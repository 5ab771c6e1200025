use schema_runtime::Table;

mod chrono {
    pub type NaiveDate = String;
}

#[derive(Table)]
struct Holiday {
    days: Vec<chrono::NaiveDate>,
}

fn main() {}

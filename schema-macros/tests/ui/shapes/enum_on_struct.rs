use schema_runtime::Enum;

#[derive(Enum)]
struct Role {
    name: String,
}

fn main() {}

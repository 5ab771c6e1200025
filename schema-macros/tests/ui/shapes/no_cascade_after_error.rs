use schema_runtime::Table;

#[derive(Table)]
struct User {
    #[schema(primary_ky)]
    id: i64,
}

fn describe<T: schema_runtime::Table>() -> String {
    T::table().name
}

fn main() {
    let _ = describe::<User>();
}

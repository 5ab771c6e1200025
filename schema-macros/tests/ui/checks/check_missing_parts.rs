use schema_runtime::Table;

#[derive(Table)]
#[schema(check(expr = "age >= 0"))]
#[schema(check(name = "age_ok", expr = ""))]
#[schema(check(age, name = "x", expr = "age > 1"))]
struct User {
    age: i32,
}

fn main() {}

use schema_runtime::Enum;

#[derive(Enum)]
enum Shape {
    Circle(f64),
    Square { side: f64 },
    Point,
}

fn main() {}

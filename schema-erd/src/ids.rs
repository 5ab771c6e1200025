//! The ids of a diagram's boxes and edges in the SVG (and so in the HTML page's script).

pub fn table(name: &str) -> String {
    format!("table:{name}")
}

pub fn enum_box(name: &str) -> String {
    format!("enum:{name}")
}

/// A foreign key, by its table and its name (names are unique per table).
pub fn relation(table: &str, name: &str) -> String {
    format!("fk:{table}:{name}")
}

pub fn enum_use(table: &str, column: &str) -> String {
    format!("uses:{table}:{column}")
}

#![deny(warnings)]

use schema_runtime::{Enum, Table};

#[derive(Enum)]
pub enum Role {
    Admin,
    Member,
}

mod nested {
    #[derive(schema_runtime::Enum)]
    #[schema(name = "mood")]
    pub enum Mood {
        Happy,
    }
}

#[derive(Table)]
pub struct EveryType {
    #[schema(primary_key, auto_increment)]
    pub id: i64,
    pub flag: bool,
    pub small: i16,
    pub medium: Option<i32>,
    pub ratio: f32,
    pub precise: f64,
    pub name: String,
    pub bytes: Vec<u8>,
    pub uid: uuid::Uuid,
    pub day: chrono::NaiveDate,
    pub at: chrono::NaiveTime,
    pub when: chrono::NaiveDateTime,
    pub stamp: chrono::DateTime<chrono::Utc>,
    pub offset_stamp: chrono::DateTime<chrono::FixedOffset>,
    pub t_day: time::Date,
    pub t_at: time::Time,
    pub t_when: time::PrimitiveDateTime,
    pub t_stamp: time::OffsetDateTime,
    pub money: rust_decimal::Decimal,
    pub doc: serde_json::Value,
    pub numbers: Vec<i64>,
    pub role: Role,
    pub roles: Vec<Role>,
    pub maybe_role: Option<nested::Mood>,
    #[schema(sql_type = "citext")]
    pub anything: std::collections::BTreeMap<String, String>,
    #[schema(skip)]
    pub cache: std::cell::Cell<u32>,
}

// A shadowing alias is fine when it names the type the grammar reads.
type Uuid = uuid::Uuid;

#[derive(Table)]
pub struct Aliased {
    pub id: Uuid,
}

fn main() {
    assert_eq!(EveryType::table().columns.len(), 25);
    assert_eq!(
        Aliased::table().columns[0].ty,
        schema_runtime::decl::TypeDecl::Uuid
    );
}

//! Support for the code `#[derive(Table)]` and `#[derive(Enum)]` generate. Not a public API:
//! names here may change in any release.

pub use schema_core::decl;
pub use schema_core::types::kind;
pub use std::vec;

/// What the compiler knows a field's real type to be, as a [`kind`] code. The derive compares
/// it with the code the grammar read from the type's name, so a type alias or a user type that
/// shadows a mapped name fails the build instead of producing a wrong column type.
#[diagnostic::on_unimplemented(
    message = "cannot map type `{Self}` to SQL: add `#[schema(sql_type = \"...\")]` to the field, or `#[derive(Enum)]` to the type if it is an enum",
    label = "no SQL type for `{Self}`",
    note = "types from the `uuid`, `chrono`, `time` and `rust_decimal` crates, and `sqlx::types::Json`, need the feature of the same name (`json` for `Json`) on `schema-runtime`"
)]
pub trait SqlKind {
    const KIND: u64;
    /// The SQL type name of a `#[derive(Enum)]` enum (also through `Option` and `Vec`).
    const ENUM_NAME: &'static str = "";
    /// The SQL values of a `#[derive(Enum)]` enum (also through `Option`).
    const ENUM_VALUES: &'static [&'static str] = &[];
}

/// Whether `value` is one of `values`, at compile time (the derive checks enum defaults).
pub const fn has_value(values: &[&str], value: &str) -> bool {
    let mut i = 0;
    while i < values.len() {
        if str_eq(values[i], value) {
            return true;
        }
        i += 1;
    }
    false
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! kinds {
    ($($(#[$cfg:meta])* $ty:ty => $kind:ident,)*) => {
        $(
            $(#[$cfg])*
            impl SqlKind for $ty {
                const KIND: u64 = kind::$kind;
            }
        )*
    };
}

kinds! {
    u8 => U8,
    bool => BOOL,
    i16 => I16,
    i32 => I32,
    i64 => I64,
    f32 => F32,
    f64 => F64,
    String => STRING,
    serde_json::Value => JSON,
    #[cfg(feature = "uuid")] uuid::Uuid => UUID,
    #[cfg(feature = "chrono")] chrono::NaiveDate => DATE,
    #[cfg(feature = "chrono")] chrono::NaiveTime => TIME,
    #[cfg(feature = "chrono")] chrono::NaiveDateTime => DATE_TIME,
    #[cfg(feature = "time")] time::Date => DATE,
    #[cfg(feature = "time")] time::Time => TIME,
    #[cfg(feature = "time")] time::PrimitiveDateTime => DATE_TIME,
    #[cfg(feature = "time")] time::OffsetDateTime => DATE_TIME_TZ,
    #[cfg(feature = "rust_decimal")] rust_decimal::Decimal => DECIMAL,
}

#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> SqlKind for chrono::DateTime<Tz> {
    const KIND: u64 = kind::DATE_TIME_TZ;
}

#[cfg(feature = "json")]
impl<T> SqlKind for sqlx::types::Json<T> {
    const KIND: u64 = kind::JSON;
}

impl<T: SqlKind> SqlKind for Option<T> {
    const KIND: u64 = kind::option(T::KIND);
    const ENUM_NAME: &'static str = T::ENUM_NAME;
    const ENUM_VALUES: &'static [&'static str] = T::ENUM_VALUES;
}

impl<T: SqlKind> SqlKind for Vec<T> {
    const KIND: u64 = kind::vec(T::KIND);
    const ENUM_NAME: &'static str = T::ENUM_NAME;
}

/// Keeps generated string literals short.
pub fn string(s: &str) -> String {
    s.to_string()
}

/// The body of the `Table` impl a derive emits beside its compile errors, so one mistake does
/// not cascade into "trait not implemented" errors wherever the struct is used. Never runs:
/// the crate does not compile while those errors stand.
pub fn fallback_table(rust_name: &str) -> decl::TableDecl {
    decl::TableDecl {
        rust_name: rust_name.to_string(),
        name: String::new(),
        renamed_from: None,
        columns: Vec::new(),
        primary_key: None,
        uniques: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
    }
}

/// See [`fallback_table`].
pub fn fallback_enum(rust_name: &str) -> decl::EnumDecl {
    decl::EnumDecl {
        rust_name: rust_name.to_string(),
        name: String::new(),
        values: Vec::new(),
        renamed_values: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_value_compares_whole_strings() {
        const VALUES: &[&str] = &["admin", "read-only"];
        assert!(has_value(VALUES, "admin"));
        assert!(has_value(VALUES, "read-only"));
        assert!(!has_value(VALUES, "admi"));
        assert!(!has_value(VALUES, "admins"));
        assert!(!has_value(&[], "admin"));
    }

    #[test]
    fn wrappers_stack_kinds_and_forward_enum_names() {
        assert_eq!(
            <Option<Vec<u8>> as SqlKind>::KIND,
            kind::option(kind::vec(kind::U8))
        );
        assert_eq!(
            <Vec<Option<i64>> as SqlKind>::KIND,
            kind::vec(kind::option(kind::I64))
        );
        assert_eq!(<String as SqlKind>::ENUM_NAME, "");
    }
}

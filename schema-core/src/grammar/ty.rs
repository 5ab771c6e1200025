//! Reading a field's Rust type by name: the last path segment and its generic arguments.
//!
//! The reading never resolves names (it cannot: it sees one file). A derive proves each
//! reading at compile time against the real type (see `crate::types::kind`).

use crate::decl::TypeDecl;
use crate::types::kind;
use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// What the grammar read from a field's type.
#[derive(Clone, Debug)]
pub struct ReadType {
    /// The logical type. Until [`super::link`] runs, an [`Unresolved`] name is held as
    /// `TypeDecl::Enum(<Rust name>)` (inside `Array` for `Vec<Name>`).
    pub ty: TypeDecl,
    /// `Option<T>` at the top.
    pub nullable: bool,
    /// The [`kind`] code the real type must have.
    pub kind: u64,
    /// The Rust type the reading assumes, for messages (`Option<uuid::Uuid>`).
    pub reads_as: String,
    /// Set when the innermost type is a name the grammar cannot map by itself.
    pub unresolved: Option<Unresolved>,
}

/// A type name that only a `#[derive(Enum)]` elsewhere in the package can explain.
#[derive(Clone, Debug)]
pub struct Unresolved {
    /// The last path segment (`Role`).
    pub name: String,
    /// The innermost type as written (`models::Role`), spanned where the user wrote it.
    pub leaf: Type,
}

/// The message for a type nothing maps. The derive's `#[diagnostic::on_unimplemented]` text
/// in `schema_runtime::__private` says the same.
pub fn cannot_map_message(shown: &str) -> String {
    format!(
        "cannot map type `{shown}` to SQL: add `#[schema(sql_type = \"...\")]` to the field, or `#[derive(Enum)]` to the type if it is an enum"
    )
}

/// Reads a field type. Errors point at the narrowest part of the type that cannot be read.
pub fn read_type(ty: &Type) -> syn::Result<ReadType> {
    let ty = peel(ty);
    if let Some(inner) = single_generic(ty, "Option") {
        if single_generic(peel(inner), "Option").is_some() {
            return Err(syn::Error::new_spanned(
                ty,
                "`Option<Option<T>>` cannot be stored: a column is either nullable or not, use `Option<T>`",
            ));
        }
        let read = read_value(inner)?;
        return Ok(ReadType {
            nullable: true,
            kind: kind::option(read.kind),
            reads_as: format!("Option<{}>", read.reads_as),
            ..read
        });
    }
    read_value(ty)
}

/// A type that is not `Option<_>` at the top.
fn read_value(ty: &Type) -> syn::Result<ReadType> {
    let ty = peel(ty);
    if single_generic(ty, "Option").is_some() {
        return Err(syn::Error::new_spanned(
            ty,
            "`Option` is only allowed at the top of a field type: the elements of a SQL array cannot be declared nullable here, add `#[schema(sql_type = \"...\")]`",
        ));
    }
    if let Some(elem) = single_generic(ty, "Vec") {
        return read_vec(elem);
    }
    let Type::Path(path) = ty else {
        return Err(unmappable(ty));
    };
    if path.qself.is_some() {
        return Err(unmappable(ty));
    }
    let Some(last) = path.path.segments.last() else {
        return Err(unmappable(ty));
    };
    let name = last.ident.to_string();
    let has_args = !matches!(last.arguments, PathArguments::None);
    if let Some((ty_decl, code, reads_as)) = known(&name, has_args) {
        return Ok(ReadType {
            ty: ty_decl,
            nullable: false,
            kind: code,
            reads_as: reads_as.to_string(),
            unresolved: None,
        });
    }
    if has_args || is_unmappable_builtin(&name) {
        return Err(unmappable(ty));
    }
    Ok(ReadType {
        ty: TypeDecl::Enum(name.clone()),
        nullable: false,
        kind: kind::ENUM,
        reads_as: name.clone(),
        unresolved: Some(Unresolved {
            name,
            leaf: ty.clone(),
        }),
    })
}

fn read_vec(elem: &Type) -> syn::Result<ReadType> {
    if is_ident(peel(elem), "u8") {
        return Ok(ReadType {
            ty: TypeDecl::Bytes,
            nullable: false,
            kind: kind::vec(kind::U8),
            reads_as: "Vec<u8>".into(),
            unresolved: None,
        });
    }
    let inner = read_value(elem)?;
    Ok(ReadType {
        ty: TypeDecl::Array(Box::new(inner.ty)),
        nullable: false,
        kind: kind::vec(inner.kind),
        reads_as: format!("Vec<{}>", inner.reads_as),
        unresolved: inner.unresolved,
    })
}

/// The contract's type table, by last path segment. `has_args` tells whether the segment has
/// generic arguments (only `DateTime<Tz>` and `Json<T>` take them).
fn known(name: &str, has_args: bool) -> Option<(TypeDecl, u64, &'static str)> {
    use TypeDecl as T;
    let found = match (name, has_args) {
        ("bool", false) => (T::Bool, kind::BOOL, "bool"),
        ("i16", false) => (T::I16, kind::I16, "i16"),
        ("i32", false) => (T::I32, kind::I32, "i32"),
        ("i64", false) => (T::I64, kind::I64, "i64"),
        ("f32", false) => (T::F32, kind::F32, "f32"),
        ("f64", false) => (T::F64, kind::F64, "f64"),
        ("String", false) => (T::String, kind::STRING, "String"),
        ("Uuid", false) => (T::Uuid, kind::UUID, "uuid::Uuid"),
        ("NaiveDate", false) => (T::Date, kind::DATE, "chrono::NaiveDate"),
        ("Date", false) => (T::Date, kind::DATE, "time::Date"),
        ("NaiveTime", false) => (T::Time, kind::TIME, "chrono::NaiveTime"),
        ("Time", false) => (T::Time, kind::TIME, "time::Time"),
        ("NaiveDateTime", false) => (T::DateTime, kind::DATE_TIME, "chrono::NaiveDateTime"),
        ("PrimitiveDateTime", false) => (T::DateTime, kind::DATE_TIME, "time::PrimitiveDateTime"),
        ("DateTime", true) => (T::DateTimeTz, kind::DATE_TIME_TZ, "chrono::DateTime<Tz>"),
        ("OffsetDateTime", false) => (T::DateTimeTz, kind::DATE_TIME_TZ, "time::OffsetDateTime"),
        ("Decimal", false) => (T::Decimal, kind::DECIMAL, "rust_decimal::Decimal"),
        ("Value", false) => (T::Json, kind::JSON, "serde_json::Value"),
        ("Json", true) => (T::Json, kind::JSON, "sqlx::types::Json<T>"),
        _ => return None,
    };
    Some(found)
}

/// Names that are never a user's enum: primitives and std types without a column type.
fn is_unmappable_builtin(name: &str) -> bool {
    matches!(
        name,
        "u8" | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i128"
            | "isize"
            | "char"
            | "str"
            | "Box"
            | "Rc"
            | "Arc"
            | "Cow"
            | "HashMap"
            | "BTreeMap"
            | "HashSet"
            | "BTreeSet"
            | "Vec"
            | "Option"
            | "DateTime"
            | "Json"
    )
}

fn unmappable(ty: &Type) -> syn::Error {
    let message = match ty {
        Type::Reference(_) => {
            "a reference cannot be stored in a column: use an owned type such as `String` or `Vec<u8>`, or add `#[schema(sql_type = \"...\")]`".to_string()
        }
        _ => cannot_map_message(&shown(ty)),
    };
    syn::Error::new_spanned(ty, message)
}

/// A type as the user wrote it, without the spaces `to_token_stream` inserts.
pub fn shown(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let tight = |ch: Option<char>| {
                matches!(ch, Some('<' | '>' | ':' | '&' | '(' | ')' | '[' | ']'))
            };
            if tight(prev) || tight(next) || next == Some(',') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Whether the type is `Option<_>` at the top (nullability, also under `sql_type`).
pub fn is_option(ty: &Type) -> bool {
    single_generic(peel(ty), "Option").is_some()
}

/// Looks through parentheses and invisible groups (types passed through `macro_rules!`).
fn peel(ty: &Type) -> &Type {
    match ty {
        Type::Paren(p) => peel(&p.elem),
        Type::Group(g) => peel(&g.elem),
        other => other,
    }
}

fn is_ident(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// `T` in `Name<T>` when the last segment is `name` with exactly one type argument.
fn single_generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let first = types.next()?;
    types.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> syn::Result<ReadType> {
        read_type(&syn::parse_str::<Type>(src).expect("test type parses"))
    }

    #[test]
    fn reads_the_contract_table() {
        use TypeDecl as T;
        let rows: &[(&str, TypeDecl, bool, u64)] = &[
            ("bool", T::Bool, false, kind::BOOL),
            ("i16", T::I16, false, kind::I16),
            ("std::primitive::i32", T::I32, false, kind::I32),
            ("i64", T::I64, false, kind::I64),
            ("f32", T::F32, false, kind::F32),
            ("f64", T::F64, false, kind::F64),
            ("String", T::String, false, kind::STRING),
            ("Vec<u8>", T::Bytes, false, kind::vec(kind::U8)),
            ("uuid::Uuid", T::Uuid, false, kind::UUID),
            ("chrono::NaiveDate", T::Date, false, kind::DATE),
            ("time::Date", T::Date, false, kind::DATE),
            ("NaiveTime", T::Time, false, kind::TIME),
            ("time::Time", T::Time, false, kind::TIME),
            ("NaiveDateTime", T::DateTime, false, kind::DATE_TIME),
            (
                "time::PrimitiveDateTime",
                T::DateTime,
                false,
                kind::DATE_TIME,
            ),
            (
                "chrono::DateTime<chrono::Utc>",
                T::DateTimeTz,
                false,
                kind::DATE_TIME_TZ,
            ),
            ("OffsetDateTime", T::DateTimeTz, false, kind::DATE_TIME_TZ),
            ("rust_decimal::Decimal", T::Decimal, false, kind::DECIMAL),
            ("serde_json::Value", T::Json, false, kind::JSON),
            ("sqlx::types::Json<Settings>", T::Json, false, kind::JSON),
            (
                "Vec<i32>",
                T::Array(Box::new(T::I32)),
                false,
                kind::vec(kind::I32),
            ),
            (
                "Option<String>",
                T::String,
                true,
                kind::option(kind::STRING),
            ),
            (
                "Option<Vec<u8>>",
                T::Bytes,
                true,
                kind::option(kind::vec(kind::U8)),
            ),
            ("(i64)", T::I64, false, kind::I64),
        ];
        for (src, ty, nullable, code) in rows {
            let got = read(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert_eq!(&got.ty, ty, "{src}");
            assert_eq!(got.nullable, *nullable, "{src}");
            assert_eq!(got.kind, *code, "{src}");
            assert!(got.unresolved.is_none(), "{src}");
        }
    }

    #[test]
    fn unknown_names_are_left_for_link() {
        let got = read("Option<Vec<models::Role>>").expect("reads");
        assert_eq!(
            got.ty,
            TypeDecl::Array(Box::new(TypeDecl::Enum("Role".into())))
        );
        assert!(got.nullable);
        assert_eq!(got.kind, kind::option(kind::vec(kind::ENUM)));
        assert_eq!(got.unresolved.expect("unresolved").name, "Role");
    }

    #[test]
    fn rejects_what_has_no_column_type() {
        for src in [
            "&str",
            "u32",
            "Box<String>",
            "HashMap<String, i32>",
            "(i32, i32)",
            "Option<Option<i32>>",
            "Vec<Option<i32>>",
            "[u8; 4]",
            "Foo<T>",
            "DateTime",
        ] {
            assert!(read(src).is_err(), "{src} should not be readable");
        }
        let message = read("u32").unwrap_err().to_string();
        assert_eq!(message, cannot_map_message("u32"));
        assert!(read("&'a str")
            .unwrap_err()
            .to_string()
            .contains("owned type"));
    }

    #[test]
    fn shows_types_compactly() {
        let ty: Type =
            syn::parse_str("Option < Vec < std :: string :: String > >").expect("parses");
        assert_eq!(shown(&ty), "Option<Vec<std::string::String>>");
        let ty: Type = syn::parse_str("HashMap<String, i32>").expect("parses");
        assert_eq!(shown(&ty), "HashMap<String, i32>");
    }
}

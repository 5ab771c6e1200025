//! Logical column types -> SQL types per dialect (the contract's type table), and the
//! canonical spelling of SQL types so declared, snapshotted and introspected types compare.

use crate::decl::TypeDecl;
use crate::dialect::Dialect;

/// Why a logical type has no SQL type in a dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmappable {
    pub message: String,
}

/// The SQL type of `ty` in `dialect`. `auto_increment_key` marks a SQLite rowid-alias key,
/// which must be spelled `integer`. Enum columns are resolved by the caller (they need the
/// enum's values on MySQL); here they map to their type name (PostgreSQL) or `text` (SQLite).
pub fn sql_type(
    ty: &TypeDecl,
    dialect: Dialect,
    auto_increment_key: bool,
) -> Result<String, Unmappable> {
    use Dialect::*;
    use TypeDecl as T;
    let s = match (ty, dialect) {
        (T::Bool, _) => "boolean",
        (T::I16, Postgres | Mysql) => "smallint",
        (T::I16 | T::I32, Sqlite) => "integer",
        (T::I32, Postgres) => "integer",
        (T::I32, Mysql) => "int",
        (T::I64, Sqlite) if auto_increment_key => "integer",
        (T::I64, _) => "bigint",
        (T::F32, Postgres | Sqlite) => "real",
        (T::F32, Mysql) => "float",
        (T::F64, Postgres) => "double precision",
        (T::F64, Sqlite) => "real",
        (T::F64, Mysql) => "double",
        (T::String, Postgres | Sqlite) => "text",
        (T::String, Mysql) => "varchar(255)",
        (T::Bytes, Postgres) => "bytea",
        (T::Bytes, Sqlite | Mysql) => "blob",
        (T::Uuid, Postgres) => "uuid",
        (T::Uuid, Sqlite) => "blob",
        (T::Uuid, Mysql) => "binary(16)",
        (T::Date, _) => "date",
        (T::Time, _) => "time",
        (T::DateTime, Postgres) => "timestamp",
        (T::DateTime, Sqlite | Mysql) => "datetime",
        (T::DateTimeTz, Postgres) => "timestamptz",
        (T::DateTimeTz, Sqlite) => "datetime",
        (T::DateTimeTz, Mysql) => "timestamp",
        (T::Decimal, Postgres) => "numeric",
        (T::Decimal, Mysql) => "decimal(65,30)",
        (T::Decimal, Sqlite) => {
            return Err(Unmappable {
                message: "`Decimal` has no SQLite type: add `#[schema(sql_type = \"...\")]` (for example `text` or `numeric`)".into(),
            })
        }
        (T::Json, Postgres) => "jsonb",
        (T::Json, Sqlite) => "text",
        (T::Json, Mysql) => "json",
        (T::Array(inner), Postgres) => {
            if matches!(**inner, T::Array(_)) {
                return Err(Unmappable {
                    message: "nested `Vec<Vec<T>>` has no SQL type: add `#[schema(sql_type = \"...\")]`".into(),
                });
            }
            return Ok(format!("{}[]", sql_type(inner, dialect, false)?));
        }
        (T::Array(_), Sqlite | Mysql) => {
            return Err(Unmappable {
                message: format!(
                    "`Vec<T>` arrays exist only on PostgreSQL, not on {dialect}: add `#[schema(sql_type = \"...\")]` (for example `json`) or use a separate table"
                ),
            })
        }
        (T::Enum(name), Postgres) => return Ok(name.clone()),
        (T::Enum(_), Sqlite) => "text",
        (T::Enum(name), Mysql) => {
            return Err(Unmappable {
                message: format!("enum `{name}` needs its values on MySQL: use `mysql_enum_type`"),
            })
        }
        (T::Sql(raw), _) => return Ok(normalize_sql_type(raw, dialect)),
    };
    Ok(s.to_string())
}

/// MySQL's inline enum type: `enum('a','b')`.
pub fn mysql_enum_type(values: &[String]) -> String {
    let vals: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
    format!("enum({})", vals.join(","))
}

/// A SQL string literal: `'it''s'`.
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The canonical spelling of a SQL type: lowercase, single spaces, no spaces inside
/// parentheses, and each dialect's aliases folded into the spelling the type table uses
/// (`int4` -> `integer`, `character varying(20)` -> `varchar(20)`,
/// `timestamp with time zone` -> `timestamptz`). Quoted identifiers keep their case.
pub fn normalize_sql_type(raw: &str, dialect: Dialect) -> String {
    let mut s = String::with_capacity(raw.len());
    let mut in_quotes = false;
    let mut last_space = false;
    for c in raw.trim().chars() {
        if c == '"' {
            in_quotes = !in_quotes;
            s.push(c);
            continue;
        }
        if in_quotes {
            s.push(c);
            continue;
        }
        if c.is_whitespace() {
            if !last_space {
                s.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        s.extend(c.to_lowercase());
    }
    let s = s
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", ", ",")
        .replace(" ,", ",");
    let (base, suffix) = split_array_suffix(&s);
    let base = fold_alias(base, dialect);
    format!("{base}{suffix}")
}

fn split_array_suffix(s: &str) -> (&str, &str) {
    match s.find("[]") {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

fn fold_alias(base: &str, dialect: Dialect) -> String {
    let (name, args) = match base.find('(') {
        Some(i) => (&base[..i], &base[i..]),
        None => (base, ""),
    };
    let name = name.trim();
    let folded = match dialect {
        Dialect::Postgres => match name {
            "int" | "int4" => "integer",
            "int2" => "smallint",
            "int8" => "bigint",
            "bool" => "boolean",
            "float4" => "real",
            "float8" => "double precision",
            "decimal" => "numeric",
            "character varying" => "varchar",
            "character" | "bpchar" => "char",
            "timestamp without time zone" => "timestamp",
            "timestamp with time zone" => "timestamptz",
            "time without time zone" => "time",
            "time with time zone" => "timetz",
            other => other,
        },
        Dialect::Mysql => match name {
            "integer" => "int",
            "bool" => "boolean",
            "dec" | "numeric" => "decimal",
            "double precision" | "real" => "double",
            other => other,
        },
        Dialect::Sqlite => name,
    };
    // PostgreSQL spells `timestamp(3) with time zone`; fold it to `timestamptz(3)`.
    if dialect == Dialect::Postgres {
        if let Some(rest) = args.strip_suffix(" with time zone") {
            return format!("{folded}tz{rest}").replace("timestamptztz", "timestamptz");
        }
        if let Some(rest) = args.strip_suffix(" without time zone") {
            return format!("{folded}{rest}");
        }
    }
    format!("{folded}{args}")
}

/// Codes that identify the Rust type a field's type was read as, shared by the grammar (which
/// computes the code it expects from a type's name) and `schema_runtime::__private::SqlKind`
/// (which the compiler evaluates for the real type). A derive compares the two at compile time.
///
/// A code is a base kind shifted left by two bits, with wrappers stacked on top:
/// `option(k) = k << 2 | 1`, `vec(k) = k << 2 | 2`, so every layered type has one code.
pub mod kind {
    pub const U8: u64 = 1 << 2;
    pub const BOOL: u64 = 2 << 2;
    pub const I16: u64 = 3 << 2;
    pub const I32: u64 = 4 << 2;
    pub const I64: u64 = 5 << 2;
    pub const F32: u64 = 6 << 2;
    pub const F64: u64 = 7 << 2;
    pub const STRING: u64 = 8 << 2;
    pub const UUID: u64 = 9 << 2;
    pub const DATE: u64 = 10 << 2;
    pub const TIME: u64 = 11 << 2;
    pub const DATE_TIME: u64 = 12 << 2;
    pub const DATE_TIME_TZ: u64 = 13 << 2;
    pub const DECIMAL: u64 = 14 << 2;
    pub const JSON: u64 = 15 << 2;
    /// A `#[derive(Enum)]` enum.
    pub const ENUM: u64 = 16 << 2;

    pub const fn option(inner: u64) -> u64 {
        (inner << 2) | 1
    }

    pub const fn vec(inner: u64) -> u64 {
        (inner << 2) | 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    #[test]
    fn contract_type_table() {
        use TypeDecl as T;
        let rows: &[(TypeDecl, &str, &str, &str)] = &[
            (T::Bool, "boolean", "boolean", "boolean"),
            (T::I16, "smallint", "integer", "smallint"),
            (T::I32, "integer", "integer", "int"),
            (T::I64, "bigint", "bigint", "bigint"),
            (T::F32, "real", "real", "float"),
            (T::F64, "double precision", "real", "double"),
            (T::String, "text", "text", "varchar(255)"),
            (T::Bytes, "bytea", "blob", "blob"),
            (T::Uuid, "uuid", "blob", "binary(16)"),
            (T::Date, "date", "date", "date"),
            (T::Time, "time", "time", "time"),
            (T::DateTime, "timestamp", "datetime", "datetime"),
            (T::DateTimeTz, "timestamptz", "datetime", "timestamp"),
            (T::Json, "jsonb", "text", "json"),
        ];
        for (ty, pg, lite, my) in rows {
            assert_eq!(sql_type(ty, Postgres, false).unwrap(), *pg, "{ty:?} pg");
            assert_eq!(sql_type(ty, Sqlite, false).unwrap(), *lite, "{ty:?} sqlite");
            assert_eq!(sql_type(ty, Mysql, false).unwrap(), *my, "{ty:?} mysql");
        }
        assert_eq!(sql_type(&T::I64, Sqlite, true).unwrap(), "integer");
        assert_eq!(sql_type(&T::Decimal, Postgres, false).unwrap(), "numeric");
        assert_eq!(
            sql_type(&T::Decimal, Mysql, false).unwrap(),
            "decimal(65,30)"
        );
        assert!(sql_type(&T::Decimal, Sqlite, false)
            .unwrap_err()
            .message
            .contains("sql_type"));
        assert_eq!(
            sql_type(&T::Array(Box::new(T::I32)), Postgres, false).unwrap(),
            "integer[]"
        );
        assert!(sql_type(&T::Array(Box::new(T::I32)), Sqlite, false).is_err());
        assert!(sql_type(&T::Array(Box::new(T::I32)), Mysql, false).is_err());
        assert_eq!(
            sql_type(&T::Enum("user_role".into()), Postgres, false).unwrap(),
            "user_role"
        );
        assert_eq!(
            sql_type(&T::Enum("user_role".into()), Sqlite, false).unwrap(),
            "text"
        );
    }

    #[test]
    fn normalizes_aliases() {
        assert_eq!(
            normalize_sql_type("VARCHAR( 320 )", Postgres),
            "varchar(320)"
        );
        assert_eq!(
            normalize_sql_type("character varying(20)", Postgres),
            "varchar(20)"
        );
        assert_eq!(
            normalize_sql_type("timestamp with time zone", Postgres),
            "timestamptz"
        );
        assert_eq!(
            normalize_sql_type("timestamp(3) with time zone", Postgres),
            "timestamptz(3)"
        );
        assert_eq!(
            normalize_sql_type("timestamp without time zone", Postgres),
            "timestamp"
        );
        assert_eq!(normalize_sql_type("INT4", Postgres), "integer");
        assert_eq!(normalize_sql_type("int8[]", Postgres), "bigint[]");
        assert_eq!(
            normalize_sql_type("Numeric(10, 2)", Postgres),
            "numeric(10,2)"
        );
        assert_eq!(normalize_sql_type("\"MyType\"", Postgres), "\"MyType\"");
        assert_eq!(normalize_sql_type("INTEGER", Mysql), "int");
        assert_eq!(normalize_sql_type("VARCHAR(50)", Sqlite), "varchar(50)");
    }

    #[test]
    fn kind_codes_are_distinct_per_layering() {
        use super::kind::*;
        let bases = [
            U8,
            BOOL,
            I16,
            I32,
            I64,
            F32,
            F64,
            STRING,
            UUID,
            DATE,
            TIME,
            DATE_TIME,
            DATE_TIME_TZ,
            DECIMAL,
            JSON,
            ENUM,
        ];
        let mut all: Vec<u64> = Vec::new();
        for b in bases {
            all.extend([
                b,
                option(b),
                vec(b),
                option(vec(b)),
                vec(option(b)),
                vec(vec(b)),
            ]);
        }
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }

    #[test]
    fn quotes_literals() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(
            mysql_enum_type(&["a".into(), "b'c".into()]),
            "enum('a','b''c')"
        );
    }
}

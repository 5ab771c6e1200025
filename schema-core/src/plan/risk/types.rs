//! What a column type change does to the stored values and, on PostgreSQL, to the table:
//! whether the new type holds every old value, and whether PostgreSQL rewrites the table
//! (it does not when the old type is binary coercible to the new one and no constraint on
//! the type gets tighter: `varchar(n)` to a longer `varchar` or `text`, `numeric(p,s)` to a
//! larger precision at the same scale, `cidr` to `inet`).

/// The effect of changing a column from one type to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeChange {
    /// PostgreSQL changes only the catalog (no rewrite, no scan); every value fits.
    InPlace,
    /// Every value fits, but PostgreSQL rewrites the table and its indexes
    /// (`integer` -> `bigint`, `real` -> `double precision`).
    WideningRewrite,
    /// Values that do not fit fail the statement (`bigint` -> `integer`, shorter `varchar`).
    Narrowing,
    /// Values are silently rounded (`numeric` -> `real`, `double precision` -> `bigint`).
    Lossy,
    /// A conversion between unrelated types (`text` -> `integer`): a rewrite that fails on
    /// values that do not convert.
    Convert,
}

impl TypeChange {
    /// The change can fail or lose data on existing values.
    pub fn narrows(self) -> bool {
        matches!(self, TypeChange::Narrowing | TypeChange::Lossy)
    }
}

/// The values of a MySQL inline `enum('a','b')` type.
pub fn inline_enum_values(ty: &str) -> Option<Vec<String>> {
    let inner = ty.strip_prefix("enum(")?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|v| v.trim().trim_matches('\'').replace("''", "'"))
            .collect(),
    )
}

/// The values of a `column IN ('a', 'b')` check (SQLite's enum columns).
pub fn in_list_values(expr: &str) -> Option<Vec<String>> {
    let start = expr.find(" IN (")?;
    let inner = expr[start + 5..].strip_suffix(')')?;
    inner
        .split(',')
        .map(|v| {
            let v = v.trim();
            v.strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .map(|v| v.replace("''", "'"))
        })
        .collect()
}

fn split(ty: &str) -> (&str, Vec<u32>) {
    let ty = ty.trim();
    match ty.find('(') {
        Some(i) => {
            let params = ty[i + 1..]
                .trim_end_matches(')')
                .split(',')
                .filter_map(|p| p.trim().parse().ok())
                .collect();
            (ty[..i].trim(), params)
        }
        None => (ty, Vec::new()),
    }
}

/// Rank within a numeric family: (family, rank). Integers are family 0, fractional 1.
fn numeric_rank(base: &str) -> Option<(u8, u8)> {
    Some(match base {
        "smallint" => (0, 1),
        "integer" | "int" | "mediumint" => (0, 2),
        "bigint" => (0, 3),
        "real" | "float" => (1, 1),
        "double precision" | "double" => (1, 2),
        "numeric" | "decimal" => (1, 3),
        _ => return None,
    })
}

const STRINGS: [&str; 4] = ["text", "varchar", "citext", "char"];

/// The effect of changing a column from `from` to `to` (canonical types of one dialect).
pub fn type_change(from: &str, to: &str) -> TypeChange {
    use TypeChange::*;
    if from == to {
        return InPlace;
    }
    let (fb, fp) = split(from);
    let (tb, tp) = split(to);
    if fb.ends_with("[]") || tb.ends_with("[]") {
        return Convert;
    }
    // Strings: a limit that grows or goes away is catalog-only; a limit that appears or
    // shrinks fails on longer values.
    if STRINGS.contains(&fb) && STRINGS.contains(&tb) {
        let limit = |b: &str, p: &[u32]| match b {
            "text" | "citext" => None,
            _ => p
                .first()
                .copied()
                .or(if b == "char" { Some(1) } else { None }),
        };
        let (fl, tl) = (limit(fb, &fp), limit(tb, &tp));
        let narrower = match (fl, tl) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b < a,
        };
        if narrower {
            return Narrowing;
        }
        let coercible = matches!(
            (fb, tb),
            ("varchar", "varchar") | ("varchar", "text") | ("text", "varchar") | ("text", "text")
        );
        return if coercible { InPlace } else { WideningRewrite };
    }
    if let (Some((ff, fr)), Some((tf, tr))) = (numeric_rank(fb), numeric_rank(tb)) {
        if fb == "numeric" || fb == "decimal" {
            if tb == fb {
                return numeric_params(&fp, &tp);
            }
            return if tf == 0 || tr < fr {
                Lossy
            } else {
                WideningRewrite
            };
        }
        return match (ff, tf) {
            (1, 0) => Lossy,
            (1, 1) if tr < fr => Lossy,
            (0, 0) if tr < fr => Narrowing,
            // bigint into real/double loses digits beyond the mantissa.
            (0, 1) if fr == 3 && tr < 3 => Lossy,
            _ => WideningRewrite,
        };
    }
    match (fb, tb) {
        ("cidr", "inet") => InPlace,
        ("timestamp", "timestamptz") | ("date", "timestamp") | ("date", "timestamptz") => {
            WideningRewrite
        }
        ("timestamptz", "timestamp") | ("timestamp", "date") | ("timestamptz", "date") => Lossy,
        _ => Convert,
    }
}

/// SQLite's type affinity of a declared type (its documented rules, in order): what it really
/// stores. A change between two types of one affinity (`integer` -> `bigint`, `varchar(50)` ->
/// `varchar(20)`) stores every value as it was: SQLite enforces neither sizes nor lengths.
pub fn sqlite_affinity(ty: &str) -> &'static str {
    let ty = ty.to_ascii_uppercase();
    if ty.contains("INT") {
        "INTEGER"
    } else if ty.contains("CHAR") || ty.contains("CLOB") || ty.contains("TEXT") {
        "TEXT"
    } else if ty.contains("BLOB") || ty.trim().is_empty() {
        "BLOB"
    } else if ty.contains("REAL") || ty.contains("FLOA") || ty.contains("DOUB") {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// `numeric(p,s)` -> `numeric(p2,s2)`.
fn numeric_params(from: &[u32], to: &[u32]) -> TypeChange {
    match (from, to) {
        (_, []) => TypeChange::InPlace,
        ([], _) => TypeChange::Lossy,
        (f, t) => {
            let (fp, fs) = (f[0], f.get(1).copied().unwrap_or(0));
            let (tp, ts) = (t[0], t.get(1).copied().unwrap_or(0));
            if ts < fs {
                TypeChange::Lossy
            } else if tp - ts.min(tp) < fp - fs.min(fp) {
                TypeChange::Narrowing
            } else if ts == fs {
                TypeChange::InPlace
            } else {
                TypeChange::WideningRewrite
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TypeChange::*;
    use super::*;

    #[test]
    fn the_type_change_matrix() {
        for (from, to, expected) in [
            ("varchar(20)", "varchar(40)", InPlace),
            ("varchar(20)", "text", InPlace),
            ("text", "varchar", InPlace),
            ("varchar(40)", "varchar(20)", Narrowing),
            ("text", "varchar(20)", Narrowing),
            ("integer", "bigint", WideningRewrite),
            ("smallint", "integer", WideningRewrite),
            ("bigint", "integer", Narrowing),
            ("integer", "smallint", Narrowing),
            ("numeric", "real", Lossy),
            ("double precision", "bigint", Lossy),
            ("real", "double precision", WideningRewrite),
            ("numeric(10,2)", "numeric(12,2)", InPlace),
            ("numeric(10,2)", "numeric(10,1)", Lossy),
            ("numeric(10,2)", "numeric(8,2)", Narrowing),
            ("numeric(10,2)", "numeric", InPlace),
            ("text", "integer", Convert),
            ("integer", "text", Convert),
            ("cidr", "inet", InPlace),
            ("timestamp", "timestamptz", WideningRewrite),
            ("timestamptz", "date", Lossy),
        ] {
            assert_eq!(type_change(from, to), expected, "{from} -> {to}");
        }
    }

    #[test]
    fn sqlite_affinities() {
        for (ty, affinity) in [
            ("integer", "INTEGER"),
            ("bigint", "INTEGER"),
            ("smallint", "INTEGER"),
            ("varchar(50)", "TEXT"),
            ("text", "TEXT"),
            ("blob", "BLOB"),
            ("", "BLOB"),
            ("real", "REAL"),
            ("double precision", "REAL"),
            ("numeric(10,2)", "NUMERIC"),
            ("boolean", "NUMERIC"),
            ("datetime", "NUMERIC"),
        ] {
            assert_eq!(sqlite_affinity(ty), affinity, "{ty}");
        }
    }
}

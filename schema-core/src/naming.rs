//! Name derivation: snake_case of Rust identifiers, PostgreSQL-style default constraint and
//! index names, and deterministic shortening of names longer than the dialect allows.

use crate::dialect::Dialect;
use sha2::{Digest, Sha256};

/// `UserRole` -> `user_role`, `HTTPServer` -> `http_server`, `r#type` -> `type`.
pub fn snake_case(ident: &str) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                Some(_) => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The field name as a column name: the identifier without a raw `r#` prefix.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

pub fn primary_key_name(table: &str) -> String {
    format!("{table}_pkey")
}

pub fn unique_name(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_key", columns.join("_"))
}

pub fn index_name(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_idx", columns.join("_"))
}

pub fn foreign_key_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_fkey")
}

/// The name of the check constraint that keeps an enum column inside its values (SQLite).
pub fn column_check_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_check")
}

/// Fits `name` into the dialect's identifier limit. A name that fits is returned unchanged;
/// a longer one keeps its longest prefix that fits together with `_` and an 8-hex-digit hash of
/// the whole original name, so two different long names never collide by truncation.
pub fn fit(name: &str, dialect: Dialect) -> String {
    match dialect.max_identifier_len() {
        Some(max) => shorten(name, max),
        None => name.to_string(),
    }
}

/// See [`fit`]; `max` in bytes.
pub fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let keep = max.saturating_sub(hash.len() + 1);
    let mut cut = keep.min(name.len());
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let prefix = name[..cut].trim_end_matches('_');
    format!("{prefix}_{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn snake_case_table() {
        let cases = [
            ("User", "user"),
            ("UserRole", "user_role"),
            ("HTTPServer", "http_server"),
            ("OrderItem2", "order_item2"),
            ("Item2Order", "item2_order"),
            ("already_snake", "already_snake"),
            ("r#type", "type"),
            ("ABC", "abc"),
            ("ReadOnly", "read_only"),
            ("IOError", "io_error"),
            ("A", "a"),
        ];
        for (input, want) in cases {
            assert_eq!(snake_case(input), want, "snake_case({input})");
        }
    }

    #[test]
    fn default_names_follow_postgres() {
        let cols = vec!["org_id".to_string(), "email".to_string()];
        assert_eq!(primary_key_name("users"), "users_pkey");
        assert_eq!(unique_name("users", &cols), "users_org_id_email_key");
        assert_eq!(index_name("users", &cols), "users_org_id_email_idx");
        assert_eq!(foreign_key_name("users", "org_id"), "users_org_id_fkey");
        assert_eq!(column_check_name("users", "role"), "users_role_check");
    }

    #[test]
    fn default_names_of_long_tables_fit_each_dialect() {
        let table = "organisation_membership_invitation_audit_log_entries";
        let cols = vec![
            "organisation_id".to_string(),
            "invited_by_user_id".to_string(),
        ];
        let names = [
            unique_name(table, &cols),
            index_name(table, &cols),
            foreign_key_name(table, &cols[1]),
        ];
        for name in &names {
            assert!(name.len() > 64, "{name} is long enough to need shortening");
            let pg = fit(name, Dialect::Postgres);
            let my = fit(name, Dialect::Mysql);
            assert_eq!(pg.len(), 63, "{pg}");
            assert_eq!(my.len(), 64, "{my}");
            assert_eq!(fit(name, Dialect::Sqlite), *name);
        }
        let fitted: std::collections::BTreeSet<String> =
            names.iter().map(|n| fit(n, Dialect::Postgres)).collect();
        assert_eq!(
            fitted.len(),
            names.len(),
            "no two default names collide after shortening"
        );
    }

    #[test]
    fn short_names_are_kept() {
        let n = "a".repeat(63);
        assert_eq!(fit(&n, Dialect::Postgres), n);
        assert_eq!(fit(&"a".repeat(64), Dialect::Mysql), "a".repeat(64));
        assert_eq!(fit(&"a".repeat(300), Dialect::Sqlite), "a".repeat(300));
    }

    #[test]
    fn long_names_shortened_with_hash() {
        let long = format!("{}_idx", "very_long_table_name_".repeat(5));
        let pg = fit(&long, Dialect::Postgres);
        assert_eq!(pg.len(), 63);
        assert!(long.starts_with(pg.rsplit_once('_').unwrap().0));
        assert_eq!(pg, fit(&long, Dialect::Postgres), "deterministic");
        assert!(fit(&long, Dialect::Mysql).len() <= 64);
    }

    proptest! {
        #[test]
        fn shortening_fits_and_never_collides(a in "[a-z_]{1,120}", b in "[a-z_]{1,120}", max in 20usize..80) {
            let sa = shorten(&a, max);
            let sb = shorten(&b, max);
            prop_assert!(sa.len() <= max);
            prop_assert_eq!(&sa, &shorten(&a, max));
            if a != b && (a.len() > max || b.len() > max) {
                prop_assert_ne!(sa, sb);
            }
        }

        #[test]
        fn long_names_sharing_a_prefix_stay_distinct(prefix in "[a-z_]{70,90}", a in "[a-z]{1,8}", b in "[a-z]{1,8}") {
            let (na, nb) = (format!("{prefix}{a}"), format!("{prefix}{b}"));
            for dialect in [Dialect::Postgres, Dialect::Mysql] {
                let (fa, fb) = (fit(&na, dialect), fit(&nb, dialect));
                prop_assert!(fa.len() <= dialect.max_identifier_len().unwrap_or(usize::MAX));
                if a != b {
                    prop_assert_ne!(fa, fb);
                }
            }
        }

        #[test]
        fn multibyte_names_cut_on_char_boundary(a in "[a-zé]{60,100}") {
            let s = shorten(&a, 63);
            prop_assert!(s.len() <= 63);
        }

        #[test]
        fn snake_case_is_idempotent(a in "[A-Za-z][A-Za-z0-9]{0,20}") {
            let once = snake_case(&a);
            prop_assert_eq!(snake_case(&once), once.clone());
            prop_assert!(!once.chars().any(|c| c.is_uppercase()));
        }
    }
}

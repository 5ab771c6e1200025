//! The safety keys of `[package.metadata.schema]` (and of each `[[...target]]`, which override
//! the package's): the PostgreSQL major version the migrations are generated for, and the lock
//! budgets written into PostgreSQL files.
//!
//! ```toml
//! postgres_version = 15              # default 15
//! lock_timeout = "2s"                # default "1500ms"; keep it above 1 s (see `low_lock_timeout_note`)
//! concurrent_lock_timeout = "1min"   # CREATE/DROP INDEX CONCURRENTLY; default "60s"
//! ```

use schema_core::plan::target::{timeout_literal, DEFAULT_LOCK_TIMEOUT_MS};
use schema_core::plan::Target;
use schema_core::Dialect;
use serde_json::{Map, Value};

/// PostgreSQL's default `deadlock_timeout`: how long a lock request waits before the server
/// runs its deadlock check, the only place where it cancels an autovacuum worker that blocks
/// the request.
pub const POSTGRES_DEADLOCK_TIMEOUT_MS: u64 = 1_000;

pub const KEYS: [&str; 3] = [
    "postgres_version",
    "lock_timeout",
    "concurrent_lock_timeout",
];

/// `base` with the keys found in `table` applied.
pub fn read(table: &Map<String, Value>, base: Target) -> Result<Target, String> {
    let mut target = base;
    if let Some(v) = table.get("postgres_version") {
        target.postgres_version = v
            .as_u64()
            .filter(|v| (9..=99).contains(v))
            .ok_or("`postgres_version` must be a PostgreSQL major version number, e.g. `postgres_version = 15`")?
            as u32;
    }
    if let Some(v) = table.get("lock_timeout") {
        target.lock_timeout_ms = duration_ms(v, "lock_timeout")?;
    }
    if let Some(v) = table.get("concurrent_lock_timeout") {
        target.concurrent_lock_timeout_ms = duration_ms(v, "concurrent_lock_timeout")?;
    }
    Ok(target)
}

/// The note `generate` prints for a PostgreSQL target whose `lock_timeout` is at or below the
/// default `deadlock_timeout` (`which` names the target: `blog (postgres)`). An autovacuum worker
/// holds `SHARE UPDATE EXCLUSIVE` on the table it vacuums, which conflicts with every
/// `ALTER TABLE` of the files; the server cancels it only when a waiting request runs its
/// deadlock check, after `deadlock_timeout`, so a shorter `lock_timeout` gives up first and
/// every retry meets the same vacuum. `None` for other dialects and for longer timeouts.
pub fn low_lock_timeout_note(which: &str, dialect: Dialect, target: &Target) -> Option<String> {
    if dialect != Dialect::Postgres || target.lock_timeout_ms > POSTGRES_DEADLOCK_TIMEOUT_MS {
        return None;
    }
    Some(format!(
        "{which}: `lock_timeout = \"{}\"` is not above PostgreSQL's `deadlock_timeout` (1 s by \
         default): an autovacuum worker on the table (its SHARE UPDATE EXCLUSIVE lock conflicts \
         with every ALTER TABLE) is cancelled only after a waiting statement has waited \
         `deadlock_timeout`, so with this timeout each attempt gives up first and the migration \
         fails for as long as the vacuum runs; use more than 1 s (the default is \"{}\") unless the \
         server's `deadlock_timeout` is lower",
        timeout_literal(target.lock_timeout_ms).trim_matches('\''),
        timeout_literal(DEFAULT_LOCK_TIMEOUT_MS).trim_matches('\''),
    ))
}

/// `"2s"`, `"500ms"`, `"1min"` -> milliseconds (at least 1: 0 would mean no timeout at all).
fn duration_ms(value: &Value, key: &str) -> Result<u64, String> {
    let err = || {
        format!("`{key}` must be a duration such as \"2s\", \"500ms\" or \"1min\" (more than zero)")
    };
    let text = value.as_str().ok_or_else(err)?.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..split].parse().map_err(|_| err())?;
    let factor = match text[split..].trim() {
        "ms" => 1,
        "s" => 1_000,
        "min" => 60_000,
        _ => return Err(err()),
    };
    Some(number * factor).filter(|ms| *ms > 0).ok_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn reads_version_and_timeouts_over_the_defaults() {
        let t = read(
            &table(json!({"postgres_version": 12, "lock_timeout": "500ms", "concurrent_lock_timeout": "2min"})),
            Target::default(),
        )
        .unwrap();
        assert_eq!(t.postgres_version, 12);
        assert_eq!(t.lock_timeout_ms, 500);
        assert_eq!(t.concurrent_lock_timeout_ms, 120_000);
        assert_eq!(
            read(&table(json!({})), Target::default()).unwrap(),
            Target::default()
        );
    }

    #[test]
    fn a_lock_timeout_not_above_the_deadlock_timeout_gets_a_note_on_postgres_only() {
        let with = |ms| Target {
            lock_timeout_ms: ms,
            ..Target::default()
        };
        assert_eq!(
            low_lock_timeout_note("blog (postgres)", Dialect::Postgres, &Target::default()),
            None
        );
        assert_eq!(
            low_lock_timeout_note("blog (postgres)", Dialect::Postgres, &with(1001)),
            None
        );
        for ms in [1, 500, 1000] {
            let note = low_lock_timeout_note("blog (postgres)", Dialect::Postgres, &with(ms))
                .unwrap_or_else(|| panic!("no note for {ms} ms"));
            assert!(
                note.starts_with("blog (postgres): `lock_timeout = \""),
                "{note}"
            );
            assert!(note.contains("autovacuum"), "{note}");
            assert!(note.contains("the default is \"1500ms\""), "{note}");
        }
        assert!(
            low_lock_timeout_note("x (postgres)", Dialect::Postgres, &with(1000))
                .unwrap()
                .contains("`lock_timeout = \"1s\"`")
        );
        for dialect in [Dialect::Mysql, Dialect::Sqlite] {
            assert_eq!(low_lock_timeout_note("x", dialect, &with(500)), None);
        }
    }

    #[test]
    fn rejects_bad_values_with_the_expected_form() {
        for bad in [
            json!({"postgres_version": "15"}),
            json!({"postgres_version": 3}),
            json!({"lock_timeout": 2}),
            json!({"lock_timeout": "2 hours"}),
            json!({"lock_timeout": "0s"}),
        ] {
            let e = read(&table(bad.clone()), Target::default()).unwrap_err();
            assert!(e.contains("must be"), "{bad}: {e}");
        }
    }
}

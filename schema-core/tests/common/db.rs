//! Runs generated SQL on real databases through the `sqlite3`, `psql` and `mysql` clients,
//! the way the runtime runs a migration file (directives honoured), and reads back a
//! normalized description of the schema so two states can be compared. Tests skip (with a
//! message) when the tool or the server is not there.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique_name(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

fn run(cmd: &mut Command, input: &str) -> Result<String, String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(input.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && !stderr.contains("ERROR") && !stderr.contains("Error") {
        Ok(stdout)
    } else {
        Err(format!("{stderr}\n--- input ---\n{input}"))
    }
}

pub struct Sqlite {
    pub path: PathBuf,
}

impl Sqlite {
    /// A fresh database file, or `None` when `sqlite3` is not installed.
    pub fn new() -> Option<Sqlite> {
        if Command::new("sqlite3").arg("-version").output().is_err() {
            eprintln!("sqlite3 not found: skipping");
            return None;
        }
        let path = std::env::temp_dir().join(format!("{}.db", unique_name("schema_core_test")));
        let _ = std::fs::remove_file(&path);
        Some(Sqlite { path })
    }

    pub fn exec(&self, sql: &str) -> Result<String, String> {
        run(
            Command::new("sqlite3").arg("-bail").arg(&self.path),
            &format!("PRAGMA foreign_keys=ON;\n{sql}"),
        )
    }

    /// Runs a migration file as the runner does: with `-- schema:foreign-keys=off` foreign
    /// keys are off around the transaction and `PRAGMA foreign_key_check` must find nothing.
    pub fn migrate(&self, file: &str) -> Result<(), String> {
        let fk_off = file.lines().next() == Some("-- schema:foreign-keys=off");
        let script = if fk_off {
            format!(
                "PRAGMA foreign_keys=OFF;\nBEGIN;\n{file}\nPRAGMA foreign_key_check;\nCOMMIT;\n"
            )
        } else {
            format!("PRAGMA foreign_keys=ON;\nBEGIN;\n{file}\nCOMMIT;\n")
        };
        let out = run(
            Command::new("sqlite3").arg("-bail").arg(&self.path),
            &script,
        )?;
        if out.trim().is_empty() {
            Ok(())
        } else {
            Err(format!("foreign_key_check found violations: {out}"))
        }
    }

    /// Columns, indexes, foreign keys and check clauses, one sorted line each.
    pub fn describe(&self) -> String {
        let q = r#"
SELECT 'col', m.name, p.name, p.type, p."notnull", quote(p.dflt_value), p.pk FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 2, 3;
SELECT 'idx', m.name, il.name, il."unique", il.partial, (SELECT group_concat(ii.name, ',') FROM pragma_index_info(il.name) ii) FROM sqlite_schema m, pragma_index_list(m.name) il WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 2, 3;
SELECT 'fk', m.name, f."table", f."from", f."to", f.on_update, f.on_delete FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 2, 3, 4;
-- Checks compare without quotes: `RENAME COLUMN` rewrites them with quoted names.
SELECT 'autoinc', m.name FROM sqlite_schema m WHERE m.type = 'table' AND m.sql LIKE '%AUTOINCREMENT%' ORDER BY 2;
SELECT 'check', m.name, substr(replace(m.sql, '"', ''), instr(replace(m.sql, '"', ''), 'CONSTRAINT')) FROM sqlite_schema m WHERE m.type = 'table' AND m.sql LIKE '%CHECK%' ORDER BY 2;
"#;
        self.exec(q)
            .unwrap_or_else(|e| panic!("describe failed: {e}"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A throwaway schema in the local PostgreSQL (`127.0.0.1:5432`, user `postgres`, db `test`).
pub struct Postgres {
    pub schema: String,
}

fn psql() -> Command {
    let mut c = Command::new("psql");
    c.args([
        "-X",
        "-q",
        "-At",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "test",
    ]);
    c
}

impl Postgres {
    pub fn new() -> Option<Postgres> {
        let schema = unique_name("schema_core_test");
        match run(&mut psql(), &format!("CREATE SCHEMA \"{schema}\";")) {
            Ok(_) => Some(Postgres { schema }),
            Err(e) => {
                eprintln!("PostgreSQL not reachable, skipping: {e}");
                None
            }
        }
    }

    pub fn exec(&self, sql: &str) -> Result<String, String> {
        run(
            &mut psql(),
            &format!("SET search_path TO \"{}\";\n{sql}", self.schema),
        )
    }

    /// Runs a migration file as the runner does: in one transaction unless
    /// `-- schema:no-transaction` is among its first lines.
    pub fn migrate(&self, file: &str) -> Result<(), String> {
        let no_tx = file
            .lines()
            .take_while(|l| l.starts_with("-- schema:"))
            .any(|l| l == "-- schema:no-transaction");
        let script = if no_tx {
            file.to_string()
        } else {
            format!("BEGIN;\n{file}\nCOMMIT;\n")
        };
        self.exec(&script).map(|_| ())
    }

    pub fn describe(&self) -> String {
        let q = r#"
SELECT 'col', table_name, column_name, data_type, udt_name, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 2, 3;
SELECT 'con', conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 2, 3;
SELECT 'idx', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 2, 3;
SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = current_schema()::regnamespace GROUP BY 2 ORDER BY 2;
"#;
        self.exec(q)
            .unwrap_or_else(|e| panic!("describe failed: {e}"))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = run(
            &mut psql(),
            &format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE;", self.schema),
        );
    }
}

/// A throwaway database in the local MySQL or MariaDB (`127.0.0.1:3306`, user `root`).
pub struct Mysql {
    pub database: String,
}

fn mysql_client() -> Command {
    let mut c = Command::new("mysql");
    c.args([
        "--no-defaults",
        "-h127.0.0.1",
        "-P3306",
        "-uroot",
        "-N",
        "-B",
    ]);
    c
}

impl Mysql {
    pub fn new() -> Option<Mysql> {
        let database = unique_name("schema_core_test");
        match run(
            &mut mysql_client(),
            &format!("CREATE DATABASE `{database}`;"),
        ) {
            Ok(_) => Some(Mysql { database }),
            Err(e) => {
                eprintln!("MySQL not reachable, skipping: {e}");
                None
            }
        }
    }

    /// Test SQL, written with standard double-quoted identifiers.
    pub fn exec(&self, sql: &str) -> Result<String, String> {
        run(
            mysql_client().arg(&self.database),
            &format!("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES');\n{sql}"),
        )
    }

    /// MySQL commits every DDL statement on its own: the file runs statement by statement,
    /// in the server's default mode.
    pub fn migrate(&self, file: &str) -> Result<(), String> {
        run(mysql_client().arg(&self.database), file).map(|_| ())
    }

    pub fn describe(&self) -> String {
        let q = r#"
SELECT 'col', table_name, column_name, column_type, is_nullable, column_default, extra FROM information_schema.columns WHERE table_schema = database() ORDER BY 2, 3;
SELECT 'idx', table_name, index_name, non_unique, group_concat(column_name ORDER BY seq_in_index) FROM information_schema.statistics WHERE table_schema = database() GROUP BY 2, 3, 4 ORDER BY 2, 3;
SELECT 'fk', table_name, constraint_name, referenced_table_name, delete_rule, update_rule FROM information_schema.referential_constraints WHERE constraint_schema = database() ORDER BY 2, 3;
SELECT 'check', table_name, constraint_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = database() ORDER BY 2, 3;
"#;
        run(mysql_client().arg(&self.database), q)
            .unwrap_or_else(|e| panic!("describe failed: {e}"))
    }
}

impl Drop for Mysql {
    fn drop(&mut self) {
        let _ = run(
            &mut mysql_client(),
            &format!("DROP DATABASE IF EXISTS `{}`;", self.database),
        );
    }
}

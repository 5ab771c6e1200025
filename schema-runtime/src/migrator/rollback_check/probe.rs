//! The queries of the rollback gate, per dialect: a table's columns and primary key from the
//! catalog, and the count and sample keys of the rows a condition selects. Only names taken
//! from the down file (quoted) and its own expressions are formatted into the SQL; catalog
//! lookups bind the name.

use crate::migrator::session::{with_conn, Conn};
use schema_core::Dialect;
use sqlx::AssertSqlSafe;

use super::SAMPLE_KEYS;

pub(super) struct Probe<'c> {
    pub conn: &'c mut Conn,
    pub dialect: Dialect,
}

impl Probe<'_> {
    pub fn quote(&self, name: &str) -> String {
        schema_core::render::quote::ident(name, self.dialect)
    }

    /// A string literal of this dialect.
    pub fn literal(&self, text: &str) -> String {
        let quoted = text.replace('\'', "''");
        if self.dialect == Dialect::Mysql {
            format!("'{}'", quoted.replace('\\', "\\\\"))
        } else {
            format!("'{quoted}'")
        }
    }

    /// `expr` as text, for sample keys.
    pub fn as_text(&self, expr: &str) -> String {
        match self.dialect {
            Dialect::Mysql => format!("CAST({expr} AS CHAR)"),
            Dialect::Postgres => format!("CAST({expr} AS text)"),
            Dialect::Sqlite => format!("CAST({expr} AS TEXT)"),
        }
    }

    /// Text expressions joined with `, ` (a NULL part shows as `NULL`).
    pub fn joined(&self, parts: &[String]) -> String {
        let parts: Vec<String> = parts
            .iter()
            .map(|p| format!("coalesce({}, 'NULL')", self.as_text(p)))
            .collect();
        match (self.dialect, parts.as_slice()) {
            (_, [one]) => one.clone(),
            (Dialect::Mysql, _) => format!("CONCAT_WS(', ', {})", parts.join(", ")),
            _ => parts.join(" || ', ' || "),
        }
    }

    pub fn length(&self, expr: &str) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("length({expr})"),
            _ => format!("char_length({expr})"),
        }
    }

    fn placeholder(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgres => "$1",
            _ => "?",
        }
    }

    async fn names(&mut self, sql: String, table: &str) -> Result<Vec<String>, sqlx::Error> {
        let sql = AssertSqlSafe(sql);
        with_conn!(&mut *self.conn, c => {
            sqlx::query_scalar::<_, String>(sql).bind(table).fetch_all(&mut *c).await
        })
    }

    /// The columns of the live table `table`, in order; empty when there is no such table.
    pub async fn columns(&mut self, table: &str) -> Result<Vec<String>, sqlx::Error> {
        let p = self.placeholder();
        let sql = match self.dialect {
            Dialect::Postgres => format!(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = {p} ORDER BY ordinal_position"
            ),
            Dialect::Mysql => format!(
                "SELECT CAST(column_name AS CHAR) FROM information_schema.columns \
                 WHERE table_schema = DATABASE() AND table_name = {p} ORDER BY ordinal_position"
            ),
            Dialect::Sqlite => format!("SELECT name FROM pragma_table_info({p}) ORDER BY cid"),
        };
        self.names(sql, table).await
    }

    /// The primary-key columns of the live table `table` (empty: none).
    pub async fn primary_key(&mut self, table: &str) -> Result<Vec<String>, sqlx::Error> {
        let p = self.placeholder();
        let sql = match self.dialect {
            Dialect::Postgres => format!(
                "SELECT a.attname::text FROM pg_index i \
                 JOIN pg_class t ON t.oid = i.indrelid \
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) \
                 WHERE i.indisprimary AND t.relname = {p} \
                 AND t.relnamespace = current_schema()::regnamespace \
                 ORDER BY array_position(i.indkey::int2[], a.attnum)"
            ),
            Dialect::Mysql => format!(
                "SELECT CAST(column_name AS CHAR) FROM information_schema.key_column_usage \
                 WHERE table_schema = DATABASE() AND table_name = {p} \
                 AND constraint_name = 'PRIMARY' ORDER BY ordinal_position"
            ),
            Dialect::Sqlite => {
                format!("SELECT name FROM pragma_table_info({p}) WHERE pk > 0 ORDER BY pk")
            }
        };
        self.names(sql, table).await
    }

    /// The key to name a row of `table` by in messages: its primary key, else PostgreSQL's
    /// `ctid` / SQLite's `rowid`; `None` on MySQL without a primary key.
    pub async fn row_key(&mut self, table: &str) -> Result<Option<String>, sqlx::Error> {
        let key = self.primary_key(table).await?;
        if !key.is_empty() {
            let parts: Vec<String> = key.iter().map(|c| self.quote(c)).collect();
            // One column as it is, so the samples sort by it.
            return Ok(Some(match parts.as_slice() {
                [one] => one.clone(),
                _ => self.joined(&parts),
            }));
        }
        Ok(match self.dialect {
            Dialect::Postgres => Some("'ctid ' || ctid::text".to_string()),
            Dialect::Sqlite => Some("'rowid ' || CAST(rowid AS TEXT)".to_string()),
            Dialect::Mysql => None,
        })
    }

    /// The number of rows of `from_where` (`FROM ... WHERE ...`) and up to [`SAMPLE_KEYS`]
    /// values of `key` among them.
    pub async fn count(
        &mut self,
        from_where: &str,
        key: Option<&str>,
    ) -> Result<(i64, Vec<String>), sqlx::Error> {
        let count_sql = AssertSqlSafe(format!("SELECT count(*) {from_where}"));
        let count: i64 = with_conn!(&mut *self.conn, c => {
            sqlx::query_scalar(count_sql).fetch_one(&mut *c).await?
        });
        if count == 0 {
            return Ok((0, Vec::new()));
        }
        let Some(key) = key else {
            return Ok((count, Vec::new()));
        };
        let sample_sql = AssertSqlSafe(format!(
            "SELECT {} {from_where} ORDER BY {key} LIMIT {SAMPLE_KEYS}",
            self.as_text(key)
        ));
        let samples: Vec<Option<String>> = with_conn!(&mut *self.conn, c => {
            sqlx::query_scalar(sample_sql).fetch_all(&mut *c).await?
        });
        Ok((
            count,
            samples
                .into_iter()
                .map(|s| s.unwrap_or_else(|| "NULL".to_string()))
                .collect(),
        ))
    }
}

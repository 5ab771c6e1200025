//! The history table: one row per migration, with version, name, checksum, when it was
//! applied and how long it took. Values are always bound; only the validated table name is
//! formatted into the SQL.

use super::{with_conn, Session};
use crate::migrator::report::AppliedMigration;
use crate::migrator::MigrateError;
use schema_core::Dialect;
use sqlx::AssertSqlSafe;

/// Values of a history row the runner writes.
pub(crate) struct RowValues<'a> {
    pub version: i64,
    pub name: &'a str,
    pub checksum: &'a str,
    pub execution_ms: i64,
    pub complete: bool,
    pub statements_done: i64,
    pub progress_checksum: Option<&'a str>,
}

type Row = (
    i64,
    String,
    String,
    Option<String>,
    i64,
    bool,
    i64,
    Option<String>,
);

impl Session {
    fn quoted_table(&self) -> String {
        match self.dialect {
            Dialect::Mysql => format!("`{}`", self.table),
            _ => format!("\"{}\"", self.table),
        }
    }

    /// Our own SQL is written with `$n` placeholders; SQLite and MySQL take `?` in order.
    fn sql(&self, template: &str) -> String {
        let text = template.replace("{table}", &self.quoted_table());
        if self.dialect == Dialect::Postgres {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    chars.next();
                }
                out.push('?');
            } else {
                out.push(c);
            }
        }
        out
    }

    fn now(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgres => "now()",
            Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            Dialect::Mysql => "CURRENT_TIMESTAMP(3)",
        }
    }

    pub(crate) async fn ensure_history(&mut self) -> Result<(), MigrateError> {
        let create = match self.dialect {
            Dialect::Postgres => "CREATE TABLE IF NOT EXISTS {table} (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), execution_ms BIGINT NOT NULL DEFAULT 0, complete BOOLEAN NOT NULL, statements_done BIGINT NOT NULL DEFAULT 0, progress_checksum TEXT)",
            Dialect::Sqlite => "CREATE TABLE IF NOT EXISTS {table} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), execution_ms INTEGER NOT NULL DEFAULT 0, complete BOOLEAN NOT NULL, statements_done INTEGER NOT NULL DEFAULT 0, progress_checksum TEXT)",
            Dialect::Mysql => "CREATE TABLE IF NOT EXISTS {table} (version BIGINT PRIMARY KEY, name VARCHAR(255) NOT NULL, checksum CHAR(64) NOT NULL, applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), execution_ms BIGINT NOT NULL DEFAULT 0, complete BOOLEAN NOT NULL, statements_done BIGINT NOT NULL DEFAULT 0, progress_checksum CHAR(64) NULL)",
        };
        let create = self.sql(create);
        if self.dialect == Dialect::Postgres && self.per_migration_lock() {
            // Concurrent CREATE TABLE IF NOT EXISTS can collide on PostgreSQL; under the
            // transaction lock only one runs at a time.
            self.begin().await?;
            let created = self.execute(&create).await;
            match created {
                Ok(()) => self.commit().await,
                Err(e) => {
                    self.rollback().await;
                    Err(self.error("creating the history table", e))
                }
            }
        } else {
            let created = self.execute(&create).await;
            created.map_err(|e| self.error("creating the history table", e))
        }
    }

    pub(crate) async fn history_exists(&mut self) -> Result<bool, MigrateError> {
        let table = self.table.clone();
        let sql = match self.dialect {
            Dialect::Postgres => "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = $1 AND schemaname = ANY (current_schemas(false))",
            Dialect::Sqlite => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
            Dialect::Mysql => "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = $1",
        };
        let sql = self.sql(sql);
        let count: i64 = with_conn!(&mut self.conn, c => sqlx::query_scalar(AssertSqlSafe(sql)).bind(table).fetch_one(&mut *c).await)
            .map_err(|e| self.error("looking for the history table", e))?;
        Ok(count > 0)
    }

    /// Every history row, by version; `applied_at` only `with_times` (the runner does not need
    /// it, `status` shows it).
    pub(crate) async fn read_applied(
        &mut self,
        with_times: bool,
    ) -> Result<Vec<AppliedMigration>, MigrateError> {
        let applied_at = match self.dialect {
            Dialect::Postgres if !with_times => "NULL::text",
            Dialect::Sqlite if !with_times => "NULL",
            Dialect::Mysql if !with_times => "CAST(NULL AS CHAR)",
            Dialect::Postgres => {
                "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
            }
            Dialect::Sqlite => "applied_at",
            Dialect::Mysql => "CAST(DATE_FORMAT(applied_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS CHAR)",
        };
        let sql = self.sql(&format!(
            "SELECT version, name, checksum, {applied_at}, execution_ms, complete, statements_done, progress_checksum FROM {{table}} ORDER BY version"
        ));
        #[cfg_attr(not(feature = "sqlite"), allow(unused_variables))]
        let table = self.quoted_table();
        let rows: Result<Vec<Row>, sqlx::Error> = match &mut self.conn {
            // A simple query (no parameters): one round trip, where a prepared one takes two.
            #[cfg(feature = "postgres")]
            super::Conn::Postgres(c) => {
                use sqlx::FromRow;
                match sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(&mut *c).await {
                    Ok(rows) => rows.iter().map(Row::from_row).collect(),
                    Err(error) => Err(error),
                }
            }
            // Rows come from SQLite's worker thread one at a time, each one a wake-up of this
            // task: ask for one row holding them all as JSON, and read them the usual way only
            // if that fails (a SQLite without JSON functions, or no history table).
            #[cfg(feature = "sqlite")]
            super::Conn::Sqlite(c) => match sqlite_rows_as_json(c, applied_at, &table).await {
                Some(rows) => Ok(rows),
                None => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *c).await,
            },
            #[allow(unreachable_patterns)]
            conn => {
                with_conn!(conn, c => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *c).await)
            }
        };
        let rows = rows.map_err(|e| self.error("reading the history table", e))?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    version,
                    name,
                    checksum,
                    applied_at,
                    execution_ms,
                    complete,
                    statements_done,
                    progress_checksum,
                )| {
                    AppliedMigration {
                        version,
                        name,
                        checksum: checksum.trim().to_string(),
                        applied_at,
                        execution_ms,
                        complete,
                        statements_done,
                        progress_checksum: progress_checksum.map(|p| p.trim().to_string()),
                    }
                },
            )
            .collect())
    }

    pub(crate) async fn insert_row(&mut self, row: &RowValues<'_>) -> Result<(), MigrateError> {
        let sql = self.sql("INSERT INTO {table} (version, name, checksum, execution_ms, complete, statements_done, progress_checksum) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        with_conn!(&mut self.conn, c => sqlx::query(AssertSqlSafe(sql)) .bind(row.version) .bind(row.name.to_string()) .bind(row.checksum.to_string()) .bind(row.execution_ms) .bind(row.complete) .bind(row.statements_done) .bind(row.progress_checksum.map(str::to_string)).execute(&mut *c).await.map(drop))
            .map_err(|e| self.error("recording a migration in the history table", e))
    }

    /// Updates an unfinished row's checksum and progress.
    pub(crate) async fn set_progress(&mut self, row: &RowValues<'_>) -> Result<(), MigrateError> {
        let sql = self.sql("UPDATE {table} SET checksum = $1, statements_done = $2, progress_checksum = $3 WHERE version = $4");
        with_conn!(&mut self.conn, c => sqlx::query(AssertSqlSafe(sql)) .bind(row.checksum.to_string()) .bind(row.statements_done) .bind(row.progress_checksum.map(str::to_string)) .bind(row.version).execute(&mut *c).await.map(drop))
            .map_err(|e| self.error("recording a migration's progress", e))
    }

    pub(crate) async fn complete_row(&mut self, row: &RowValues<'_>) -> Result<(), MigrateError> {
        let sql = self.sql(&format!("UPDATE {{table}} SET complete = $1, execution_ms = $2, checksum = $3, statements_done = $4, progress_checksum = NULL, applied_at = {} WHERE version = $5", self.now()));
        with_conn!(&mut self.conn, c => sqlx::query(AssertSqlSafe(sql)) .bind(true) .bind(row.execution_ms) .bind(row.checksum.to_string()) .bind(row.statements_done) .bind(row.version).execute(&mut *c).await.map(drop))
            .map_err(|e| self.error("recording a finished migration", e))
    }

    /// Deletes a version's row; with `only_unfinished`, only if its migration did not finish.
    pub(crate) async fn delete_row(
        &mut self,
        version: i64,
        only_unfinished: bool,
    ) -> Result<(), MigrateError> {
        let sql = if only_unfinished {
            self.sql("DELETE FROM {table} WHERE version = $1 AND complete = $2")
        } else {
            self.sql("DELETE FROM {table} WHERE version = $1")
        };
        let unfinished = false;
        with_conn!(&mut self.conn, c => {
            let query = sqlx::query(AssertSqlSafe(sql)).bind(version);
            let query = if only_unfinished { query.bind(unfinished) } else { query };
            query.execute(&mut *c).await.map(drop)
        })
        .map_err(|e| self.error("removing a migration from the history table", e))
    }
}

/// SQLite: the history in one row, as a JSON array of rows (sorted here: the aggregate's order
/// is not promised); `None` when the query or the JSON fails.
#[cfg(feature = "sqlite")]
async fn sqlite_rows_as_json(
    conn: &mut sqlx::SqliteConnection,
    applied_at: &str,
    table: &str,
) -> Option<Vec<Row>> {
    let sql = format!(
        "SELECT json_group_array(json_array(version, name, checksum, {applied_at}, execution_ms, CASE WHEN complete THEN 1 ELSE 0 END, statements_done, progress_checksum)) FROM {table}"
    );
    let json: String = sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await
        .ok()?;
    type JsonRow = (
        i64,
        String,
        String,
        Option<String>,
        i64,
        i64,
        i64,
        Option<String>,
    );
    let parsed: Vec<JsonRow> = serde_json::from_str(&json).ok()?;
    let mut rows: Vec<Row> = parsed
        .into_iter()
        .map(|(v, n, c, at, ms, complete, done, p)| (v, n, c, at, ms, complete != 0, done, p))
        .collect();
    rows.sort_by_key(|row| row.0);
    Some(rows)
}

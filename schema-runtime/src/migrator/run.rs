//! The runner: read the history (with nothing pending that is all), lock, make sure the
//! history table exists, read it again, refuse on any disagreement, then apply (or undo) each
//! migration with its history row, and always release.
//!
//! A statement that fails on the lock timeout is retried with bounded, jittered backoff
//! (`MigratorOptions::retry`): a transactional migration is rolled back as a whole (so no
//! history row) and run again from its start; outside a transaction only the failing
//! statement runs again, on the same connection (the file's earlier `SET`s still apply), after
//! dropping an INVALID index a timed-out `CREATE INDEX CONCURRENTLY` left; progress rows are
//! written only after a statement succeeded, so they stay exact on every path.

use super::analysis::{self, progress_checksum, resume_at, transactional};
use super::error::{database_message, StatementFailure};
use super::options::LockRetry;
use super::report::{Applied, AppliedMigration, Direction, Report};
use super::rollback_check::refuse_data_loss;
use super::session::history::RowValues;
use super::session::{lock_not_available, session_setting, Session};
use super::{DatabasePool, LockMode, MigrateError, Migrator, RollbackTarget};
use schema_core::migrations::{Migration, Script, Statement};
use schema_core::Dialect;
use std::time::{Instant, SystemTime};

/// What a run does.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Goal {
    Up { to: Option<i64> },
    Down(RollbackTarget),
}

pub(crate) async fn run(
    migrator: &Migrator,
    pool: &DatabasePool,
    goal: Goal,
) -> Result<Report, MigrateError> {
    let mut session = Session::open(pool, migrator.options()).await?;
    let outcome = run_session(migrator, pool, &mut session, goal).await;
    session.release().await;
    outcome
}

/// The history as this run last read it.
struct Known {
    /// The rows, by version.
    rows: Vec<AppliedMigration>,
    /// SQLite: `PRAGMA data_version` read just before `rows`. While it stays the same no
    /// other connection has committed anything, so `rows` plus what this run did is still
    /// the history, and a migration's transaction need not read it again.
    data_version: Option<i64>,
}

impl Known {
    async fn read(session: &mut Session) -> Result<Known, MigrateError> {
        let data_version = session.data_version().await?;
        let rows = session.read_applied(false).await?;
        Ok(Known { rows, data_version })
    }

    fn row(&self, version: i64) -> Option<&AppliedMigration> {
        match self.rows.binary_search_by_key(&version, |a| a.version) {
            Ok(index) => Some(&self.rows[index]),
            // Read `ORDER BY version`; a linear search if the database sorted otherwise.
            Err(_) => self.rows.iter().find(|a| a.version == version),
        }
    }
}

async fn run_session(
    migrator: &Migrator,
    pool: &DatabasePool,
    session: &mut Session,
    goal: Goal,
) -> Result<Report, MigrateError> {
    let migrations = migrator.migrations();
    let mut report = Report {
        direction: match goal {
            Goal::Up { .. } => Direction::Up,
            Goal::Down(_) => Direction::Down,
        },
        migrations: Vec::new(),
    };
    // Applying: read the history first, without the lock and creating nothing. When every
    // migration is applied and unchanged that is the whole run (no lock, no write, nothing
    // but this read): whatever another run changes after it, this run is as if it had run
    // just before that one. Anything else (pending, unfinished, refused, no history table
    // yet, an error) is decided under the lock below, from a read made there.
    let mut first_read = None;
    if let Goal::Up { to } = goal {
        if let Ok(known) = Known::read(session).await {
            if analysis::to_apply(migrations, &known.rows, to).is_ok_and(|p| p.is_empty()) {
                return Ok(report);
            }
            first_read = Some(known);
        }
    }
    session.prepare(pool).await?;
    session.lock().await?;
    if first_read.is_none() {
        session.ensure_history().await?;
    }
    // Under a run-wide lock, read again: another run may have moved on before this one got
    // the lock. Under a per-migration lock (SQLite, PostgreSQL transaction mode) no read
    // here is protected anyway: each migration's transaction checks again (`recheck`).
    let mut known = match first_read {
        Some(known) if session.per_migration_lock() => known,
        _ => Known::read(session).await?,
    };
    match goal {
        Goal::Up { to } => {
            let mut current = analysis::current_version(&known.rows);
            for migration in analysis::to_apply(migrations, &known.rows, to)? {
                let applied_now = apply(migrator, session, migration, &mut known, current).await?;
                current = Some(migration.version);
                report.migrations.extend(applied_now);
            }
        }
        Goal::Down(target) => {
            let undoing = analysis::to_roll_back(migrations, &known.rows, target)?;
            let scripts = analysis::with_scripts(undoing, Direction::Down)?;
            refuse_data_loss(session, &scripts).await?;
            for (migration, script) in scripts {
                if let Some(done) = undo(session, migration, &script, &mut known).await? {
                    report.migrations.push(done);
                }
            }
        }
    }
    Ok(report)
}

fn no_transaction(script: &Script) -> bool {
    script
        .directives()
        .map(|d| d.no_transaction)
        .unwrap_or(false)
}

fn foreign_keys_off(script: &Script, dialect: Dialect) -> bool {
    dialect == Dialect::Sqlite
        && script
            .directives()
            .map(|d| d.foreign_keys_off)
            .unwrap_or(false)
}

async fn apply(
    migrator: &Migrator,
    session: &mut Session,
    migration: &Migration,
    known: &mut Known,
    current: Option<i64>,
) -> Result<Option<Applied>, MigrateError> {
    if transactional(session.dialect, no_transaction(&migration.up)) {
        let all = migrator.migrations();
        let place = (all, migration, &migration.up, Direction::Up);
        return retrying_transaction(session, place, current, known).await;
    }
    if session.dialect == Dialect::Postgres && session.options.lock_mode == LockMode::Transaction {
        return Err(MigrateError::NoTransactionNeedsSessionLock {
            version: migration.version,
            file: migration.up.file.to_string(),
        });
    }
    let outcome = outside_transaction(session, migration, known.row(migration.version)).await?;
    session.restore_settings().await?;
    Ok(outcome)
}

/// Runs a migration in a transaction; when a statement hits the lock timeout, the whole
/// transaction has been rolled back: wait and run it again, up to the configured attempts.
async fn retrying_transaction(
    session: &mut Session,
    place: Place<'_>,
    current: Option<i64>,
    known: &mut Known,
) -> Result<Option<Applied>, MigrateError> {
    let migration = place.1;
    let mut attempt = 1;
    loop {
        match in_transaction(session, place, current, known).await {
            Ok(done) => return Ok(Some(done)),
            Err(Skip::AlreadyDone) => return Ok(None),
            Err(Skip::Failed(MigrateError::Statement(mut failure)))
                if failure.lock_timeouts > 0 =>
            {
                let (file, line) = (failure.file.clone(), failure.line);
                let statement = failure.statement.clone();
                let place = (migration.version, file.as_str(), line, statement.as_str());
                if !pause_before_retry(session, place, attempt, true).await {
                    failure.lock_timeouts = attempt;
                    return Err(MigrateError::Statement(failure));
                }
                attempt += 1;
            }
            Err(Skip::Failed(error)) => return Err(error),
        }
    }
}

/// Outside a transaction: runs one statement, and when it hits the lock timeout waits and runs
/// it again, up to the configured attempts. Before a retry (and before the first try when
/// `cleanup`, for a resumed migration) it drops an INVALID index that an interrupted
/// `CREATE INDEX CONCURRENTLY` of this statement left under the name it needs; that drop waits
/// for locks too, and its lock timeout counts as a failed try. On failure returns the error and
/// how many lock timeouts it met.
async fn retrying_statement(
    session: &mut Session,
    migration: &Migration,
    script: &Script,
    statement: &Statement<'_>,
    mut cleanup: bool,
) -> Result<(), (sqlx::Error, u32)> {
    let mut attempt = 1;
    loop {
        let cleaned = if cleanup {
            session
                .drop_invalid_indexes(std::slice::from_ref(statement))
                .await
        } else {
            Ok(())
        };
        let outcome = match cleaned {
            Ok(()) => session.execute(statement.sql).await,
            Err(error) => Err(error),
        };
        let error = match outcome {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        if !lock_not_available(&error) {
            return Err((error, 0));
        }
        let place = (
            migration.version,
            &*script.file,
            statement.line,
            statement.sql,
        );
        if !pause_before_retry(session, place, attempt, false).await {
            return Err((error, attempt));
        }
        cleanup = true;
        attempt += 1;
    }
}

/// After failed try `attempt`: announces the retry and waits, or returns `false` when the
/// attempts are used up.
async fn pause_before_retry(
    session: &Session,
    (version, file, line, sql): (i64, &str, usize, &str),
    attempt: u32,
    whole_migration: bool,
) -> bool {
    let retry = session.options.retry;
    let Some(wait) = retry.delay_after(attempt, jitter()) else {
        return false;
    };
    session.options.on_lock_retry.notify(&LockRetry {
        version,
        file: file.to_string(),
        line,
        statement: one_line(sql, 100),
        attempt,
        attempts: retry.max_attempts(),
        wait,
        whole_migration,
    });
    tokio::time::sleep(wait).await;
    true
}

/// A number in `[0, 1)`, different in each call and each process (no need for a good
/// generator: it only spreads retries of concurrent runs apart).
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.write_u128(now);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// A statement on one line (whitespace runs collapsed), at most `max` characters.
fn one_line(sql: &str, max: usize) -> String {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((index, _)) => format!("{} ...", &flat[..index]),
        None => flat,
    }
}

/// Why an in-transaction step did not produce a result.
enum Skip {
    /// Another process applied (or undid) this migration first.
    AlreadyDone,
    Failed(MigrateError),
}

impl From<MigrateError> for Skip {
    fn from(error: MigrateError) -> Self {
        Skip::Failed(error)
    }
}

/// Which migration a transaction runs, and which way: all the migrations (to check the
/// history against), the one to run, its script for this direction, up or down.
type Place<'m> = (&'m [Migration], &'m Migration, &'m Script, Direction);

/// Runs a script and its history change in one transaction.
async fn in_transaction(
    session: &mut Session,
    place: Place<'_>,
    current: Option<i64>,
    known: &mut Known,
) -> Result<Applied, Skip> {
    let script = place.2;
    let fk_off = foreign_keys_off(script, session.dialect);
    let restore_foreign_keys = if fk_off {
        let was_on = session.foreign_keys_enabled().await?;
        session.set_foreign_keys(false).await?;
        Some(was_on)
    } else {
        None
    };
    session.begin().await.map_err(Skip::Failed)?;
    let outcome = transaction_body(session, place, script, fk_off, current, known).await;
    match &outcome {
        Ok(_) => {
            if let Err(error) = session.commit().await {
                session.rollback().await;
                return Err(Skip::Failed(error));
            }
        }
        Err(_) => session.rollback().await,
    }
    if let Some(was_on) = restore_foreign_keys {
        session.set_foreign_keys(was_on).await?;
    }
    outcome
}

async fn transaction_body(
    session: &mut Session,
    place: Place<'_>,
    script: &Script,
    fk_off: bool,
    current: Option<i64>,
    known: &mut Known,
) -> Result<Applied, Skip> {
    let (_, migration, _, direction) = place;
    let version_before = if session.per_migration_lock() {
        recheck(session, place, current, known).await?
    } else {
        // The run-wide lock has been held since the history was read.
        current
    };
    let started = Instant::now();
    // A row of an unfinished earlier attempt (the file was `-- schema:no-transaction` then)
    // is replaced; `known` is exact here (read under the lock, or checked just above).
    if direction == Direction::Up && known.row(migration.version).is_some() {
        session.delete_row(migration.version, true).await?;
    }
    let statements = script.statements(session.dialect);
    for statement in &statements {
        if let Err(error) = session.execute(statement.sql).await {
            return Err(Skip::Failed(statement_error(
                migration,
                script,
                statement,
                &error,
                true,
                version_before,
            )));
        }
    }
    if fk_off {
        let violations = session.foreign_key_violations().await?;
        if !violations.is_empty() {
            return Err(Skip::Failed(MigrateError::ForeignKeyCheck {
                version: migration.version,
                file: script.file.to_string(),
                violations,
            }));
        }
    }
    if session.dialect == Dialect::Postgres {
        // A file's plain `SET` outlives its transaction: undo it with the commit, before the
        // history row is written (a changed `search_path` would misplace it).
        session.restore_settings().await?;
    }
    let execution_ms = elapsed_ms(started);
    match direction {
        Direction::Up => {
            let checksum = migration.up.checksum.to_hex();
            session
                .insert_row(&RowValues {
                    version: migration.version,
                    name: &migration.name,
                    checksum: &checksum,
                    execution_ms,
                    complete: true,
                    statements_done: statements.len() as i64,
                    progress_checksum: None,
                })
                .await?
        }
        Direction::Down => session.delete_row(migration.version, false).await?,
    }
    Ok(done(migration, script, execution_ms))
}

/// Under a per-migration lock (SQLite, PostgreSQL transaction mode) another process may have
/// moved on since the history was read: check inside the transaction. On SQLite, while no
/// other connection has committed (`PRAGMA data_version` unchanged) the history is what was
/// last read plus this run's own changes, and is not read again; otherwise it is, with the
/// same checks as at the start. Returns the version the database is at.
async fn recheck(
    session: &mut Session,
    (all, migration, _, direction): Place<'_>,
    current: Option<i64>,
    known: &mut Known,
) -> Result<Option<i64>, Skip> {
    let unchanged = match known.data_version {
        Some(seen) => session.data_version().await? == Some(seen),
        None => false,
    };
    if !unchanged {
        *known = Known::read(session).await?;
        if direction == Direction::Up {
            // Refuses as a run starting now would (changed, missing, out of order).
            analysis::to_apply(all, &known.rows, None)?;
        }
    }
    // This run's own changes since the read concern only migrations it has passed.
    let done = known.row(migration.version).is_some_and(|a| a.complete);
    let still_needed = match direction {
        Direction::Up => !done,
        Direction::Down => done,
    };
    if !still_needed {
        return Err(Skip::AlreadyDone);
    }
    Ok(match direction {
        Direction::Up => analysis::current_version(&known.rows).max(current),
        // Undoing newest first: the database is at this migration.
        Direction::Down => current,
    })
}

/// Runs a `-- schema:no-transaction` (or MySQL) up script statement by statement, recording
/// progress after each, so a run that died or failed resumes where it stopped.
async fn outside_transaction(
    session: &mut Session,
    migration: &Migration,
    row: Option<&AppliedMigration>,
) -> Result<Option<Applied>, MigrateError> {
    let script = &migration.up;
    let statements = script.statements(session.dialect);
    let checksum = migration.up.checksum.to_hex();
    let Some(Claim { start, resumed }) =
        claim(session, migration, row, &statements, &checksum).await?
    else {
        return Ok(None);
    };
    // Resuming on a new connection: the session settings the file made before the statements
    // already done (`SET lock_timeout = ...`) must hold for the ones still to run.
    for statement in statements[..start]
        .iter()
        .filter(|s| session_setting(s.sql))
    {
        if let Err(error) = session.execute(statement.sql).await {
            let version_now = version_now(session).await;
            return Err(statement_error(
                migration,
                script,
                statement,
                &error,
                false,
                version_now,
            ));
        }
    }
    let started = Instant::now();
    for (index, statement) in statements.iter().enumerate().skip(start) {
        if let Err((error, lock_timeouts)) =
            retrying_statement(session, migration, script, statement, resumed).await
        {
            let version_now = version_now(session).await;
            return Err(with_lock_timeouts(
                statement_error(migration, script, statement, &error, false, version_now),
                lock_timeouts,
            ));
        }
        let progress = progress_checksum(&statements[..=index]);
        session
            .set_progress(&unfinished_row(migration, &checksum, index + 1, &progress))
            .await?;
    }
    let execution_ms = elapsed_ms(started);
    session
        .complete_row(&RowValues {
            execution_ms,
            complete: true,
            ..unfinished_row(migration, &checksum, statements.len(), "")
        })
        .await?;
    Ok(Some(done(migration, script, execution_ms)))
}

/// Where an unfinished-able migration starts.
struct Claim {
    /// The first statement to run.
    start: usize,
    /// A previous run started it (and may have left INVALID indexes behind).
    resumed: bool,
}

/// Records that an unfinished-able migration starts, or where it resumes; `None` when it is
/// already complete. On SQLite no lock spans the run, so the claim is made in an exclusive
/// write transaction that reads the history again: two processes cannot both record the
/// start. (A second process that finds the migration unfinished resumes it, so statements in
/// such SQLite files must be safe to repeat.)
async fn claim(
    session: &mut Session,
    migration: &Migration,
    first_read: Option<&AppliedMigration>,
    statements: &[Statement<'_>],
    checksum: &str,
) -> Result<Option<Claim>, MigrateError> {
    let exclusive = session.per_migration_lock();
    let fresh = if exclusive {
        session.begin().await?;
        match session.read_applied(false).await {
            Ok(applied) => Some(applied),
            Err(error) => {
                session.rollback().await;
                return Err(error);
            }
        }
    } else {
        None
    };
    let row = match &fresh {
        Some(applied) => applied.iter().find(|a| a.version == migration.version),
        None => first_read,
    };
    if row.is_some_and(|r| r.complete) {
        if exclusive {
            session.rollback().await;
        }
        return Ok(None);
    }
    let start = resume_at(migration, row, statements);
    let progress = progress_checksum(&statements[..start]);
    let recorded = match row {
        Some(_) => {
            let values = unfinished_row(migration, checksum, start, &progress);
            session.set_progress(&values).await
        }
        None => {
            let values = unfinished_row(migration, checksum, 0, &progress);
            session.insert_row(&values).await
        }
    };
    if exclusive {
        match &recorded {
            Ok(()) => session.commit().await?,
            Err(_) => session.rollback().await,
        }
    }
    recorded?;
    Ok(Some(Claim {
        start,
        resumed: row.is_some(),
    }))
}

async fn undo(
    session: &mut Session,
    migration: &Migration,
    script: &Script,
    known: &mut Known,
) -> Result<Option<Applied>, MigrateError> {
    if transactional(session.dialect, no_transaction(script)) {
        let current = Some(migration.version);
        let place = (&[][..], migration, script, Direction::Down);
        return retrying_transaction(session, place, current, known).await;
    }
    if session.dialect == Dialect::Postgres && session.options.lock_mode == LockMode::Transaction {
        return Err(MigrateError::NoTransactionNeedsSessionLock {
            version: migration.version,
            file: script.file.to_string(),
        });
    }
    let started = Instant::now();
    let statements = script.statements(session.dialect);
    for statement in &statements {
        if let Err((error, lock_timeouts)) =
            retrying_statement(session, migration, script, statement, false).await
        {
            let failure = statement_error(
                migration,
                script,
                statement,
                &error,
                false,
                Some(migration.version),
            );
            return Err(with_lock_timeouts(failure, lock_timeouts));
        }
    }
    session.restore_settings().await?;
    session.delete_row(migration.version, false).await?;
    Ok(Some(done(migration, script, elapsed_ms(started))))
}

/// The highest finished version, read after a failure outside a transaction.
async fn version_now(session: &mut Session) -> Option<i64> {
    let applied = session.read_applied(false).await.ok()?;
    analysis::current_version(&applied)
}

fn statement_error(
    migration: &Migration,
    script: &Script,
    statement: &Statement<'_>,
    error: &sqlx::Error,
    transactional: bool,
    version_now: Option<i64>,
) -> MigrateError {
    MigrateError::Statement(Box::new(StatementFailure {
        version: migration.version,
        file: script.file.to_string(),
        line: statement.line,
        statement: statement.sql.to_string(),
        message: database_message(error),
        transactional,
        version_now,
        lock_timeouts: u32::from(lock_not_available(error)),
    }))
}

fn with_lock_timeouts(mut error: MigrateError, lock_timeouts: u32) -> MigrateError {
    if let MigrateError::Statement(failure) = &mut error {
        failure.lock_timeouts = lock_timeouts;
    }
    error
}

fn unfinished_row<'a>(
    migration: &'a Migration,
    checksum: &'a str,
    done: usize,
    progress: &'a str,
) -> RowValues<'a> {
    RowValues {
        version: migration.version,
        name: &migration.name,
        checksum,
        execution_ms: 0,
        complete: false,
        statements_done: done as i64,
        progress_checksum: Some(progress).filter(|p| !p.is_empty()),
    }
}

fn done(migration: &Migration, script: &Script, execution_ms: i64) -> Applied {
    Applied {
        version: migration.version,
        name: migration.name.to_string(),
        file: script.file.to_string(),
        execution_ms,
    }
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

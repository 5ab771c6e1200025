//! `verify`'s replay: apply every up migration to a scratch database (through the runtime's
//! `Migrator`, the one runner), read it back with introspection and compare it with the
//! snapshot; then all downs must leave it empty and all ups again must rebuild the snapshot.
//! SQLite replays in memory; PostgreSQL and MySQL on a uniquely named scratch database created
//! on the `--database-url` server and dropped afterwards, also when the replay fails or is
//! interrupted (Ctrl-C, SIGTERM).

use crate::commands::verify::problem::Problem;
use crate::commands::verify::scratch::{self, Admin};
use crate::database::url::{check_url, dialect_of_url, redact_url, Secrets};
use crate::error::CliError;
use crate::project::package::SchemaTarget;
use schema_core::model::Schema;
use schema_core::snapshot::Snapshot;
use schema_core::Dialect;
use schema_runtime::migrator::AcceptDataLoss;
use schema_runtime::{DatabasePool, MigrateError, Migrator};
use sqlx::Connection;

pub enum ReplayPlan {
    /// Why the replay does not run.
    Skip(String),
    Run(Replay),
}

pub enum Replay {
    SqliteMemory,
    /// A server URL; the scratch database is created next to the one it names.
    Server {
        url: String,
    },
}

impl Replay {
    pub fn describe(&self) -> String {
        match self {
            Replay::SqliteMemory => "an in-memory SQLite database".to_string(),
            Replay::Server { url } => format!("a scratch database on {}", redact_url(url)),
        }
    }
}

/// How to replay `target`. `dialect_chosen`: the user picked the target with `--dialect`, so
/// a URL of another kind is a mistake rather than a URL meant for another target.
pub fn plan(
    target: &SchemaTarget,
    url: Option<&str>,
    dialect_chosen: bool,
) -> Result<ReplayPlan, CliError> {
    if target.dialect == Dialect::Sqlite {
        return Ok(ReplayPlan::Run(Replay::SqliteMemory));
    }
    let Some(url) = url else {
        return Ok(ReplayPlan::Skip(format!(
            "pass `--database-url` (or set DATABASE_URL) to a {} server where a scratch database may be created",
            target.dialect
        )));
    };
    let url_dialect = dialect_of_url(url).ok_or_else(|| {
        CliError::new(format!("`{}` is not a database URL", redact_url(url)))
            .hint("use postgres://user@host/db, mysql://user@host/db or sqlite:path")
    })?;
    if url_dialect != target.dialect && !dialect_chosen {
        return Ok(ReplayPlan::Skip(format!(
            "--database-url is a {url_dialect} URL; replay this target with `--dialect {} --database-url <{} URL>`",
            target.dialect, target.dialect
        )));
    }
    if url_dialect != target.dialect {
        return Err(CliError::new(format!(
            "--database-url is a {url_dialect} URL, but this target's dialect is {}",
            target.dialect
        ))
        .hint("pick the matching target with `--dialect`"));
    }
    // Said here, before anything is printed about the replay: the URL is not shown.
    check_url(url).map_err(|problem| {
        CliError::new(format!("--database-url: {problem}"))
            .hint("or pass --no-replay to skip the replay")
    })?;
    Ok(ReplayPlan::Run(Replay::Server {
        url: url.to_string(),
    }))
}

/// What a replay came to.
pub struct Replayed {
    /// The problems the replay found, or why it could not finish (an interrupted replay is an
    /// error; when its scratch database could not be dropped either, the error carries that
    /// as a note).
    pub result: Result<Vec<Problem>, CliError>,
    /// To say before the result: the leftover scratch databases this replay's sweep dropped.
    pub notes: Vec<String>,
    /// To say after the result of a replay that finished: its scratch database could not be
    /// dropped (the problems, and the exit status, are the replay's).
    pub drop_failure: Option<String>,
}

impl Replayed {
    fn error(error: CliError) -> Replayed {
        Replayed {
            result: Err(error),
            notes: Vec::new(),
            drop_failure: None,
        }
    }
}

/// The replays of one `verify`: one async runtime and, from the first server replay on, the
/// watched signals.
///
/// Tokio's signal handlers replace the default action for the rest of the process, and a
/// signal that comes while nobody waits on its stream is queued, not lost. So the streams are
/// made once, before the first scratch database is created (a signal during the create is
/// then seen, and the database dropped), and every later step of the verify waits on them:
/// a signal between two replays stops the next one before it creates anything.
#[derive(Default)]
pub struct Replayer {
    runtime: Option<tokio::runtime::Runtime>,
    signals: Option<Signals>,
    /// A signal that came when there was nothing left to interrupt (while a finished replay's
    /// scratch database was dropped, or between replays): the verify stops after this target.
    stop: Option<&'static str>,
}

impl Replayer {
    pub fn new() -> Replayer {
        Replayer::default()
    }

    fn runtime(&mut self) -> Result<&tokio::runtime::Runtime, CliError> {
        if self.runtime.is_none() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| CliError::new(format!("cannot start the async runtime: {e}")))?;
            self.runtime = Some(runtime);
        }
        Ok(self.runtime.as_ref().expect("just made"))
    }

    pub fn run(&mut self, replay: &Replay, target: &SchemaTarget, snapshot: &Snapshot) -> Replayed {
        let migrator = match Migrator::from_dir(&target.migrations) {
            Ok(migrator) => migrator,
            Err(e) => {
                return Replayed::error(CliError::new(format!(
                    "cannot load the migrations for the replay: {e}"
                )))
            }
        };
        if let Err(e) = self.runtime() {
            return Replayed::error(e);
        }
        let Replayer {
            runtime,
            signals,
            stop: saved_stop,
        } = self;
        let runtime = runtime.as_ref().expect("made above");
        if matches!(replay, Replay::Server { .. }) && signals.is_none() {
            // In the runtime: the streams register with its driver.
            *signals = Some(runtime.block_on(async { Signals::new() }));
        }
        let mut stop = None;
        let replayed = runtime.block_on(async {
            match replay {
                Replay::SqliteMemory => {
                    let work = sqlite_replay(&migrator, target, snapshot);
                    let result = match signals.as_mut() {
                        // Signals are watched (a server replay came first): one that comes
                        // now stops this replay too.
                        Some(signals) => tokio::select! {
                            biased;
                            signal = signals.recv() => Err(CliError::new(format!("{signal}: the replay stopped"))),
                            result = work => result,
                        },
                        None => work.await,
                    };
                    Replayed {
                        result,
                        notes: Vec::new(),
                        drop_failure: None,
                    }
                }
                Replay::Server { url } => {
                    let signals = signals.as_mut().expect("made above");
                    server_replay(url, &migrator, target, snapshot, signals, &mut stop).await
                }
            }
        });
        if replayed.result.is_ok() {
            *saved_stop = saved_stop.or(stop);
        }
        replayed
    }

    /// The signal that asked the verify to stop outside a replay, if any (also one that is
    /// queued right now). Once the signals are watched, the caller asks after each target.
    pub fn stop_requested(&mut self) -> Option<&'static str> {
        if let Some(stop) = self.stop.take() {
            return Some(stop);
        }
        let (Some(runtime), Some(signals)) = (self.runtime.as_ref(), self.signals.as_mut()) else {
            return None;
        };
        runtime.block_on(async {
            tokio::select! {
                biased;
                signal = signals.recv() => Some(signal),
                // Long enough for the runtime's driver to hand over a signal that came while
                // nothing was waiting.
                () = tokio::time::sleep(std::time::Duration::from_millis(10)) => None,
            }
        })
    }
}

async fn sqlite_replay(
    migrator: &Migrator,
    target: &SchemaTarget,
    snapshot: &Snapshot,
) -> Result<Vec<Problem>, CliError> {
    let open_error =
        |e: sqlx::Error| CliError::new(format!("cannot open an in-memory SQLite database: {e}"));
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .map_err(open_error)?;
    // An in-memory database lives while one of its connections is open, and the migrator
    // works on a connection of its own: this one keeps the database alive.
    let keeper = pool.acquire().await.map_err(open_error)?.detach();
    let result = replay_on(
        migrator,
        &DatabasePool::Sqlite(pool.clone()),
        target,
        snapshot,
    )
    .await;
    pool.close().await;
    let _ = keeper.close().await;
    result
}

/// A replay on a scratch database of the server `url`: connect, sweep old leftovers, create
/// the database, replay, drop it. Everything up to the end of the replay stops at the first
/// signal; the database is then dropped whatever happened, by its name (known before the
/// `CREATE DATABASE`, so a signal during the create still drops it), within
/// [`scratch::DROP_TIMEOUT`]; a second signal stops waiting for the create or the drop.
/// `stop` gets a signal that came only during the drop of a finished replay.
async fn server_replay(
    url: &str,
    migrator: &Migrator,
    target: &SchemaTarget,
    snapshot: &Snapshot,
    signals: &mut Signals,
    stop: &mut Option<&'static str>,
) -> Replayed {
    let mut notes = Vec::new();
    let setup = async {
        let admin = Admin::connect(url).await?;
        match admin.server_now().await {
            Ok(now) => Ok((admin, now)),
            Err(e) => {
                admin.close().await;
                Err(e)
            }
        }
    };
    let (admin, now) = tokio::select! {
        biased;
        signal = signals.recv() => return Replayed::error(CliError::new(format!(
            "{signal}: the replay stopped before its scratch database was created"
        ))),
        setup = setup => match setup {
            Ok(setup) => setup,
            Err(e) => return Replayed::error(e),
        },
    };
    let before_create = tokio::select! {
        biased;
        signal = signals.recv() => Some(signal),
        swept = admin.sweep(now) => {
            notes = swept;
            None
        }
    };
    if let Some(signal) = before_create {
        admin.close().await;
        return Replayed {
            result: Err(CliError::new(format!(
                "{signal}: the replay stopped before its scratch database was created"
            ))),
            notes,
            drop_failure: None,
        };
    }

    let name = scratch::scratch_name(now);
    // The create is let finish (it is short): cancelled half-way, the server could still
    // commit it after the drop looked. A signal meanwhile stops the replay after it.
    let mut interrupted = None;
    let created = shielded(admin.create(&name), signals, &mut interrupted).await;
    // A second signal during the create: no waiting for the drop either.
    let abandoned = created.is_none();
    // Held from before the create until the drop (see `scratch`).
    let mut claim = None;
    // `exists`: the database may exist, so the drop is attempted.
    let (result, exists) = match created {
        Some(Err(e)) => (Err(e), false),
        None => (Ok(Vec::new()), true),
        Some(Ok((scratch_url, held))) => {
            claim = Some(held);
            let work = async {
                // A session on the scratch database for the whole replay, also between the
                // migrator's connections: what a sweep that cannot see the claim's lock (from
                // another maintenance database, or an older verify) sees as "in use".
                let keeper = scratch::Keeper::connect(&scratch_url).await.map_err(|e| {
                    CliError::new(format!(
                        "cannot connect to the scratch database: {}",
                        Secrets::of(&scratch_url).redact(&e.to_string())
                    ))
                })?;
                let pool = DatabasePool::connect(&scratch_url).await.map_err(|e| {
                    CliError::new(format!("cannot connect to the scratch database: {e}"))
                });
                let result = match pool {
                    Ok(pool) => {
                        let result = replay_on(migrator, &pool, target, snapshot).await;
                        pool.close().await;
                        result
                    }
                    Err(e) => Err(e),
                };
                keeper.close().await;
                result
            };
            let result = if interrupted.is_some() {
                Ok(Vec::new())
            } else {
                tokio::select! {
                    biased;
                    signal = signals.recv() => {
                        interrupted = Some(signal);
                        Ok(Vec::new())
                    }
                    result = work => result,
                }
            };
            (result, true)
        }
    };

    let mut drop_failure = None;
    if exists {
        let server = redact_url(admin.url());
        let by_hand = format!("drop it by hand: DROP DATABASE {name}");
        let outcome = match claim.take() {
            Some(claim) if !abandoned => {
                let drop = async {
                    match tokio::time::timeout(scratch::DROP_TIMEOUT, admin.drop_own(&name, claim))
                        .await
                    {
                        Ok(Ok(())) => Ok(()),
                        Ok(Err(e)) => Err(e.to_string()),
                        Err(_) => Err(format!(
                            "no answer within {} s",
                            scratch::DROP_TIMEOUT.as_secs()
                        )),
                    }
                };
                // The first signal during the drop of a finished replay lets the drop finish
                // (it is what the user wants done before the verify stops); the next one stops
                // waiting.
                let mut during_drop = interrupted;
                let outcome = shielded(drop, signals, &mut during_drop).await;
                if interrupted.is_none() {
                    *stop = during_drop;
                }
                Some(outcome.unwrap_or_else(|| Err("a second signal stopped the wait".to_string())))
            }
            _ => Some(Err("a second signal stopped the wait".to_string())),
        };
        if let Some(Err(why)) = outcome {
            drop_failure = Some(format!(
                "the scratch database `{name}` on {server} was not dropped ({why}): {by_hand} (or a verify sweeps it once it is 6 hours old, no verify holds it and nobody is connected to it)"
            ));
        }
    }
    admin.close().await;
    finish(result, interrupted, exists, drop_failure, notes)
}

/// How a server replay ended, said once: `result` is the replay's (or why it could not run),
/// `interrupted` the signal that stopped it, `exists` whether the scratch database was (or may
/// have been) created, `drop_failure` why it could not be dropped. Neither hides the other:
/// an error carries the drop failure as a note; a finished replay keeps its problems (and its
/// exit status), with the drop failure said after them.
fn finish(
    result: Result<Vec<Problem>, CliError>,
    interrupted: Option<&'static str>,
    exists: bool,
    drop_failure: Option<String>,
    notes: Vec<String>,
) -> Replayed {
    let result = match interrupted {
        Some(signal) if exists && drop_failure.is_none() => Err(CliError::new(format!(
            "{signal}: the replay stopped; its scratch database is dropped"
        ))),
        Some(signal) if exists => Err(CliError::new(format!("{signal}: the replay stopped"))),
        // Nothing was created: the create's own error, if it failed, says more.
        Some(signal) => result.and(Err(CliError::new(format!(
            "{signal}: the replay stopped before its scratch database was created"
        )))),
        None => result,
    };
    match result {
        Err(mut error) => {
            if let Some(failure) = drop_failure {
                error = error.note(failure);
            }
            Replayed {
                result: Err(error),
                notes,
                drop_failure: None,
            }
        }
        Ok(problems) => Replayed {
            result: Ok(problems),
            notes,
            drop_failure,
        },
    }
}

/// `work` run to its end through a first signal, which goes to `stop` (when it is empty); a
/// further signal gives up on `work`: `None`.
async fn shielded<T>(
    work: impl std::future::Future<Output = T>,
    signals: &mut Signals,
    stop: &mut Option<&'static str>,
) -> Option<T> {
    tokio::pin!(work);
    loop {
        tokio::select! {
            biased;
            result = &mut work => return Some(result),
            signal = signals.recv() => {
                if stop.is_some() {
                    return None;
                }
                *stop = Some(signal);
            }
        }
    }
}

/// The signals that stop a replay: Ctrl-C, and SIGTERM as CI runners send on a timeout. Made
/// inside the runtime; from then on the process queues them instead of ending.
pub struct Signals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(windows)]
    ctrl_c: Option<tokio::signal::windows::CtrlC>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Signals {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(windows)]
        {
            Signals {
                ctrl_c: tokio::signal::windows::ctrl_c().ok(),
            }
        }
        #[cfg(not(any(unix, windows)))]
        {
            Signals {}
        }
    }

    /// The next signal's name (`interrupted`, `terminated`); never when none can be watched.
    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            let Signals {
                interrupt,
                terminate,
            } = self;
            tokio::select! {
                Some(()) = next(interrupt) => "interrupted",
                Some(()) = next(terminate) => "terminated",
                else => std::future::pending().await,
            }
        }
        #[cfg(windows)]
        {
            match self.ctrl_c.as_mut() {
                Some(ctrl_c) => match ctrl_c.recv().await {
                    Some(()) => "interrupted",
                    None => std::future::pending().await,
                },
                None => std::future::pending().await,
            }
        }
        #[cfg(not(any(unix, windows)))]
        {
            std::future::pending().await
        }
    }
}

#[cfg(unix)]
async fn next(signal: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
    match signal.as_mut() {
        Some(signal) => signal.recv().await,
        None => None,
    }
}

/// Up, compare; down, compare with empty; up again, compare. Stops at the first difference.
async fn replay_on(
    migrator: &Migrator,
    pool: &DatabasePool,
    target: &SchemaTarget,
    snapshot: &Snapshot,
) -> Result<Vec<Problem>, CliError> {
    let mut steps = Steps::default();
    steps.record(migrator.run(pool).await, "up");
    if steps.ok() {
        steps.compare(
            introspect(pool).await?,
            &snapshot.schema,
            "after all up migrations",
        );
        // A scratch database: the rows the up files' data migrations wrote are the replay's
        // own, so the rollback gate's data-loss refusal does not apply (rows the old schema
        // cannot hold still refuse it).
        let accept_all = migrator
            .options()
            .clone()
            .accept_data_loss(AcceptDataLoss::all());
        let down = migrator.with_options(accept_all);
        steps.record(down.rollback_to(pool, 0).await, "down");
    }
    if steps.ok() {
        let empty = Schema::empty(target.dialect);
        steps.compare(introspect(pool).await?, &empty, "after all down migrations");
        steps.record(migrator.run(pool).await, "up again");
    }
    if steps.ok() {
        steps.compare(
            introspect(pool).await?,
            &snapshot.schema,
            "after all up migrations again",
        );
    }
    Ok(steps.problems)
}

async fn introspect(pool: &DatabasePool) -> Result<Schema, CliError> {
    let result = match pool {
        DatabasePool::Sqlite(p) => schema_runtime::introspect::sqlite(p).await,
        DatabasePool::Postgres(p) => schema_runtime::introspect::postgres(p, "public").await,
        DatabasePool::Mysql(p) => schema_runtime::introspect::mysql(p).await,
        _ => {
            return Err(CliError::new(
                "reading this kind of database back into the schema model is not supported yet",
            ))
        }
    };
    result.map_err(|e| CliError::new(format!("replay: {e}")))
}

/// The problems found so far; the replay stops at the first failed step.
#[derive(Default)]
struct Steps {
    problems: Vec<Problem>,
    failed: bool,
}

impl Steps {
    fn ok(&self) -> bool {
        !self.failed
    }

    fn record<T>(&mut self, result: Result<T, MigrateError>, direction: &str) {
        if let Err(e) = result {
            self.failed = true;
            self.problems.push(Problem::new(
                "replay_failed",
                format!("applying the {direction} migrations to a scratch database failed: {e}"),
                "fix the failing migration file (a hand-written one, or restore a generated one with `git checkout`), then run `cargo schema verify` again",
            ));
        }
    }

    fn compare(&mut self, actual: Schema, expected: &Schema, when: &str) {
        let differences = schema_core::compare::differences(expected, &actual);
        if differences.is_empty() {
            return;
        }
        self.failed = true;
        self.problems.push(Problem::new(
            "replay_drift",
            format!(
                "{when}, the scratch database differs from the snapshot: {}",
                differences.join("; ")
            ),
            "a migration does not do what the snapshot records (usually a hand-written migration that changes the schema, or an edited down file): move schema changes into the structs and `cargo schema generate`, keep hand-written migrations to data",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> Problem {
        Problem::new(
            "replay_failed",
            "applying the up migrations failed",
            "fix it",
        )
    }

    fn error_of(replayed: Replayed) -> CliError {
        match replayed.result {
            Err(error) => error,
            Ok(_) => panic!("expected an error"),
        }
    }

    const DROP_FAILED: &str = "the scratch database `x` was not dropped";

    #[test]
    fn a_drop_failure_keeps_a_finished_replays_problems() {
        let replayed = finish(
            Ok(vec![problem()]),
            None,
            true,
            Some(DROP_FAILED.to_string()),
            vec!["swept".to_string()],
        );
        assert_eq!(replayed.result.expect("the problems").len(), 1);
        assert_eq!(replayed.drop_failure.as_deref(), Some(DROP_FAILED));
        assert_eq!(replayed.notes, ["swept"]);
        let clean = finish(Ok(Vec::new()), None, true, None, Vec::new());
        assert!(clean.result.expect("clean").is_empty());
        assert!(clean.drop_failure.is_none());
    }

    #[test]
    fn an_interruption_and_a_drop_failure_are_both_said() {
        let replayed = finish(
            Ok(Vec::new()),
            Some("terminated"),
            true,
            Some(DROP_FAILED.to_string()),
            Vec::new(),
        );
        assert!(replayed.drop_failure.is_none(), "said once, with the error");
        let error = error_of(replayed);
        assert_eq!(error.message, "terminated: the replay stopped");
        assert_eq!(error.notes, [DROP_FAILED]);

        let dropped = finish(Ok(Vec::new()), Some("interrupted"), true, None, Vec::new());
        let error = error_of(dropped);
        assert_eq!(
            error.message,
            "interrupted: the replay stopped; its scratch database is dropped"
        );
        assert!(error.notes.is_empty());
    }

    #[test]
    fn an_error_keeps_its_message_and_gets_the_drop_failure() {
        let replayed = finish(
            Err(CliError::new(
                "cannot connect to the scratch database: refused",
            )),
            None,
            true,
            Some(DROP_FAILED.to_string()),
            Vec::new(),
        );
        let error = error_of(replayed);
        assert_eq!(
            error.message,
            "cannot connect to the scratch database: refused"
        );
        assert_eq!(error.notes, [DROP_FAILED]);
        // A create that failed, with a signal meanwhile: the create's error.
        let replayed = finish(
            Err(CliError::new("cannot create a scratch database")),
            Some("interrupted"),
            false,
            None,
            Vec::new(),
        );
        assert_eq!(
            error_of(replayed).message,
            "cannot create a scratch database"
        );
        let replayed = finish(Ok(Vec::new()), Some("interrupted"), false, None, Vec::new());
        assert_eq!(
            error_of(replayed).message,
            "interrupted: the replay stopped before its scratch database was created"
        );
    }
}

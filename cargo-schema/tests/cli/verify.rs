//! `verify`: 0 clean, 1 with each problem explained and the command that fixes it.

use crate::generate::first_up;
use crate::support::{Fixture, Run};

/// A fixture with its first migration generated.
fn generated(case: &str) -> Fixture {
    let fixture = Fixture::new(case);
    fixture.run(&["generate"]).assert_code(0);
    fixture
}

#[track_caller]
fn problem(run: &Run, kind: &str) {
    run.assert_code(1)
        .assert_stdout(&format!("problem[{kind}]"))
        .assert_stdout("  fix: ")
        .assert_stderr("verify found");
}

#[test]
fn clean_after_generate_including_the_sqlite_replay() {
    let fixture = generated("basic");
    let run = fixture.run(&["verify"]);
    run.assert_code(0)
        .assert_stderr("Replaying basic (sqlite) on an in-memory SQLite database")
        .assert_stderr("Verified basic (sqlite): clean");
    let json = fixture.run(&["verify", "--format", "json"]);
    json.assert_code(0);
    let value = json.json();
    assert_eq!(value["status"], "clean");
    assert_eq!(value["targets"][0]["replayed"], true);
}

#[test]
fn ungenerated_struct_changes() {
    let fixture = generated("basic");
    fixture.edit(
        "src/models/users.rs",
        "pub role: Role,",
        "pub role: Role,\n    pub nickname: Option<String>,",
    );
    let run = fixture.run(&["verify"]);
    problem(&run, "ungenerated_changes");
    run.assert_stdout("the structs of `basic` differ from the sqlite snapshot")
        .assert_stdout("nickname")
        .assert_stdout("cargo schema generate -p basic");
    fixture.run(&["generate"]).assert_code(0);
    fixture.run(&["verify"]).assert_code(0);
}

#[test]
fn migration_edited_after_generation() {
    let fixture = generated("basic");
    let up = format!("migrations/{}", first_up(&fixture, "migrations"));
    let text = fixture.read(&up);
    fixture.write(&up, &format!("{text}\n-- a later edit\n"));
    let run = fixture.run(&["verify"]);
    problem(&run, "edited_migration");
    run.assert_stdout(&format!("{up} was changed after it was generated"))
        .assert_stdout(&format!("git checkout -- {up}"));
    // An intended edit is recorded with --accept-edits; the replay still checks it.
    run.assert_stdout("cargo schema generate --accept-edits");
    fixture
        .run(&["generate", "--accept-edits"])
        .assert_code(0)
        .assert_stderr("Accepted basic (sqlite): the edited 0001_");
    fixture.run(&["verify"]).assert_code(0);
    fixture.write(&up, &text);
    fixture.run(&["verify"]).assert_code(1);
    fixture.run(&["generate", "--accept-edits"]).assert_code(0);
    // Line endings and a BOM are not edits.
    fixture.write(&up, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    fixture.run(&["verify"]).assert_code(0);
}

#[test]
fn missing_migration_file() {
    let fixture = generated("basic");
    let down = first_up(&fixture, "migrations").replace(".up.sql", ".down.sql");
    fixture.remove(&format!("migrations/{down}"));
    let run = fixture.run(&["verify"]);
    problem(&run, "missing_file");
    run.assert_stdout(&format!("migrations/{down} is missing"));
}

#[test]
fn duplicate_number_from_another_branch() {
    let fixture = generated("basic");
    fixture.write(
        "migrations/0001_other_branch.up.sql",
        "CREATE TABLE other (id integer);\n",
    );
    fixture.write(
        "migrations/0001_other_branch.down.sql",
        "DROP TABLE other;\n",
    );
    let run = fixture.run(&["verify"]);
    problem(&run, "duplicate_number");
    run.assert_stdout("0001_other_branch and 0001_")
        .assert_stdout("share number 0001")
        .assert_stdout("delete migrations/0001_other_branch.up.sql and migrations/0001_other_branch.down.sql and run `cargo schema generate`");
}

#[test]
fn unrecorded_migration_and_bad_file_names() {
    let fixture = generated("basic");
    fixture.write("migrations/0003_by_hand.up.sql", "SELECT 1;\n");
    fixture.write("migrations/0003_by_hand.down.sql", "SELECT 1;\n");
    fixture.write("migrations/cleanup.sql", "SELECT 1;\n");
    let run = fixture.run(&["verify"]);
    problem(&run, "unrecorded_migration");
    run.assert_stdout("0003_by_hand is not recorded in the snapshot")
        .assert_stdout("cargo schema new by_hand")
        .assert_stdout("problem[bad_file_name]: migrations/cleanup.sql");
}

#[test]
fn hand_written_data_migrations_are_not_differences() {
    let fixture = generated("basic");
    fixture.run(&["new", "seed_admin"]).assert_code(0);
    fixture.write(
        "migrations/0002_seed_admin.up.sql",
        "INSERT INTO users (email, role) VALUES ('admin@example.com', 'admin');\n",
    );
    fixture.write(
        "migrations/0002_seed_admin.down.sql",
        "DELETE FROM users WHERE email = 'admin@example.com';\n",
    );
    fixture.run(&["verify"]).assert_code(0);
}

#[test]
fn replay_drift_from_a_hand_written_schema_change() {
    let fixture = generated("basic");
    fixture.run(&["new", "sneaky_table"]).assert_code(0);
    fixture.write(
        "migrations/0002_sneaky_table.up.sql",
        "CREATE TABLE sneaky (id integer);\n",
    );
    fixture.write(
        "migrations/0002_sneaky_table.down.sql",
        "DROP TABLE sneaky;\n",
    );
    let run = fixture.run(&["verify"]);
    problem(&run, "replay_drift");
    run.assert_stdout("after all up migrations, the scratch database differs from the snapshot")
        .assert_stdout("sneaky");
    // --no-replay skips it.
    fixture.run(&["verify", "--no-replay"]).assert_code(0);
}

#[test]
fn down_migration_that_leaves_something_behind() {
    let fixture = generated("basic");
    fixture.run(&["new", "leftover"]).assert_code(0);
    fixture.write(
        "migrations/0002_leftover.up.sql",
        "CREATE INDEX leftover_idx ON posts (title);\nDROP INDEX leftover_idx;\n",
    );
    fixture.write(
        "migrations/0002_leftover.down.sql",
        "CREATE TABLE leftover (id integer);\n",
    );
    let run = fixture.run(&["verify"]);
    problem(&run, "replay_drift");
    run.assert_stdout("after all down migrations");
}

#[test]
fn two_branches_on_the_same_parent() {
    let fixture = generated("basic");
    let git = |args: &[&str]| {
        let output = fixture.git(args);
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    assert!(git(&["init", "-q"]).0);
    assert!(git(&["symbolic-ref", "HEAD", "refs/heads/main"]).0);
    git(&["add", "-A"]);
    assert!(git(&["commit", "-qm", "base"]).0);
    assert!(git(&["checkout", "-qb", "feature"]).0);
    fixture.edit(
        "src/models/users.rs",
        "pub role: Role,",
        "pub role: Role,\n    pub nickname: Option<String>,",
    );
    fixture
        .run(&["generate", "--name", "add_nickname"])
        .assert_code(0);
    git(&["add", "-A"]);
    assert!(git(&["commit", "-qm", "feature"]).0);
    assert!(git(&["checkout", "-q", "main"]).0);
    fixture.edit(
        "src/models/content/posts.rs",
        "pub title: String,",
        "pub title: String,\n    pub body: Option<String>,",
    );
    fixture
        .run(&["generate", "--name", "add_body"])
        .assert_code(0);
    git(&["add", "-A"]);
    assert!(git(&["commit", "-qm", "main"]).0);
    let (merged, _) = git(&["merge", "-q", "feature"]);
    assert!(!merged, "the snapshot conflicts");

    let run = fixture.run(&["verify"]);
    problem(&run, "branch_conflict");
    run.assert_stdout("two branches each added migrations on top of 0001_")
        .assert_stdout(
            "0002_add_body on one side (ours) and 0002_add_nickname on the other (theirs)",
        )
        .assert_stdout("cargo schema generate");
    fixture
        .run(&["generate"])
        .assert_code(2)
        .assert_stderr("merge-conflict markers");

    // The fix it prints: keep theirs, delete ours, regenerate on top.
    run.assert_stdout("git checkout --theirs -- migrations/schema.snapshot.json")
        .assert_stdout(
            "delete migrations/0002_add_body.up.sql and migrations/0002_add_body.down.sql",
        );
    assert!(
        git(&[
            "checkout",
            "--theirs",
            "--",
            "migrations/schema.snapshot.json"
        ])
        .0
    );
    fixture.remove("migrations/0002_add_body.up.sql");
    fixture.remove("migrations/0002_add_body.down.sql");
    fixture
        .run(&["generate"])
        .assert_code(0)
        .assert_stderr("Generated basic (sqlite): 0003_")
        .assert_stdout("body");
    fixture.run(&["verify"]).assert_code(0);
}

#[test]
fn postgres_replay_on_a_scratch_database() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::postgres()) else {
        return;
    };
    let fixture = generated("multi_target");
    let run = fixture.run(&["verify", "--dialect", "postgres", "--database-url", &db.url]);
    run.assert_code(0)
        .assert_stderr("Replaying multi_target (postgres) on a scratch database");
    // Without a URL the PostgreSQL replay is skipped with a note, not an error.
    fixture
        .run(&["verify", "--dialect", "postgres"])
        .assert_code(0)
        .assert_stderr("pass `--database-url`");
    // Without --dialect, a URL of another kind is meant for another target: skipped.
    fixture
        .run(&["verify", "--database-url", "mysql://root@127.0.0.1/x"])
        .assert_code(0)
        .assert_stderr("replay this target with `--dialect postgres");
    // With --dialect, a URL of another database kind is an error.
    fixture
        .run(&[
            "verify",
            "--dialect",
            "postgres",
            "--database-url",
            "mysql://root@127.0.0.1/x",
        ])
        .assert_code(2)
        .assert_stderr("--database-url is a mysql URL");
    let leftovers: Vec<String> = runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&db.url).await.expect("connect");
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE $1")
            .bind(format!("cargo\\_schema\\_verify\\_{}\\_%", run.pid))
            .fetch_all(&mut conn)
            .await
            .expect("query")
    });
    assert_eq!(
        leftovers,
        Vec::<String>::new(),
        "the scratch database is dropped\n{run}"
    );

    // A migration that fails on the server: reported, and the scratch database still dropped.
    fixture
        .run(&["new", "broken", "--dialect", "postgres"])
        .assert_code(0);
    fixture.write(
        "migrations/postgres/0002_broken.up.sql",
        "ALTER TABLE no_such_table ADD COLUMN x integer;\n",
    );
    let run = fixture.run(&["verify", "--dialect", "postgres", "--database-url", &db.url]);
    problem(&run, "replay_failed");
    run.assert_stdout("0002_broken.up.sql");
    let leftovers: i64 = runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&db.url).await.expect("connect");
        sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname LIKE $1")
            .bind(format!("cargo\\_schema\\_verify\\_{}\\_%", run.pid))
            .fetch_one(&mut conn)
            .await
            .expect("query")
    });
    assert_eq!(leftovers, 0, "dropped after a failed replay too");
}

#[test]
fn files_the_runtime_would_reject() {
    let fixture = generated("basic");
    fixture.run(&["new", "concurrently"]).assert_code(0);
    fixture.write(
        "migrations/0002_concurrently.up.sql",
        "-- schema:no-transactoin\nCREATE INDEX posts_title_idx ON posts (title);\n",
    );
    let run = fixture.run(&["verify"]);
    problem(&run, "invalid_migration");
    run.assert_stdout("0002_concurrently.up.sql");
}

/// The server kinds a replay runs on, for the tests that reach into the server.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Postgres,
    Mysql,
}

/// One connection's worth of the test's database server: queries run on fresh connections to
/// the test's own database (`url`).
struct Server {
    kind: Kind,
    url: String,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    fn query(&self, sql: &str) -> Vec<String> {
        use sqlx::Connection;
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        self.runtime.block_on(async {
            match self.kind {
                Kind::Postgres => {
                    let mut conn = sqlx::PgConnection::connect(&self.url)
                        .await
                        .expect("connect");
                    sqlx::query_scalar(sql).fetch_all(&mut conn).await
                }
                Kind::Mysql => {
                    let mut conn = sqlx::MySqlConnection::connect(&self.url)
                        .await
                        .expect("connect");
                    sqlx::query_scalar(sql).fetch_all(&mut conn).await
                }
            }
            .unwrap_or_else(|e| panic!("{e}"))
        })
    }

    fn execute(&self, sql: &str) {
        use sqlx::Connection;
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        self.runtime.block_on(async {
            match self.kind {
                Kind::Postgres => {
                    let mut conn = sqlx::PgConnection::connect(&self.url)
                        .await
                        .expect("connect");
                    sqlx::raw_sql(sql).execute(&mut conn).await.map(|_| ())
                }
                Kind::Mysql => {
                    let mut conn = sqlx::MySqlConnection::connect(&self.url)
                        .await
                        .expect("connect");
                    sqlx::raw_sql(sql).execute(&mut conn).await.map(|_| ())
                }
            }
            .unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// The server's clock (unix seconds): what verify stamps and judges scratch names by.
    fn now(&self) -> u64 {
        let sql = match self.kind {
            Kind::Postgres => "SELECT extract(epoch FROM now())::bigint::text",
            Kind::Mysql => "SELECT CAST(UNIX_TIMESTAMP() AS CHAR)",
        };
        self.query(sql)[0].parse().expect("seconds")
    }

    fn quote(&self, name: &str) -> String {
        match self.kind {
            Kind::Postgres => format!("\"{name}\""),
            Kind::Mysql => format!("`{name}`"),
        }
    }

    /// Which of `names` exist on the server.
    fn existing(&self, names: &[&String]) -> Vec<String> {
        let list = names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut found = self.query(&match self.kind {
            Kind::Postgres => {
                format!("SELECT datname::text FROM pg_database WHERE datname IN ({list})")
            }
            Kind::Mysql => format!(
                "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata WHERE schema_name IN ({list})"
            ),
        });
        found.sort();
        found
    }

    /// The scratch databases of the verify with process id `pid`.
    fn scratch_of(&self, pid: u32) -> Vec<String> {
        self.query(&match self.kind {
            Kind::Postgres => format!(
                "SELECT datname::text FROM pg_database WHERE datname LIKE 'cargo\\_schema\\_verify\\_{pid}\\_%'"
            ),
            Kind::Mysql => format!(
                "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata WHERE schema_name LIKE 'cargo\\_schema\\_verify\\_{pid}\\_%'"
            ),
        })
    }

    /// The lock a live verify holds on its scratch database `name` (taken on the test's own
    /// database, the maintenance database the verify under test connects to), held until the
    /// value is dropped. `None` when somebody else holds it.
    fn hold_lock(&self, name: &str) -> Option<Box<dyn std::any::Any>> {
        use sqlx::Connection;
        self.runtime.block_on(async {
            let held: Option<Box<dyn std::any::Any>> = match self.kind {
                Kind::Postgres => {
                    let mut conn = sqlx::PgConnection::connect(&self.url)
                        .await
                        .expect("connect");
                    let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                        .bind(cargo_schema::commands::verify::scratch::lock_key(name))
                        .fetch_one(&mut conn)
                        .await
                        .expect("lock");
                    got.then(|| Box::new(conn) as Box<dyn std::any::Any>)
                }
                Kind::Mysql => {
                    let mut conn = sqlx::MySqlConnection::connect(&self.url)
                        .await
                        .expect("connect");
                    let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, 0)")
                        .bind(name)
                        .fetch_one(&mut conn)
                        .await
                        .expect("lock");
                    (got == Some(1)).then(|| Box::new(conn) as Box<dyn std::any::Any>)
                }
            };
            held
        })
    }

    /// Creates the database `name` the way a verify does: under its lock, so no sweep can take
    /// it before the test holds what it needs on it. Returns the lock (dropping it lets go).
    fn create_claimed(&self, name: &str) -> Box<dyn std::any::Any> {
        let lock = self
            .hold_lock(name)
            .unwrap_or_else(|| panic!("nobody else locks the fresh name {name}"));
        self.execute(&format!("CREATE DATABASE {}", self.quote(name)));
        lock
    }

    /// A session on the database `name`, open until the value is dropped.
    fn hold_session(&self, name: &str) -> Box<dyn std::any::Any> {
        use sqlx::Connection;
        let url = schema_runtime::migrator::with_database(&self.url, name);
        self.runtime.block_on(async {
            let held: Box<dyn std::any::Any> = match self.kind {
                Kind::Postgres => {
                    Box::new(sqlx::PgConnection::connect(&url).await.expect("connect"))
                }
                Kind::Mysql => {
                    Box::new(sqlx::MySqlConnection::connect(&url).await.expect("connect"))
                }
            };
            held
        })
    }
}

/// What a test made on the server, undone when the test ends, also when it fails: the verify
/// it started is killed, then its scratch databases and the test's own databases are dropped.
struct Cleanup<'a> {
    server: &'a Server,
    databases: Vec<String>,
    child: Option<std::process::Child>,
    child_pid: Option<u32>,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let mut names = self.databases.clone();
        if let Some(pid) = self.child_pid {
            names.extend(self.server.scratch_of(pid));
        }
        for name in names {
            let force = match self.server.kind {
                Kind::Postgres => " WITH (FORCE)",
                Kind::Mysql => "",
            };
            let sql = format!(
                "DROP DATABASE IF EXISTS {}{force}",
                self.server.quote(&name)
            );
            // Best effort: a second panic while unwinding would abort the test binary.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.server.execute(&sql)
            }));
        }
    }
}

/// A verify stopped by SIGTERM (what CI runners send on a timeout) or SIGINT (Ctrl-C) in the
/// middle of a slow migration drops its scratch database and exits 2 at once. Before creating
/// its own, a verify sweeps the scratch databases older than six hours by the server's clock
/// that no verify holds and nobody is connected to; it leaves younger ones, old ones whose lock
/// is held (a replay between two connections) and old ones with a live session alone. Other
/// verify tests running at the same time sweep too, so the test checks what is left, not who
/// dropped it, and plants what must be kept the way a verify makes its own: under the lock,
/// taken before the `CREATE DATABASE`, so no sweep can take it first.
fn scratch_database_dropped_on_signal_and_old_leftovers_swept(
    server: &Server,
    fixture: &crate::support::Fixture,
    dialect: &str,
    sleep: &str,
    signal: (&str, &str),
) {
    use std::time::{Duration, Instant};
    let now = server.now();
    // Unique to this test run, so overlapping runs do not see each other's databases.
    let tag = std::process::id() % 1_000_000;
    let old = format!("cargo_schema_verify_1_{}_{tag:06}", now - 7 * 3600);
    let busy = format!("cargo_schema_verify_2_{}_{tag:06}", now - 7 * 3600);
    let locked = format!("cargo_schema_verify_3_{}_{tag:06}", now - 7 * 3600);
    let young = format!("cargo_schema_verify_1_{}_{tag:06}", now - 60);
    let mut cleanup = Cleanup {
        server,
        databases: vec![old.clone(), busy.clone(), locked.clone(), young.clone()],
        child: None,
        child_pid: None,
    };
    for name in [&old, &young] {
        server.execute(&format!("CREATE DATABASE {}", server.quote(name)));
    }
    // Old, with a session on it and nobody holding its lock.
    let planting = server.create_claimed(&busy);
    let session = server.hold_session(&busy);
    drop(planting);
    // Old, nobody connected, its lock held all along.
    let lock = server.create_claimed(&locked);

    let child = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-schema"))
        .args(["schema", "verify", "--dialect", dialect, "--database-url"])
        .arg(&server.url)
        .current_dir(fixture.path("."))
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs cargo-schema");
    let pid = child.id();
    cleanup.child = Some(child);
    cleanup.child_pid = Some(pid);
    let sleeping = match server.kind {
        Kind::Postgres => format!(
            "SELECT datname::text FROM pg_stat_activity WHERE datname LIKE 'cargo\\_schema\\_verify\\_{pid}\\_%' AND query LIKE '%{sleep}%'"
        ),
        Kind::Mysql => format!(
            "SELECT CAST(db AS CHAR) FROM information_schema.processlist WHERE db LIKE 'cargo\\_schema\\_verify\\_{pid}\\_%' AND info LIKE '%{sleep}%'"
        ),
    };
    // Generous: a sweep's `DROP DATABASE` waits for a checkpoint, slow on a busy server.
    let start = Instant::now();
    while server.query(&sleeping).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the replay never reached the slow migration"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.scratch_of(pid).len(), 1, "one scratch database");
    // The verify swept before it created its scratch database: it, or another verify, which
    // may still be dropping the old leftover (our verify then found it locked and left it to
    // that one): what must be kept is there all along, the old leftover goes soon.
    let mut kept = vec![busy.clone(), locked.clone(), young.clone()];
    kept.sort();
    let swept_by = Instant::now() + Duration::from_secs(60);
    loop {
        let left = server.existing(&[&old, &busy, &locked, &young]);
        let old_gone = !left.contains(&old);
        let left: Vec<String> = left.into_iter().filter(|n| *n != old).collect();
        assert_eq!(
            left, kept,
            "the young one, the old one with a session and the old one whose lock is held are kept"
        );
        if old_gone {
            break;
        }
        assert!(Instant::now() < swept_by, "the old leftover is swept");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The verify holds its own scratch database's lock.
    let own = server.scratch_of(pid);
    assert!(
        server.hold_lock(&own[0]).is_none(),
        "the verify holds {}",
        own[0]
    );

    let signalled = Instant::now();
    let killed = std::process::Command::new("kill")
        .args([signal.0, &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let child = cleanup.child.take().expect("running");
    let output = child.wait_with_output().expect("cargo-schema finishes");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: the replay stopped; its scratch database is dropped",
            signal.1
        )),
        "{stderr}"
    );
    assert!(
        signalled.elapsed() < Duration::from_secs(45),
        "did not wait for the 60 s sleep"
    );
    assert_eq!(
        server.scratch_of(pid),
        Vec::<String>::new(),
        "the scratch database is dropped"
    );
    assert!(
        [&busy, &locked, &young]
            .iter()
            .all(|name| !stderr.contains(&format!("`{name}`"))),
        "{stderr}"
    );
    assert_eq!(server.existing(&[&busy, &locked]).len(), 2, "still there");
    drop(session);
    drop(lock);
}

#[test]
fn postgres_scratch_database_dropped_on_sigterm_and_old_leftovers_swept() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::postgres()) else {
        return;
    };
    let fixture = generated("multi_target");
    fixture
        .run(&["new", "slow", "--dialect", "postgres"])
        .assert_code(0);
    fixture.write(
        "migrations/postgres/0002_slow.up.sql",
        "SELECT pg_sleep(60);\n",
    );
    let server = Server {
        kind: Kind::Postgres,
        url: db.url.clone(),
        runtime,
    };
    scratch_database_dropped_on_signal_and_old_leftovers_swept(
        &server,
        &fixture,
        "postgres",
        "pg_sleep",
        ("-TERM", "terminated"),
    );
}

/// On MySQL with Ctrl-C: the sleeping session is ended before the drop.
#[test]
fn mysql_scratch_database_dropped_on_ctrl_c_and_old_leftovers_swept() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let Some(db) = runtime.block_on(schema_tests::testdb::mysql()) else {
        return;
    };
    let fixture = crate::support::Fixture::new("basic");
    fixture.edit("Cargo.toml", "dialect = \"sqlite\"", "dialect = \"mysql\"");
    fixture.run(&["generate"]).assert_code(0);
    fixture.run(&["new", "slow"]).assert_code(0);
    fixture.write("migrations/0002_slow.up.sql", "SELECT SLEEP(60);\n");
    let server = Server {
        kind: Kind::Mysql,
        url: db.url.clone(),
        runtime,
    };
    scratch_database_dropped_on_signal_and_old_leftovers_swept(
        &server,
        &fixture,
        "mysql",
        "SLEEP(60)",
        ("-INT", "interrupted"),
    );
}

/// The verify it holds is killed when the test ends early.
struct KillOnDrop(Option<std::process::Child>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Signals are watched from before the server replay's first step: a SIGTERM while verify
/// waits for the server (here one that accepts the connection and never answers), after an
/// in-memory SQLite replay, ends it with exit 2 and says nothing was created, instead of
/// killing the process in the middle of setting up a scratch database.
#[test]
fn sigterm_before_the_scratch_database_is_created() {
    use std::time::{Duration, Instant};
    let fixture = generated("multi_target");
    fixture
        .run(&["generate", "--dialect", "postgres"])
        .assert_code(0);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-schema"))
        .args(["schema", "verify", "--database-url", &url])
        .current_dir(fixture.path("."))
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs cargo-schema");
    let pid = child.id();
    let mut guard = KillOnDrop(Some(child));
    listener.set_nonblocking(true).expect("nonblocking");
    let start = Instant::now();
    let _silent = loop {
        match listener.accept() {
            Ok((stream, _)) => break stream,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "verify never connected"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("accept: {e}"),
        }
    };
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let output = guard
        .0
        .take()
        .expect("running")
        .wait_with_output()
        .expect("cargo-schema finishes");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Verified multi_target (sqlite): clean"),
        "{stderr}"
    );
    assert!(
        stderr.contains("terminated: the replay stopped before its scratch database was created"),
        "{stderr}"
    );
    assert!(start.elapsed() < Duration::from_secs(20), "{stderr}");
}

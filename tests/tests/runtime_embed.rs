//! `embed_migrations!` in a real crate built by cargo: a migration file added, changed or
//! removed is picked up by the next build without touching any `.rs` file; a malformed file
//! name and a missing down file are compile errors naming the file.
//!
//! Adding a file is noticed through the folder's snapshot (`schema.snapshot.json`), which
//! `cargo schema generate`/`new` rewrite with every migration they add; stable Rust has no way
//! for a proc macro to track a directory (`proc_macro::tracked::path` is unstable). A folder
//! without a snapshot needs the package's build script to declare it
//! (`cargo::rerun-if-changed=migrations`); without either the macro warns, and the last test
//! shows both halves: edits are tracked, additions are not.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

struct Probe {
    dir: tempfile::TempDir,
}

const MAIN: &str = r#"static MIGRATOR: schema_runtime::Migrator = schema_runtime::embed_migrations!();

fn main() {
    for m in MIGRATOR.migrations() {
        println!("{} {} {}", m.version, m.name, m.up.checksum);
    }
}
"#;

impl Probe {
    /// Each probe has its own package name: they share a target directory.
    fn new(name: &str, with_build_script: bool) -> Probe {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf();
        let dir = tempfile::tempdir().unwrap();
        let runtime = workspace.join("schema-runtime");
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nschema-runtime = {{ path = {runtime:?} }}\n\n[workspace]\n\n\
             [profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n"
        );
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(workspace.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), MAIN).unwrap();
        if with_build_script {
            std::fs::write(
                dir.path().join("build.rs"),
                "fn main() {\n    println!(\"cargo::rerun-if-changed=migrations\");\n}\n",
            )
            .unwrap();
        }
        Probe { dir }
    }

    fn migration(&self, name: &str) -> PathBuf {
        self.dir.path().join("migrations").join(name)
    }

    fn write(&self, name: &str, content: &str) {
        // Cargo compares modification times; make sure the change is visibly newer.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(self.migration(name), content).unwrap();
    }

    fn remove(&self, name: &str) {
        std::thread::sleep(Duration::from_millis(20));
        std::fs::remove_file(self.migration(name)).unwrap();
    }

    fn cargo(&self, command: &str) -> Output {
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/embed-probe");
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([command, "--offline"])
            .current_dir(self.dir.path())
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS")
            .env_remove("OUT_DIR")
            .output()
            .expect("run cargo")
    }

    /// Builds and runs the probe; returns its output lines (`version name checksum`).
    fn run(&self) -> Vec<String> {
        let output = self.cargo("run");
        assert!(
            output.status.success(),
            "probe failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn build_error(&self) -> String {
        let output = self.cargo("build");
        assert!(!output.status.success(), "the build was expected to fail");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

fn versions(lines: &[String]) -> Vec<&str> {
    lines.iter().map(|l| l.split(' ').next().unwrap()).collect()
}

#[test]
fn new_changed_and_removed_files_trigger_a_rebuild_and_bad_files_fail_the_build() {
    let probe = Probe::new("embed_probe_tracked", true);
    probe.write("0001_first.up.sql", "CREATE TABLE first (id INTEGER);\n");
    probe.write("0001_first.down.sql", "DROP TABLE first;\n");
    let first = probe.run();
    assert_eq!(versions(&first), vec!["1"]);

    probe.write("0002_second.up.sql", "CREATE TABLE second (id INTEGER);\n");
    probe.write("0002_second.down.sql", "DROP TABLE second;\n");
    assert_eq!(
        versions(&probe.run()),
        vec!["1", "2"],
        "a new file is embedded without touching .rs files"
    );

    probe.write(
        "0001_first.up.sql",
        "\u{feff}CREATE TABLE first (id INTEGER);\r\n",
    );
    assert_eq!(
        probe.run()[0],
        first[0],
        "CRLF and BOM do not change the checksum"
    );

    probe.write("0001_first.up.sql", "CREATE TABLE first (id BIGINT);\n");
    assert_ne!(probe.run()[0], first[0], "a changed file is re-embedded");

    probe.remove("0002_second.up.sql");
    probe.remove("0002_second.down.sql");
    assert_eq!(
        versions(&probe.run()),
        vec!["1"],
        "a removed file is dropped"
    );

    probe.write("0002users.up.sql", "SELECT 1;\n");
    let error = probe.build_error();
    assert!(
        error.contains("`0002users.up.sql` is not a migration file name"),
        "{error}"
    );
    probe.remove("0002users.up.sql");

    probe.write("0002_users.up.sql", "SELECT 1;\n");
    let error = probe.build_error();
    assert!(
        error.contains("`0002_users.up.sql` has no down migration: add `0002_users.down.sql`"),
        "{error}"
    );
}

#[test]
fn without_a_build_script_edits_are_tracked_additions_are_not_and_the_macro_says_so() {
    let probe = Probe::new("embed_probe_untracked", false);
    probe.write("0001_first.up.sql", "CREATE TABLE first (id INTEGER);\n");
    probe.write("0001_first.down.sql", "DROP TABLE first;\n");
    let build = probe.cargo("build");
    let warning = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{warning}");
    assert!(
        warning.contains("has no build script")
            && warning.contains("cargo::rerun-if-changed=migrations"),
        "{warning}"
    );
    let first = probe.run();

    probe.write("0001_first.up.sql", "CREATE TABLE first (id BIGINT);\n");
    let edited = probe.run();
    assert_ne!(edited, first, "edits are tracked through include_bytes!");

    probe.write("0002_second.up.sql", "CREATE TABLE second (id INTEGER);\n");
    probe.write("0002_second.down.sql", "DROP TABLE second;\n");
    assert_eq!(
        probe.run(),
        edited,
        "a new file alone is not noticed without the build script"
    );
}

#[test]
fn without_a_build_script_an_addition_is_noticed_through_the_snapshot() {
    let probe = Probe::new("embed_probe_snapshot", false);
    probe.write("schema.snapshot.json", "{\"migrations\": [1]}\n");
    probe.write("0001_first.up.sql", "CREATE TABLE first (id INTEGER);\n");
    probe.write("0001_first.down.sql", "DROP TABLE first;\n");
    let build = probe.cargo("build");
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert!(
        !stderr.contains("has no build script"),
        "no warning when the snapshot is tracked: {stderr}"
    );
    assert_eq!(versions(&probe.run()), ["1"]);

    // What `cargo schema generate` does: a new pair of files and a rewritten snapshot.
    probe.write("0002_second.up.sql", "CREATE TABLE second (id INTEGER);\n");
    probe.write("0002_second.down.sql", "DROP TABLE second;\n");
    probe.write("schema.snapshot.json", "{\"migrations\": [1, 2]}\n");
    assert_eq!(versions(&probe.run()), ["1", "2"]);
}

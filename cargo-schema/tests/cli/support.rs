//! Running the real binary on a fixture workspace copied to a temporary folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// What one run printed, with the temporary folder replaced by `[ROOT]`.
#[derive(Debug)]
pub struct Run {
    /// The process id the run had (names its scratch databases).
    pub pid: u32,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit status\n{self}");
        self
    }

    #[track_caller]
    pub fn assert_stdout(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{self}"
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{self}"
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Fixture {
    pub fn new(case: &str) -> Fixture {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(case);
        assert!(source.is_dir(), "no fixture {}", source.display());
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir
            .path()
            .canonicalize()
            .expect("canonical temp path")
            .join(case);
        copy_dir(&source, &root);
        Fixture { _dir: dir, root }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(".", args, &[])
    }

    /// Runs `cargo-schema schema <args>` in `dir` (relative to the fixture) with extra `env`.
    pub fn run_in(&self, dir: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-schema"));
        command
            .arg("schema")
            .args(args)
            .current_dir(self.root.join(dir))
            .env_remove("DATABASE_URL")
            .env_remove("CARGO_TERM_COLOR")
            .env("NO_COLOR", "1");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs cargo-schema");
        let pid = child.id();
        let output = child.wait_with_output().expect("cargo-schema finishes");
        let root = self.root.display().to_string();
        let normalize = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "[ROOT]");
        Run {
            pid,
            code: output.status.code().unwrap_or(-1),
            stdout: normalize(&output.stdout),
            stderr: normalize(&output.stderr),
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).unwrap_or_else(|e| panic!("write {relative}: {e}"));
    }

    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.path(relative))
            .unwrap_or_else(|e| panic!("remove {relative}: {e}"));
    }

    /// Replaces `from` with `to` in a fixture file (the text must be there).
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} lacks {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Every file (relative path -> content), to prove a command wrote nothing.
    pub fn tree(&self) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        collect(&self.root, &self.root, &mut files);
        files
    }

    /// The file names in a folder of the fixture, sorted.
    pub fn files_in(&self, relative: &str) -> Vec<String> {
        let mut names: Vec<String> = match std::fs::read_dir(self.path(relative)) {
            Ok(entries) => entries
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
    }

    /// Runs git in the fixture (for the two-branches case).
    pub fn git(&self, args: &[&str]) -> std::process::Output {
        Command::new("git")
            .args(args)
            .current_dir(&self.root)
            .env("GIT_AUTHOR_NAME", "test")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "test")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
            .output()
            .expect("git runs")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n == "target" || n == ".git")
            {
                continue;
            }
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("under root")
                .display()
                .to_string();
            files.insert(relative, std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

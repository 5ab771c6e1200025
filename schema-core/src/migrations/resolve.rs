//! Turns a folder, or a list of file names and contents, into checked [`Migration`]s.

use super::DirectiveError;
use super::{parse_file_name, Directives, Down, FileNameError, Migration, Script, ScriptKind};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A `.sql` file found in the migrations folder, with its raw content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The file name, without its folder.
    pub name: String,
    pub content: String,
}

/// A file found in the folder: its content, or (a down file the caller will read when it needs
/// it) its path.
struct Entry {
    name: String,
    content: Content,
}

enum Content {
    Text(String),
    Later(PathBuf),
}

/// A problem with the migrations folder; each names the file and says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveError {
    FolderMissing { path: String },
    Io { path: String, message: String },
    NotUtf8 { file: String },
    BadFileName(FileNameError),
    MissingDown { up_file: String, expected: String },
    MissingUp { down_file: String, expected: String },
    DuplicateVersion { version: i64, files: Vec<String> },
    Directive { file: String, error: DirectiveError },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::FolderMissing { path } => write!(
                f,
                "migrations folder `{path}` does not exist: create it, or pass the folder's path relative to the package root"
            ),
            ResolveError::Io { path, message } => write!(f, "cannot read `{path}`: {message}"),
            ResolveError::NotUtf8 { file } => write!(
                f,
                "`{file}` is not valid UTF-8: save the migration as UTF-8"
            ),
            ResolveError::BadFileName(error) => error.fmt(f),
            ResolveError::MissingDown { up_file, expected } => write!(
                f,
                "`{up_file}` has no down migration: add `{expected}` (it may contain only a comment if the migration cannot be reversed)"
            ),
            ResolveError::MissingUp { down_file, expected } => write!(
                f,
                "`{down_file}` has no up migration: add `{expected}` or remove the down file"
            ),
            ResolveError::DuplicateVersion { version, files } => write!(
                f,
                "migration number {version} is used by more than one migration ({}): renumber one of them above the highest number (two branches probably added a migration each)",
                files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            ),
            ResolveError::Directive { file, error } => write!(f, "`{file}`, {error}"),
        }
    }
}

impl std::error::Error for ResolveError {}

/// Reads every migration in `dir`. Files not ending in `.sql`, hidden files and folders are
/// ignored (the snapshot lives beside the migrations). All problems are reported, not only
/// the first.
pub fn read_dir(dir: &Path) -> Result<Vec<Migration>, Vec<ResolveError>> {
    read_folder(dir, false)
}

/// [`read_dir`], except that down files are only listed, not read: each migration's down is a
/// [`Down::File`], read by [`Down::load`] when needed. Names, pairs and the up files are
/// checked as by `read_dir`; a down file's content (UTF-8, directives) only when it is loaded.
pub fn read_dir_deferring_downs(dir: &Path) -> Result<Vec<Migration>, Vec<ResolveError>> {
    read_folder(dir, true)
}

fn read_folder(dir: &Path, defer_downs: bool) -> Result<Vec<Migration>, Vec<ResolveError>> {
    let display = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![ResolveError::FolderMissing { path: display }])
        }
        Err(error) => {
            return Err(vec![ResolveError::Io {
                path: display,
                message: error.to_string(),
            }])
        }
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for read in read_entries(entries.collect(), defer_downs) {
        match read {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    match resolve(files) {
        Ok(migrations) if errors.is_empty() => Ok(migrations),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// Reads the entries in order. A large folder is read by two threads, half each: opening and
/// reading small files is system calls, and a second core halves the wait. (If the thread
/// cannot be started, this thread reads everything.)
fn read_entries(
    entries: Vec<std::io::Result<std::fs::DirEntry>>,
    defer_downs: bool,
) -> Vec<Result<Option<Entry>, ResolveError>> {
    let read_entry = |entry| read_entry(entry, defer_downs);
    const PARALLEL_FROM: usize = 256;
    let parallel = entries.len() >= PARALLEL_FROM
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    if !parallel {
        return entries.iter().map(&read_entry).collect();
    }
    let (first_half, second_half) = entries.split_at(entries.len() / 2);
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new().spawn_scoped(scope, || {
            second_half.iter().map(&read_entry).collect::<Vec<_>>()
        });
        let mut read: Vec<_> = first_half.iter().map(&read_entry).collect();
        match helper {
            Ok(helper) => match helper.join() {
                Ok(rest) => read.extend(rest),
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => read.extend(second_half.iter().map(&read_entry)),
        }
        read
    })
}

fn read_entry(
    entry: &std::io::Result<std::fs::DirEntry>,
    defer_downs: bool,
) -> Result<Option<Entry>, ResolveError> {
    let io = |path: &Path, error: &std::io::Error| ResolveError::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    };
    let entry = entry
        .as_ref()
        .map_err(|e| io(Path::new("<migrations folder>"), e))?;
    let path = entry.path();
    let name = entry.file_name().to_string_lossy().into_owned();
    if name.starts_with('.') || !name.ends_with(".sql") {
        return Ok(None);
    }
    // The entry's type comes with the listing on most systems (no `stat` per file); a
    // symbolic link is followed to see whether it names a folder.
    let is_dir = match entry.file_type() {
        Ok(kind) if kind.is_symlink() => path.is_dir(),
        Ok(kind) => kind.is_dir(),
        Err(_) => path.is_dir(),
    };
    if is_dir {
        return Ok(None);
    }
    if defer_downs && parse_file_name(&name).is_ok_and(|n| n.kind == ScriptKind::Down) {
        let content = Content::Later(path);
        return Ok(Some(Entry { name, content }));
    }
    let content = Content::Text(read_text(&name, &path)?);
    Ok(Some(Entry { name, content }))
}

fn read_text(name: &str, path: &Path) -> Result<String, ResolveError> {
    let bytes = read_small(path).map_err(|e| ResolveError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|_| ResolveError::NotUtf8 {
        file: name.to_string(),
    })
}

/// A file of the folder read now, with the rules of [`read_dir`] (for [`Down::load`]).
pub(super) fn read_script(name: &str, path: &Path) -> Result<Script, ResolveError> {
    let script = Script::from_content(name.to_string(), &read_text(name, path)?);
    match Directives::parse(&script.sql) {
        Ok(_) => Ok(script),
        Err(error) => Err(ResolveError::Directive {
            file: name.to_string(),
            error,
        }),
    }
}

/// A file's bytes in open, read until the end, close: `fs::read` (and `File::read_to_end`)
/// also ask for the size and position first, two more system calls per file, and the runner
/// reads every up file of the folder at start-up (`embed_migrations!` every down file too).
fn read_small(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

/// Pairs up and checks migration files given by name and content; sorted by version.
pub fn resolve_files(files: Vec<SourceFile>) -> Result<Vec<Migration>, Vec<ResolveError>> {
    let entries = files.into_iter().map(|file| Entry {
        name: file.name,
        content: Content::Text(file.content),
    });
    resolve(entries.collect())
}

fn resolve(files: Vec<Entry>) -> Result<Vec<Migration>, Vec<ResolveError>> {
    let mut errors = Vec::new();
    let mut by_version: BTreeMap<i64, Vec<(String, ScriptKind, Entry)>> = BTreeMap::new();
    for file in files {
        match parse_file_name(&file.name) {
            Ok(name) => by_version
                .entry(name.version)
                .or_default()
                .push((name.slug, name.kind, file)),
            Err(error) => errors.push(ResolveError::BadFileName(error)),
        }
    }
    let mut migrations = Vec::new();
    for (version, mut files) in by_version {
        files.sort_by(|a, b| a.2.name.cmp(&b.2.name));
        match pair(version, files) {
            Ok(migration) => migrations.push(migration),
            Err(error) => errors.push(error),
        }
    }
    for migration in &migrations {
        let down = match &migration.down {
            Down::Script(script) => Some(script),
            Down::File { .. } => None,
        };
        for script in std::iter::once(&migration.up).chain(down) {
            if let Err(error) = Directives::parse(&script.sql) {
                errors.push(ResolveError::Directive {
                    file: script.file.to_string(),
                    error,
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(migrations)
    } else {
        Err(errors)
    }
}

fn pair(version: i64, files: Vec<(String, ScriptKind, Entry)>) -> Result<Migration, ResolveError> {
    let slugs: Vec<&String> = files.iter().map(|(slug, ..)| slug).collect();
    let kinds: Vec<ScriptKind> = files.iter().map(|(_, kind, _)| *kind).collect();
    if files.len() > 2 || (files.len() == 2 && (slugs[0] != slugs[1] || kinds[0] == kinds[1])) {
        return Err(ResolveError::DuplicateVersion {
            version,
            files: files.into_iter().map(|(.., file)| file.name).collect(),
        });
    }
    let mut up = None;
    let mut down = None;
    let mut slug = String::new();
    for (file_slug, kind, file) in files {
        slug = file_slug;
        let script = match file.content {
            Content::Text(text) => Script::from_content(file.name, &text),
            // Only down files are left for later (an up file would be read here).
            Content::Later(path) if kind == ScriptKind::Down => {
                down = Some(Down::File {
                    file: Cow::Owned(file.name),
                    path,
                });
                continue;
            }
            Content::Later(path) => {
                Script::from_content(file.name.clone(), &read_text(&file.name, &path)?)
            }
        };
        match kind {
            ScriptKind::Up => up = Some(script),
            ScriptKind::Down => down = Some(Down::Script(script)),
        }
    }
    match (up, down) {
        (Some(up), Some(down)) => Ok(Migration {
            version,
            name: Cow::Owned(slug),
            up,
            down,
        }),
        (Some(up), None) => Err(ResolveError::MissingDown {
            expected: partner(&up.file, ScriptKind::Up),
            up_file: up.file.into_owned(),
        }),
        (None, Some(down)) => Err(ResolveError::MissingUp {
            expected: partner(down.file(), ScriptKind::Down),
            down_file: down.file().to_string(),
        }),
        (None, None) => unreachable!("a version is only recorded with at least one file"),
    }
}

fn partner(file: &str, kind: ScriptKind) -> String {
    parse_file_name(file)
        .map(|name| name.partner(file))
        .unwrap_or_else(|_| format!("the {kind:?} file for `{file}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, content: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            content: content.into(),
        }
    }

    #[test]
    fn pairs_files_and_sorts_by_version() {
        let migrations = resolve_files(vec![
            file("0002_b.down.sql", "DROP TABLE b;"),
            file("0001_a.up.sql", "\u{feff}CREATE TABLE a (id int);\r\n"),
            file("0002_b.up.sql", "CREATE TABLE b (id int);"),
            file("0001_a.down.sql", "DROP TABLE a;"),
        ])
        .unwrap();
        assert_eq!(migrations.len(), 2);
        assert_eq!((migrations[0].version, &*migrations[0].name), (1, "a"));
        assert_eq!(migrations[0].up.sql, "CREATE TABLE a (id int);\n");
        assert_eq!(migrations[0].up.file, "0001_a.up.sql");
        assert_eq!(migrations[1].down.load().unwrap().sql, "DROP TABLE b;");
    }

    #[test]
    fn reports_every_problem_naming_the_files() {
        let errors = resolve_files(vec![
            file("0001_a.up.sql", ""),
            file("0002_b.down.sql", ""),
            file("0003_c.up.sql", ""),
            file("0003_c.down.sql", ""),
            file("0003_d.up.sql", ""),
            file("x.sql", ""),
            file("0004_e.up.sql", "-- schema:bogus\n"),
            file("0004_e.down.sql", ""),
        ])
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 5, "{text:#?}");
        assert!(text
            .iter()
            .any(|t| t.contains("`x.sql` is not a migration file name")));
        assert!(text
            .iter()
            .any(|t| t.contains("`0001_a.up.sql` has no down migration: add `0001_a.down.sql`")));
        assert!(text
            .iter()
            .any(|t| t.contains("`0002_b.down.sql` has no up migration: add `0002_b.up.sql`")));
        assert!(text
            .iter()
            .any(|t| t.contains("number 3") && t.contains("`0003_d.up.sql`")));
        assert!(text
            .iter()
            .any(|t| t.contains("`0004_e.up.sql`, line 1: unknown directive")));
    }

    #[test]
    fn reads_a_folder_ignoring_other_files() {
        let dir = std::env::temp_dir().join(format!("schema-core-resolve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("nested")).unwrap();
        std::fs::write(dir.join("0001_a.up.sql"), "SELECT 1;").unwrap();
        std::fs::write(dir.join("0001_a.down.sql"), "SELECT 2;").unwrap();
        std::fs::write(dir.join("snapshot.json"), "{}").unwrap();
        std::fs::write(dir.join(".0009_hidden.up.sql"), "").unwrap();
        let result = read_dir(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let migrations = result.unwrap();
        assert_eq!(migrations.len(), 1);
        assert_eq!(
            migrations[0].up.checksum,
            super::super::Checksum::of("SELECT 1;")
        );
    }

    /// Deferring the down files changes what is read, not what is reported about names and
    /// pairs; a down file's content is checked when it is loaded, as it is then.
    #[test]
    fn deferring_downs_reports_the_same_folder_problems() {
        let dir = std::env::temp_dir().join(format!("schema-core-defer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, content) in [
            ("0001_a.up.sql", "SELECT 1;"),
            ("0001_a.down.sql", "SELECT 2;"),
            ("0002_b.up.sql", ""),
            ("0003_c.down.sql", ""),
            ("0004_d.up.sql", ""),
            ("0004_d.down.sql", ""),
            ("0004_e.down.sql", ""),
            ("x.down.sql", ""),
        ] {
            std::fs::write(dir.join(name), content).unwrap();
        }
        let text = |errors: Vec<ResolveError>| {
            let mut text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            text.sort();
            text
        };
        let eager = text(read_dir(&dir).unwrap_err());
        let deferred = text(read_dir_deferring_downs(&dir).unwrap_err());
        assert_eq!(eager.len(), 4, "{eager:#?}");
        assert_eq!(eager, deferred);

        for name in [
            "0002_b.up.sql",
            "0003_c.down.sql",
            "0004_e.down.sql",
            "x.down.sql",
        ] {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        std::fs::write(dir.join("0004_d.down.sql"), b"-- schema:bogus\n\xff").unwrap();
        let not_utf8 = ResolveError::NotUtf8 {
            file: "0004_d.down.sql".into(),
        };
        assert!(read_dir(&dir).unwrap_err().contains(&not_utf8));
        let migrations = read_dir_deferring_downs(&dir).unwrap();
        assert!(matches!(migrations[1].down, Down::File { .. }));
        assert_eq!(migrations[1].down.file(), "0004_d.down.sql");
        assert_eq!(migrations[1].down.load().unwrap_err(), not_utf8);
        std::fs::write(dir.join("0004_d.down.sql"), "-- schema:bogus\n").unwrap();
        let error = migrations[1].down.load().unwrap_err().to_string();
        assert!(
            error.contains("`0004_d.down.sql`, line 1: unknown directive"),
            "{error}"
        );
        std::fs::write(dir.join("0001_a.down.sql"), "SELECT 3;\r\n").unwrap();
        let down = migrations[0].down.load().unwrap();
        assert_eq!(down.sql, "SELECT 3;\n");
        assert_eq!(down.file, "0001_a.down.sql");
        std::fs::remove_file(dir.join("0001_a.down.sql")).unwrap();
        let error = migrations[0].down.load().unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            error.starts_with("cannot read `") && error.contains("0001_a.down.sql`: "),
            "{error}"
        );
    }

    #[test]
    fn a_missing_folder_says_so() {
        let errors = read_dir(Path::new("/nonexistent/schema-migrations")).unwrap_err();
        assert!(matches!(errors[0], ResolveError::FolderMissing { .. }));
    }
}

//! The one migration-file resolver, shared by `embed_migrations!`, the runtime and the CLI.
//!
//! A migration is a pair of files in one folder, `NNNN_<slug>.up.sql` and `NNNN_<slug>.down.sql`.
//! This module turns such a folder (or a list of names and contents) into [`Migration`] values
//! with a checksum, reads the `-- schema:` directives at the top of a file, and splits a file
//! into statements so the runner can execute them one by one and name the one that failed.

pub mod analyze;
mod checksum;
mod directives;
mod file_name;
mod resolve;
mod split;

pub use checksum::{normalize, Checksum};
pub use directives::{accepted, Directive, DirectiveError, Directives, ACCEPT};
pub use file_name::{parse_file_name, FileName, FileNameError, ScriptKind};
pub use resolve::{read_dir, read_dir_deferring_downs, resolve_files, ResolveError, SourceFile};
pub use split::{split_statements, Statement};

use std::borrow::Cow;
use std::path::PathBuf;

/// One migration: its version, its name and its two scripts.
///
/// The fields are public so that `embed_migrations!` can build the value in a `static`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    /// The slug of the file name (`add_users` in `0002_add_users.up.sql`).
    pub name: Cow<'static, str>,
    pub up: Script,
    pub down: Down,
}

/// A migration's down script: in memory (embedded by `embed_migrations!`, or read with the
/// folder), or a file of the folder that is read only when something needs its text (a
/// rollback, or its plan): a run that applies reads only the up files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Down {
    Script(Script),
    /// Not read yet; [`Down::load`] reads it with the rules the folder's other files were read
    /// with (UTF-8, normalized, directives checked).
    File {
        /// The file name, without its folder.
        file: Cow<'static, str>,
        path: PathBuf,
    },
}

impl Down {
    /// The file name, without its folder.
    pub fn file(&self) -> &str {
        match self {
            Down::Script(script) => &script.file,
            Down::File { file, .. } => file,
        }
    }

    /// The script: the one in memory, or the file's current content.
    pub fn load(&self) -> Result<Cow<'_, Script>, ResolveError> {
        match self {
            Down::Script(script) => Ok(Cow::Borrowed(script)),
            Down::File { file, path } => resolve::read_script(file, path).map(Cow::Owned),
        }
    }
}

/// The content of one migration file, normalized (no BOM, LF line endings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// The file name, without its folder (`0002_add_users.up.sql`).
    pub file: Cow<'static, str>,
    /// The normalized SQL: exactly the text that was hashed and that is executed.
    pub sql: Cow<'static, str>,
    pub checksum: Checksum,
}

impl Script {
    /// Builds a script from a file's raw content: normalizes it and computes the checksum.
    pub fn from_content(file: impl Into<Cow<'static, str>>, content: &str) -> Script {
        let sql = normalize(content);
        let checksum = Checksum::of_normalized(&sql);
        Script {
            file: file.into(),
            sql: Cow::Owned(sql),
            checksum,
        }
    }

    /// The `-- schema:` directives at the top of the file.
    ///
    /// The resolver has already rejected files with unknown or misplaced directives, so for a
    /// resolved script this only fails if the value was built by hand.
    pub fn directives(&self) -> Result<Directives, DirectiveError> {
        Directives::parse(&self.sql)
    }

    /// The statements of the file, in order, as the given dialect reads them.
    pub fn statements(&self, dialect: crate::Dialect) -> Vec<Statement<'_>> {
        split_statements(&self.sql, dialect)
    }
}

//! Migration file names: `NNNN_<slug>.up.sql` and `NNNN_<slug>.down.sql`.

use std::fmt;

/// Which half of a migration a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScriptKind {
    Up,
    Down,
}

impl ScriptKind {
    pub fn suffix(self) -> &'static str {
        match self {
            ScriptKind::Up => ".up.sql",
            ScriptKind::Down => ".down.sql",
        }
    }
}

/// A parsed migration file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileName {
    pub version: i64,
    pub slug: String,
    pub kind: ScriptKind,
}

impl FileName {
    /// The file name of the other half of the pair, with the same number and slug.
    pub fn partner(&self, original: &str) -> String {
        let stem_len = original.len() - self.kind.suffix().len();
        let other = match self.kind {
            ScriptKind::Up => ScriptKind::Down,
            ScriptKind::Down => ScriptKind::Up,
        };
        format!("{}{}", &original[..stem_len], other.suffix())
    }
}

/// Why a `.sql` file name is not a migration file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileNameError {
    pub file: String,
    pub reason: &'static str,
}

impl fmt::Display for FileNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a migration file name: {}; name migrations `NNNN_<slug>.up.sql` and `NNNN_<slug>.down.sql` (for example `0001_create_users.up.sql`)",
            self.file, self.reason
        )
    }
}

impl std::error::Error for FileNameError {}

/// Parses `NNNN_<slug>.up.sql` / `NNNN_<slug>.down.sql`.
///
/// The number is one or more ASCII digits and not zero; the slug is ASCII letters, digits,
/// `_` and `-`, so names stay portable across file systems and shells.
pub fn parse_file_name(file: &str) -> Result<FileName, FileNameError> {
    let error = |reason| FileNameError {
        file: file.to_string(),
        reason,
    };
    let (stem, kind) = if let Some(stem) = file.strip_suffix(ScriptKind::Up.suffix()) {
        (stem, ScriptKind::Up)
    } else if let Some(stem) = file.strip_suffix(ScriptKind::Down.suffix()) {
        (stem, ScriptKind::Down)
    } else {
        return Err(error("it must end in `.up.sql` or `.down.sql`"));
    };
    let digits_end = stem
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(stem.len());
    if digits_end == 0 {
        return Err(error("it must start with the migration number"));
    }
    let version: i64 = stem[..digits_end]
        .parse()
        .map_err(|_| error("the migration number is too large"))?;
    if version == 0 {
        return Err(error("migration numbers start at 1"));
    }
    let slug = stem[digits_end..]
        .strip_prefix('_')
        .ok_or_else(|| error("the number must be followed by `_` and a name"))?;
    if slug.is_empty() {
        return Err(error("the name after the number is empty"));
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(error(
            "the name may only contain ASCII letters, digits, `_` and `-`",
        ));
    }
    Ok(FileName {
        version,
        slug: slug.to_string(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_up_and_down_names() {
        let up = parse_file_name("0002_add_users.up.sql").unwrap();
        assert_eq!(
            up,
            FileName {
                version: 2,
                slug: "add_users".into(),
                kind: ScriptKind::Up
            }
        );
        let down = parse_file_name("12_x-y.down.sql").unwrap();
        assert_eq!((down.version, down.kind), (12, ScriptKind::Down));
        assert_eq!(
            up.partner("0002_add_users.up.sql"),
            "0002_add_users.down.sql"
        );
        assert_eq!(down.partner("12_x-y.down.sql"), "12_x-y.up.sql");
    }

    #[test]
    fn rejects_malformed_names_with_a_reason() {
        for (name, reason) in [
            ("0001_users.sql", "end in"),
            ("users.up.sql", "start with the migration number"),
            ("0001users.up.sql", "followed by `_`"),
            ("0001_.up.sql", "empty"),
            ("0000_zero.up.sql", "start at 1"),
            ("0001_bad name.up.sql", "may only contain"),
            ("99999999999999999999_big.up.sql", "too large"),
        ] {
            let err = parse_file_name(name).unwrap_err();
            assert!(err.reason.contains(reason), "{name}: {}", err.reason);
            assert!(err.to_string().contains(name));
        }
    }
}

//! `cargo schema generate`: diff the structs against the snapshot and write the next
//! migration (up and down files) and the updated snapshot. Changes that need an
//! acknowledgement (destructive ones, and PostgreSQL type changes that rewrite the table) are
//! refused unless acknowledged one by one with `--accept "<change>"` (or all at once with
//! `--allow-destructive`), and so are the down file's steps that need one of their own (the
//! rollback of a widened type or of an added enum value rewrites the table); each
//! acknowledgement is written into the file whose step needs it as a `-- schema:accept
//! <change>` line, which `verify` checks.

pub mod accept_edits;
pub mod report;

use crate::cli::generate::Args;
use crate::cli::PackageArgs;
use crate::commands::erd::Diagram;
use crate::error::CliError;
use crate::outcome::{CommandResult, Outcome};
use crate::output::{display_path, Output};
use crate::project::migrations::{self, file_names, slug_from_name};
use crate::project::package::{self, SchemaTarget};
use crate::project::snapshot_file::{self, write_atomically};
use crate::project::structs;
use report::{changes_json, print_changes, unacknowledged, with_accept_lines};
use schema_core::generate::{ChangeReport, Generated};
use schema_core::migrations::{Checksum, ACCEPT};
use schema_core::snapshot::{ChainEntry, MigrationKind, Snapshot};
use serde_json::{json, Value};

/// What generating one target came to, before anything is written.
struct Prepared {
    package: String,
    target: SchemaTarget,
    snapshot: Snapshot,
    code: schema_core::model::Schema,
    generated: Option<Generated>,
    /// Migrations whose edited checksums `--accept-edits` recorded in `snapshot`.
    accepted: Vec<String>,
}

pub fn exec(args: &Args, packages: &PackageArgs, out: &mut Output) -> CommandResult {
    let name = args.name.as_deref().map(slug_from_name).transpose()?;
    args.erd.check(out.is_json())?;
    let selected = package::select(packages)?;
    // Everything is computed before anything is written: one bad target writes nothing.
    let mut prepared = Vec::new();
    let mut diagrams = Vec::new();
    for package in &selected {
        let structs = structs::read(package)?;
        for target in &package.targets {
            let (code, hints) = structs.resolve(target.dialect)?;
            let mut snapshot = snapshot_file::load(target)?;
            let folder = migrations::scan(&target.migrations)?;
            migrations::ensure_recorded(&folder, &snapshot, &target.migrations)?;
            let accepted = if args.accept_edits {
                accept_edits::accept(&mut snapshot, &folder)
            } else {
                Vec::new()
            };
            let generated = if schema_core::compare::equivalent(&snapshot.schema, &code) {
                None
            } else {
                let generated = schema_core::generate::generate_for(
                    &snapshot.schema,
                    &code,
                    &hints,
                    target.safety,
                )
                .map_err(|e| {
                    CliError::new(format!(
                        "cannot generate the {} migration: {e}",
                        target.dialect
                    ))
                })?;
                Some(generated).filter(|g| !g.changes.is_empty())
            };
            // A PostgreSQL `lock_timeout` too short for a blocking autovacuum to be cancelled.
            let which = format!("{} ({})", package.name, target.dialect);
            let note = crate::project::settings::low_lock_timeout_note(
                &which,
                target.dialect,
                &target.safety,
            );
            if let Some(note) = note.filter(|_| generated.is_some()) {
                out.note(note);
            }
            if args.erd.wanted() {
                diagrams.push(Diagram::of_change(
                    &package.name,
                    target.dialect,
                    "the migration generate writes",
                    &snapshot.schema,
                    &code,
                    &hints,
                ));
            }
            prepared.push(Prepared {
                package: package.name.clone(),
                target: target.clone(),
                snapshot,
                code,
                generated,
                accepted,
            });
        }
    }

    check_accepted_keys(&args.accept, &prepared)?;
    // The acknowledgements still missing, over every target, each once.
    let missing = dedup(
        prepared
            .iter()
            .flat_map(|o| waiting_keys(o, args))
            .collect(),
    );
    // A dry run previews what would be refused, marking what it waits for.
    if !missing.is_empty() && !args.dry_run {
        let refused = refuse(&prepared, &missing, args, packages, out);
        args.erd.emit(diagrams, out)?;
        return Ok(refused);
    }

    let mut results = Vec::new();
    for prep in prepared {
        results.push(write(prep, name.as_deref(), args, out)?);
    }
    if args.dry_run && !missing.is_empty() {
        out.note(format!(
            "writing this migration needs {} acknowledgement(s): `{}`",
            missing.len(),
            command_line(args, packages, out.is_json(), &missing)
        ));
    }
    out.json(&json!({"status": status_word(&results, args.dry_run), "targets": results}));
    args.erd.emit(diagrams, out)?;
    Ok(Outcome::Success)
}

/// The keys of the target's changes and down steps that need an acknowledgement the command
/// line does not give, each once, in order.
fn waiting_keys(prep: &Prepared, args: &Args) -> Vec<String> {
    let Some(generated) = &prep.generated else {
        return Vec::new();
    };
    dedup(
        unacknowledged(
            generated.needing_accept(),
            &args.accept,
            args.allow_destructive,
        )
        .iter()
        .filter_map(|c| c.risk.accept.clone())
        .collect(),
    )
}

/// `items` without repeats, first occurrences kept in order.
fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// The `cargo schema generate` the user ran, with their own selection and options (`-p`,
/// `--manifest-path`, `--dialect`, `--name`, `--format`, `--accept-edits`, their `--accept`s)
/// and an `--accept` for each of `missing`: pasted, it writes what they meant.
fn command_line(args: &Args, packages: &PackageArgs, json: bool, missing: &[String]) -> String {
    let mut words: Vec<String> = ["cargo", "schema", "generate"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    let mut flag = |name: &str, value: Option<&str>| {
        words.push(name.to_string());
        if let Some(value) = value {
            words.push(shell_quote(value));
        }
    };
    for package in &packages.package {
        flag("-p", Some(package));
    }
    if let Some(path) = &packages.manifest_path {
        flag("--manifest-path", Some(&path.to_string_lossy()));
    }
    if let Some(dialect) = &packages.dialect {
        flag("--dialect", Some(dialect));
    }
    if let Some(name) = &args.name {
        flag("--name", Some(name));
    }
    if json {
        flag("--format", Some("json"));
    }
    if args.accept_edits {
        flag("--accept-edits", None);
    }
    for key in args.accept.iter().chain(missing) {
        flag("--accept", Some(key));
    }
    words.join(" ")
}

/// `word` as a POSIX shell reads it back: as is when it has only harmless characters, else in
/// double quotes (what the refusal has always printed for `--accept "drop column a.b"`) when
/// nothing in it is special there, else in single quotes.
fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:=@,+%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else if !word.contains(['"', '\\', '$', '`', '!']) {
        format!("\"{word}\"")
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The fields every target object has, whatever the outcome (written, refused, fresh, dry
/// run); each outcome adds its own.
fn target_json(
    package: &str,
    target: &SchemaTarget,
    written: bool,
    generated: Option<&Generated>,
    accepted: &[String],
    needs_accept: &[String],
) -> serde_json::Map<String, Value> {
    let (changes, rollback) = match generated {
        Some(g) => (changes_json(&g.changes), changes_json(&g.rollback)),
        None => (Vec::new(), Vec::new()),
    };
    let Value::Object(map) = json!({
        "package": package,
        "dialect": target.dialect.as_str(),
        "written": written,
        "changes": changes,
        "rollback": rollback,
        "accepted_edits": accepted,
        "needs_accept": needs_accept,
    }) else {
        unreachable!("a JSON object")
    };
    map
}

fn with_fields(mut map: serde_json::Map<String, Value>, fields: Value) -> Value {
    if let Value::Object(fields) = fields {
        map.extend(fields);
    }
    Value::Object(map)
}

fn status_word(results: &[Value], dry_run: bool) -> &'static str {
    if dry_run {
        "dry_run"
    } else if results.iter().any(|r| r["written"].as_bool() == Some(true)) {
        "written"
    } else {
        "no_changes"
    }
}

/// An `--accept` that matches no change is a typo: say which words would match.
fn check_accepted_keys(accepted: &[String], prepared: &[Prepared]) -> Result<(), CliError> {
    let keys: Vec<&str> = prepared
        .iter()
        .filter_map(|o| o.generated.as_ref())
        .flat_map(|g| g.needing_accept())
        .filter_map(|c| c.risk.accept.as_deref())
        .collect();
    for a in accepted {
        if !keys.contains(&a.as_str()) {
            let hint = if keys.is_empty() {
                "no change of this migration needs an acknowledgement: drop `--accept`".to_string()
            } else {
                format!(
                    "the changes that need one: {}",
                    keys.iter()
                        .map(|k| format!("`--accept \"{k}\"`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(CliError::new(format!("`--accept \"{a}\"` matches no change")).hint(hint));
        }
    }
    Ok(())
}

fn refuse(
    prepared: &[Prepared],
    missing: &[String],
    args: &Args,
    packages: &PackageArgs,
    out: &mut Output,
) -> Outcome {
    let mut targets = Vec::new();
    let mut drops = false;
    let mut removed_values = false;
    for prep in prepared {
        let waiting_keys = waiting_keys(prep, args);
        let generated = prep.generated.as_ref();
        targets.push(Value::Object(target_json(
            &prep.package,
            &prep.target,
            false,
            generated,
            &prep.accepted,
            &waiting_keys,
        )));
        let Some(generated) = generated.filter(|_| !waiting_keys.is_empty()) else {
            continue;
        };
        let which = format!("{} ({})", prep.package, prep.target.dialect);
        print_changes(out, &which, generated);
        let waiting = unacknowledged(
            generated.needing_accept(),
            &args.accept,
            args.allow_destructive,
        );
        let in_down = |c: &ChangeReport| generated.rollback.iter().any(|r| std::ptr::eq(r, c));
        let down_steps = waiting.iter().filter(|c| in_down(c)).count();
        let what = match (waiting.len() - down_steps, down_steps) {
            (n, 0) => format!("{n} change(s)"),
            (0, d) => format!("{d} step(s) of the down migration"),
            (n, d) => format!("{n} change(s) and {d} step(s) of the down migration"),
        };
        out.diag(format!(
            "error: refused: {what} for {} need an acknowledgement (destructive, or rewriting a table); nothing written",
            prep.target.dialect
        ));
        // A key shared by a change and its rollback step: one `--accept` covers both.
        let mut told = Vec::new();
        for change in &waiting {
            if !in_down(change) {
                // Removing is what a rename looks like when nobody says it is one.
                if change.summary.starts_with("drop table ")
                    || change.summary.starts_with("drop column ")
                {
                    drops = true;
                }
                if change.risk.reason.starts_with("removes enum values") {
                    removed_values = true;
                }
            }
            let rollback = if in_down(change) {
                "in the down migration: "
            } else {
                ""
            };
            out.diag(format!(
                "  - {rollback}{} ({}): {}",
                change.summary,
                change.risk.level.as_str(),
                change.risk.reason
            ));
            if let Some(alt) = &change.risk.safe_alternative {
                out.diag(format!("    safer: {alt}"));
            }
            if let Some(key) = &change.risk.accept {
                if !told.contains(&key) {
                    out.diag(format!("    to go ahead: --accept {}", shell_quote(key)));
                    told.push(key);
                }
            }
        }
    }
    out.diag(format!(
        "  help: if this is intended, run `{}` (each acknowledgement is written into the migration as `-- schema:accept <change>` for review)",
        command_line(args, packages, out.is_json(), missing)
    ));
    if drops {
        out.diag("  help: to rename instead of dropping, add `#[schema(renamed_from = \"old\")]` to the renamed struct or field");
    }
    if removed_values {
        out.diag("  help: to rename an enum value instead of removing it, add `#[schema(renamed_from = \"old\")]` to the renamed enum variant");
    }
    out.json(&json!({"status": "refused", "targets": targets}));
    Outcome::Problems(None)
}

fn write(
    prep: Prepared,
    name: Option<&str>,
    args: &Args,
    out: &mut Output,
) -> Result<Value, CliError> {
    // Only a dry run gets here with acknowledgements missing.
    let needs_accept = waiting_keys(&prep, args);
    let Prepared {
        package,
        target,
        mut snapshot,
        code,
        generated,
        accepted,
    } = prep;
    let dialect = target.dialect;
    // Which package and target a line is about: `blog (sqlite)`.
    let which = format!("{package} ({dialect})");
    let Some(generated) = generated else {
        let mut written = false;
        if !accepted.is_empty() && !args.dry_run {
            let path = snapshot_file::save(&target, &snapshot)?;
            out.line(display_path(&path));
            written = true;
        }
        for id in &accepted {
            out.status("Accepted", format!("{which}: the edited {id}"));
        }
        if accepted.is_empty() {
            out.status(
                "Fresh",
                format!("{which}: the structs match the snapshot, no changes, nothing written"),
            );
        }
        return Ok(Value::Object(target_json(
            &package,
            &target,
            written,
            None,
            &accepted,
            &needs_accept,
        )));
    };
    let slug = match name {
        Some(name) => name.to_string(),
        None => slug_from_name(&generated.slug).unwrap_or_else(|_| "migration".to_string()),
    };
    let version = snapshot.next_version();
    let (up_name, down_name) = file_names(version, &slug);
    let up_sql = with_accept_lines(&generated.up_sql, &generated.changes);
    let down_sql = with_accept_lines(&generated.down_sql, &generated.rollback);
    let up = target.migrations.join(&up_name);
    let down = target.migrations.join(&down_name);
    if args.dry_run {
        print_changes(out, &which, &generated);
        for (path, sql) in [(&up, &up_sql), (&down, &down_sql)] {
            out.line(format!("-- would write {}", display_path(path)));
            for line in sql.trim_end().lines() {
                out.line(line);
                // The acknowledgement lines the command line does not give yet.
                let waiting = line
                    .strip_prefix(ACCEPT)
                    .filter(|key| needs_accept.iter().any(|k| k == key));
                if let Some(key) = waiting {
                    out.line(format!(
                        "-- ^ dry run: not acknowledged yet; writing needs --accept {}",
                        shell_quote(key)
                    ));
                }
            }
        }
        out.diag("note: dry run, nothing written");
        let fields = json!({
            "migration": format!("{version:04}_{slug}"),
            "up_sql": up_sql,
            "down_sql": down_sql,
        });
        return Ok(with_fields(
            target_json(
                &package,
                &target,
                false,
                Some(&generated),
                &accepted,
                &needs_accept,
            ),
            fields,
        ));
    }
    write_atomically(&up, &up_sql)?;
    write_atomically(&down, &down_sql)?;
    let entry = ChainEntry {
        version,
        name: slug,
        parent: snapshot.last().map(ChainEntry::id),
        kind: MigrationKind::Generated,
        up_sha256: Some(Checksum::of(&up_sql).to_hex()),
        down_sha256: Some(Checksum::of(&down_sql).to_hex()),
    };
    let id = entry.id();
    snapshot.migrations.push(entry);
    snapshot.schema = code;
    let snapshot_path = snapshot_file::save(&target, &snapshot)?;

    print_changes(out, &which, &generated);
    for accepted in &accepted {
        out.status("Accepted", format!("{which}: the edited {accepted}"));
    }
    out.status("Generated", format!("{which}: {id}"));
    for path in [&up, &down, &snapshot_path] {
        out.line(display_path(path));
    }
    let fields = json!({
        "migration": id,
        "up": up,
        "down": down,
        "snapshot": snapshot_path,
    });
    Ok(with_fields(
        target_json(
            &package,
            &target,
            true,
            Some(&generated),
            &accepted,
            &needs_accept,
        ),
        fields,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_the_shell_needs_it() {
        assert_eq!(shell_quote("blog"), "blog");
        assert_eq!(shell_quote("../app/Cargo.toml"), "../app/Cargo.toml");
        assert_eq!(
            shell_quote("drop column posts.title"),
            "\"drop column posts.title\""
        );
        assert_eq!(shell_quote(""), "\"\"");
        assert_eq!(shell_quote("a*b"), "\"a*b\"");
        assert_eq!(shell_quote("cost $5"), "'cost $5'");
        assert_eq!(shell_quote("say \"hi\""), "'say \"hi\"'");
        assert_eq!(shell_quote("it's `x`"), "'it'\\''s `x`'");
    }

    #[test]
    fn the_command_line_echoes_the_users_flags() {
        let args = Args {
            name: Some("drop legacy".into()),
            accept: vec!["drop table a".into()],
            allow_destructive: false,
            accept_edits: true,
            dry_run: true,
            erd: Default::default(),
        };
        let packages = PackageArgs {
            package: vec!["blog".into(), "shop".into()],
            manifest_path: Some("my app/Cargo.toml".into()),
            dialect: Some("postgres".into()),
        };
        assert_eq!(
            command_line(&args, &packages, true, &["drop column b.c".into()]),
            "cargo schema generate -p blog -p shop --manifest-path \"my app/Cargo.toml\" --dialect postgres --name \"drop legacy\" --format json --accept-edits --accept \"drop table a\" --accept \"drop column b.c\""
        );
        let bare = PackageArgs {
            package: Vec::new(),
            manifest_path: None,
            dialect: None,
        };
        let args = Args {
            name: None,
            accept: Vec::new(),
            allow_destructive: false,
            accept_edits: false,
            dry_run: false,
            erd: Default::default(),
        };
        assert_eq!(
            command_line(&args, &bare, false, &["drop table a".into()]),
            "cargo schema generate --accept \"drop table a\""
        );
    }
}

//! squawk, a PostgreSQL migration linter nobody here wrote, over every PostgreSQL migration of
//! the scenario corpus (each scenario's create, up and down files) and of a deterministic sweep
//! of the evolution model's edits: no finding of its lock and safety rules.
//!
//! Install: `pip install squawk-cli` (the test uses `$SQUAWK`, else `squawk` on `PATH`, else
//! `target/ci-venv/bin/squawk` as `.ci/run` installs it, else `bench/.work/venv/bin/squawk`). Without squawk the test fails with `CI` set and is skipped
//! loudly otherwise. Files are linted for PostgreSQL 15 the way the runner applies them: with
//! `--assume-in-transaction`, except files marked `-- schema:no-transaction`.
//!
//! Counted apart, never failed on, always printed: the rules in [`EXCLUDED`] (with reasons),
//! `changing-column-type` on a binary-coercible change (PostgreSQL rewrites nothing), and a
//! finding on a step `generate` refuses until the user accepts it (`--   requires: -- schema:accept`
//! in the step's comment: the user is shown the lock and the alternative and must opt in). Down
//! files are gated the same way: the rollback of a type change or of an added enum value
//! rewrites a table too, and `generate` asks for its acknowledgement before writing the pair.

#[path = "../corpus/mod.rs"]
mod corpus;

use schema_core::model::{RenameHints, Schema};
use schema_core::Dialect;
use schema_tests::evolution::{Edit, Model, EDIT_KINDS};
use schema_tests::scenario::{generate, resolve, Scenario};
use schema_tests::squawk::{self, Finding};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// squawk rules that are not about locks or the safety of applying a migration, each with the
/// reason. Their findings are printed and counted, never failed on. Every other rule squawk
/// enables by default is a lock/safety rule here and must find nothing.
const EXCLUDED: &[(&str, &str)] = &[
    (
        "prefer-bigint-over-int",
        "type choice: the column type is the user's declaration (`i32` maps to `integer`); \
         nothing about how the migration locks or applies",
    ),
    (
        "prefer-bigint-over-smallint",
        "type choice, as prefer-bigint-over-int",
    ),
    (
        "prefer-text-field",
        "type choice: `varchar(n)` appears only where the user wrote `sql_type = \"varchar(n)\"`",
    ),
    (
        "prefer-timestamptz",
        "type choice: `timestamp` is the declared `NaiveDateTime`",
    ),
    (
        "ban-char-field",
        "type choice: `char(n)` only from an explicit `sql_type`",
    ),
    (
        "prefer-identity",
        "type choice: auto_increment already renders as an identity column",
    ),
    (
        "ban-drop-table",
        "data loss, not locking: generate refuses a dropped table until `--allow-destructive` \
         acknowledges it (written into the file), and every down file must drop what its up \
         created",
    ),
    (
        "ban-drop-column",
        "data loss, not locking: refused until acknowledged, as ban-drop-table; a DROP COLUMN \
         itself is metadata-only",
    ),
    (
        "renaming-table",
        "compatibility with old application code, not locking (a rename is metadata-only): \
         renames exist only where the user declared `renamed_from`",
    ),
    (
        "renaming-column",
        "compatibility, as renaming-table: only from an explicit `renamed_from`",
    ),
    (
        "ban-drop-constraint",
        "compatibility (\"may remove a guarantee that existing clients assume\"), not \
         locking: a constraint goes only where the user removed or changed it, or in a down \
         file undoing its up; the re-added form is checked by the lock rules",
    ),
    (
        "ban-drop-default",
        "compatibility, not locking (DROP DEFAULT is metadata-only): the declared default went",
    ),
    (
        "ban-drop-type",
        "compatibility/data loss, not locking: an enum type goes where the user dropped it or \
         where a value change recreates it (the lock rules check the column retyping)",
    ),
    (
        "renaming-object",
        "compatibility, not locking (a rename is metadata-only): types, indexes and \
         constraints renamed with a declared `renamed_from`, or an enum moved aside to be \
         recreated",
    ),
    (
        "require-enum-value-ordering",
        "ordering, not locking: ADD VALUE without BEFORE/AFTER only where the declared value \
         is the last one (a value in the middle gets BEFORE), so the order is the declared one",
    ),
    (
        "require-statement-timeout",
        "not a lock rule here: what blocks other sessions is bounded by `lock_timeout` \
         (require-lock-timeout stays on), and the slow steps of the safe forms (CREATE INDEX \
         CONCURRENTLY, VALIDATE CONSTRAINT) block no writes while they run, so a \
         statement_timeout would only abort them on big tables. squawk accepts any value, \
         so `SET statement_timeout = 0` would silence it without changing anything: not done",
    ),
    (
        "prefer-robust-stmts",
        "re-running is the runner's job, not the SQL's: a no-transaction file (the only kind \
         squawk checks for this) records each statement as done and resumes after the last \
         one (schema-runtime analysis::resume_at), dropping the INVALID index an interrupted \
         CREATE INDEX CONCURRENTLY leaves (session::postgres::drop_invalid_indexes). Residual \
         gap: a crash after a statement commits but before its progress row is written",
    ),
    (
        "ban-drop-not-null",
        "compatibility, not locking (DROP NOT NULL is metadata-only): the user declared the \
         column `Option<T>`; down files must restore a nullable column",
    ),
];

/// Findings counted by file kind or by change.
type Tally<'a> = BTreeMap<&'a str, usize>;

/// One migration file of the corpus: `name` says where it comes from.
struct Migration {
    name: String,
    /// What the file does: `create` (the source from nothing), `up` or `down`.
    kind: &'static str,
    /// The change it comes from, for the counts: the scenario, or the evolution edit kind.
    change: String,
    /// The schema the file is applied to.
    before: Schema,
    sql: String,
}

macro_rules! scenarios {
    ($($group:ident :: $name:ident $(#[$attr:meta])?),* $(,)?) => {
        /// Every scenario of `tests/corpus/`, with its function name (the list of
        /// `corpus::for_each_scenario!`; `listed_scenarios_are_the_whole_corpus` keeps it whole).
        fn scenarios() -> Vec<(&'static str, Scenario)> {
            vec![$((stringify!($name), corpus::$group::$name())),*]
        }
    };
}

corpus::for_each_scenario!(scenarios);

/// The create, up and down files of every corpus scenario that runs on PostgreSQL.
fn corpus_migrations() -> Vec<Migration> {
    let mut out = Vec::new();
    for (name, scenario) in scenarios() {
        if !scenario.dialects.contains(&Dialect::Postgres) {
            continue;
        }
        let (source, _) = resolve(&scenario.source, Dialect::Postgres).expect(name);
        let (target, mut hints) = resolve(&scenario.target, Dialect::Postgres).expect(name);
        hints
            .enum_values
            .extend(scenario.enum_value_renames.iter().cloned());
        let empty = Schema::empty(Dialect::Postgres);
        let (create, _, _) = generate(&empty, &source, &RenameHints::default()).expect(name);
        let (up, down, _) = generate(&source, &target, &hints).expect(name);
        for (kind, before, sql) in [
            ("create", &empty, create),
            ("up", &source, up),
            ("down", &target, down),
        ] {
            out.push(Migration {
                name: name.to_string(),
                kind,
                change: name.to_string(),
                before: before.clone(),
                sql,
            });
        }
    }
    out
}

/// Every edit kind of the evolution model, tried on a few initial models (the shapes
/// `evolution_prop`'s `every_edit_kind_can_apply` uses): the up and down file of each edit that
/// applies, duplicates left out.
fn evolution_migrations() -> Vec<Migration> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut example: BTreeMap<u8, String> = BTreeMap::new();
    for kind in 0..EDIT_KINDS {
        for n in 0..24u16 {
            let mut model = Model::initial(2, &[0, n, n / 2, 3, n, 5, n / 3, 1, 2, n]);
            // Changing a foreign key needs one first; removing an enum value needs a spare one.
            let prerequisite = if kind == 14 { 13 } else { 12 };
            model.apply(Edit {
                kind: prerequisite,
                a: 0,
                b: 0,
                c: 0,
            });
            model.settle();
            let (current, _) = resolve(&model.decls(), Dialect::Postgres).expect("model");
            let Some(what) = model.apply(Edit {
                kind,
                a: n,
                b: n,
                c: n / 4,
            }) else {
                continue;
            };
            let (next, hints) = resolve(&model.decls(), Dialect::Postgres).expect(&what);
            let (up, down, _) = generate(&current, &next, &hints).expect(&what);
            if !seen.insert(up.clone()) {
                continue;
            }
            let name = format!("evolution_k{kind}_n{n}");
            let change = format!(
                "evolution edit {kind} (`{}`)",
                example.entry(kind).or_insert(what.clone())
            );
            out.push(Migration {
                name: name.clone(),
                kind: "up",
                change: change.clone(),
                before: current,
                sql: format!("-- {what}\n{up}"),
            });
            out.push(Migration {
                name,
                kind: "down",
                change,
                before: next,
                sql: down,
            });
        }
    }
    out
}

fn no_transaction(sql: &str) -> bool {
    sql.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with("--"))
        .any(|l| l == schema_core::render::NO_TRANSACTION)
}

/// The statement around `line` (1-based) of `sql`, on one line, for the report.
fn statement_at(sql: &str, line: usize) -> String {
    let lines: Vec<&str> = sql.lines().collect();
    let mut start = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    while start > 0 && !lines[start - 1].trim_end().ends_with(';') {
        start -= 1;
    }
    let mut text = String::new();
    for l in &lines[start..] {
        if l.trim_start().starts_with("--") {
            continue;
        }
        text.push_str(l.trim());
        text.push(' ');
        if l.trim_end().ends_with(';') {
            break;
        }
    }
    let text = text.trim().to_string();
    match text.char_indices().nth(160) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

/// squawk's `changing-column-type` fires on every type change; PostgreSQL rewrites nothing
/// when the old type is binary coercible to the new one with no tighter length: `varchar(n)` ->
/// `varchar(m >= n)`, `varchar` or `text` (a brief ACCESS EXCLUSIVE, which the file's
/// `lock_timeout` bounds; bench/locks measures both cases under 100 ms). Such findings are
/// counted apart. `statement` is one `ALTER TABLE "t" ALTER COLUMN "c" TYPE x` as the renderer
/// writes it; `before` is the schema the file applies to. Anything else (a `USING`, a column
/// renamed in the same file) is not recognised and stays a finding.
fn binary_coercible(before: &Schema, statement: &str) -> bool {
    let Some(rest) = statement.strip_prefix("ALTER TABLE ") else {
        return false;
    };
    let Some((table, rest)) = quoted(rest) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(" ALTER COLUMN ") else {
        return false;
    };
    let Some((column, rest)) = quoted(rest) else {
        return false;
    };
    let Some(new) = rest
        .strip_prefix(" TYPE ")
        .and_then(|t| t.strip_suffix(';'))
    else {
        return false;
    };
    let Some(old) = before
        .tables
        .get(&table)
        .and_then(|t| t.columns.iter().find(|c| c.name == column))
        .map(|c| c.ty.as_str())
    else {
        return false;
    };
    let varchar_len = |ty: &str| {
        ty.strip_prefix("varchar(")
            .and_then(|n| n.strip_suffix(')'))
            .and_then(|n| n.parse::<u32>().ok())
    };
    match (varchar_len(old), new) {
        (Some(_), "text" | "varchar") => true,
        (Some(n), new) => varchar_len(new).is_some_and(|m| m >= n),
        (None, _) => false,
    }
}

/// The `-- schema:accept <key>` the step holding line `line` (1-based) of `sql` requires:
/// the renderer writes `--   requires: -- schema:accept <key>` in the comment block before a
/// step whose change `generate` refuses until the user acknowledges it (`--accept`). `None`
/// for a step without one.
fn required_accept(sql: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = sql.lines().collect();
    let is_comment = |l: &str| l.trim_start().starts_with("--");
    let mut i = line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    // Up through the step's statements, then through its comment block.
    while i > 0 && !is_comment(lines[i]) && !lines[i].trim().is_empty() {
        i -= 1;
    }
    while is_comment(lines[i]) {
        if let Some((_, key)) = lines[i].split_once("requires: -- schema:accept ") {
            return Some(key.trim().to_string());
        }
        if i == 0 {
            break;
        }
        i -= 1;
    }
    None
}

/// `"name"` at the start of `s` (doubled quotes inside), and the rest.
fn quoted(s: &str) -> Option<(String, &str)> {
    let mut chars = s.strip_prefix('"')?.char_indices().peekable();
    let mut name = String::new();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            if chars.peek().map(|&(_, c)| c) == Some('"') {
                chars.next();
                name.push('"');
                continue;
            }
            return Some((name, &s[i + 2..]));
        }
        name.push(c);
    }
    None
}

#[test]
fn squawk_finds_nothing_in_the_corpus() {
    let Some(squawk_bin) = squawk::binary() else {
        let msg = "squawk not found ($SQUAWK, PATH, target/ci-venv/bin, bench/.work/venv/bin): pip install squawk-cli==2.70.0, or run .ci/run once";
        if schema_tests::testdb::in_ci() {
            panic!("{msg}");
        }
        eprintln!("\n*** SKIPPED squawk_finds_nothing_in_the_corpus: {msg} ***\n");
        return;
    };
    let version = squawk::version(&squawk_bin).expect("squawk --version");

    let mut migrations = corpus_migrations();
    let corpus_files = migrations.len();
    migrations.extend(evolution_migrations());
    let dir = tempfile::tempdir().expect("a temporary directory");
    // SQUAWK_KEEP=<dir>: the linted files are left there too, to read or lint by hand.
    let keep = std::env::var_os("SQUAWK_KEEP").map(PathBuf::from);
    let mut by_path: BTreeMap<PathBuf, &Migration> = BTreeMap::new();
    let (mut in_tx, mut no_tx) = (Vec::new(), Vec::new());
    for m in &migrations {
        let path = dir.path().join(format!("{}.{}.sql", m.name, m.kind));
        std::fs::write(&path, &m.sql).expect("writing a migration");
        if let Some(keep) = &keep {
            std::fs::create_dir_all(keep).expect("SQUAWK_KEEP");
            std::fs::write(keep.join(path.file_name().expect("a file name")), &m.sql)
                .expect("writing to SQUAWK_KEEP");
        }
        if no_transaction(&m.sql) {
            no_tx.push(path.clone());
        } else {
            in_tx.push(path.clone());
        }
        by_path.insert(path, m);
    }
    let mut findings = squawk::lint(&squawk_bin, &in_tx, true).expect("squawk");
    findings.extend(squawk::lint(&squawk_bin, &no_tx, false).expect("squawk"));

    // squawk honours `-- squawk-ignore <rule>` comments: a generated file must not silence it.
    let silenced: Vec<String> = migrations
        .iter()
        .flat_map(|m| {
            m.sql
                .lines()
                .filter(|l| l.to_ascii_lowercase().contains("squawk-ignore"))
                .map(move |l| format!("{}.{}.sql: {}", m.name, m.kind, l.trim()))
        })
        .collect();
    assert!(
        silenced.is_empty(),
        "generated migrations silence squawk (list a justified rule in EXCLUDED instead):\n{}",
        silenced.join("\n")
    );

    let excluded: BTreeMap<&str, &str> = EXCLUDED.iter().copied().collect();
    let coercible = |f: &Finding| {
        let m = by_path[&f.file];
        f.rule == "changing-column-type"
            && binary_coercible(&m.before, &statement_at(&m.sql, f.line))
    };
    let no_rewrite = findings.iter().filter(|f| coercible(f)).count();
    // A finding on a step generate refuses until accepted: the user is shown the lock and
    // the alternative and must opt in (`--accept`); counted apart, listed, never silent.
    let gated = |f: &Finding| {
        let m = by_path[&f.file];
        !excluded.contains_key(f.rule.as_str())
            && !coercible(f)
            && required_accept(&m.sql, f.line).is_some()
    };
    let accepted = findings.iter().filter(|f| gated(f)).count();
    let (ignored, real): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .partition(|f| excluded.contains_key(f.rule.as_str()) || coercible(f) || gated(f));

    // Per rule: files by kind (create/up/down), and the changes they come from.
    // The key's second part: "" for a lock/safety finding, else why it does not count.
    let mut counts: BTreeMap<(&str, &str), (Tally, Tally)> = BTreeMap::new();
    for f in &findings {
        let m = by_path[&f.file];
        let class = if excluded.contains_key(f.rule.as_str()) {
            " (excluded)"
        } else if coercible(f) {
            " (binary-coercible: no rewrite)"
        } else if gated(f) {
            " (on a step generate refuses until accepted)"
        } else {
            ""
        };
        let (kinds, changes) = counts.entry((f.rule.as_str(), class)).or_default();
        *kinds.entry(m.kind).or_default() += 1;
        *changes.entry(m.change.as_str()).or_default() += 1;
    }
    let mut report = format!(
        "{version} (--pg-version {}) over {} PostgreSQL migration files ({corpus_files} from \
         {} corpus scenarios: create/up/down; {} from the evolution sweep: up/down; {} marked \
         no-transaction): {} findings, {} of lock/safety rules, {} of excluded rules, \
         {no_rewrite} changing-column-type on binary-coercible changes (no rewrite), \
         {accepted} on steps generate refuses until accepted\n",
        squawk::PG_VERSION,
        migrations.len(),
        corpus_files / 3,
        migrations.len() - corpus_files,
        no_tx.len(),
        findings.len(),
        real.len(),
        ignored.len() - no_rewrite - accepted,
    );
    for ((rule, class), (kinds, changes)) in &counts {
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let total: usize = changes.values().sum();
        if !class.is_empty() && !class.contains("accepted") {
            report.push_str(&format!("  {rule}{class}: {total}: {}\n", kinds.join(", ")));
            continue;
        }
        let mut changes: Vec<String> = changes
            .iter()
            .map(|(c, n)| {
                if *n > 1 {
                    format!("{c} x{n}")
                } else {
                    c.to_string()
                }
            })
            .collect();
        if changes.len() > 25 {
            let more = changes.len() - 25;
            changes.truncate(25);
            changes.push(format!("and {more} more"));
        }
        report.push_str(&format!(
            "  {rule}{class}: {total}: {}\n      from: {}\n",
            kinds.join(", "),
            changes.join(", ")
        ));
    }
    let mut details = String::new();
    for f in &real {
        let m = by_path[&f.file];
        details.push_str(&format!(
            "{}.{}.sql:{}: {}: {}\n    {}\n",
            m.name,
            m.kind,
            f.line,
            f.rule,
            f.message,
            statement_at(&m.sql, f.line)
        ));
    }
    if real.is_empty() {
        eprintln!("{report}");
    }
    assert!(
        real.is_empty(),
        "{report}\nlock/safety findings (file:line: rule: message, then the statement):\n{details}"
    );
}

/// The scenario list (`for_each_scenario!` in `tests/corpus/mod.rs`) is the whole corpus:
/// every `pub fn name() -> Scenario` in `tests/corpus/*.rs` is in it.
#[test]
fn listed_scenarios_are_the_whole_corpus() {
    let listed: BTreeSet<&str> = scenarios().into_iter().map(|(name, _)| name).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut missing = Vec::new();
    let mut found = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/corpus") {
        let path = entry.expect("a corpus file").path();
        let text = std::fs::read_to_string(&path).expect("a corpus file");
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("pub fn ") else {
                continue;
            };
            let Some((name, signature)) = rest.split_once('(') else {
                continue;
            };
            if !signature.contains("-> Scenario") {
                continue;
            }
            found += 1;
            if !listed.contains(name) {
                missing.push(format!("{} in {}", name, path.display()));
            }
        }
    }
    assert!(
        found >= 40,
        "only {found} scenario functions found in {}",
        dir.display()
    );
    assert!(
        missing.is_empty(),
        "scenarios missing from for_each_scenario! in tests/corpus/mod.rs: {missing:?}"
    );
}

#[test]
fn binary_coercible_type_changes() {
    use schema_core::decl::TypeDecl::{Sql, String as Text, I32};
    use schema_tests::build::{col, decls, table};
    let before = resolve(
        &decls(
            vec![],
            vec![table("t")
                .col(col("v", Sql("varchar(50)".into())))
                .col(col("n", I32))
                .col(col("s", Text))],
        ),
        Dialect::Postgres,
    )
    .unwrap()
    .0;
    let ok = |sql: &str| binary_coercible(&before, sql);
    assert!(ok(r#"ALTER TABLE "t" ALTER COLUMN "v" TYPE text;"#));
    assert!(ok(r#"ALTER TABLE "t" ALTER COLUMN "v" TYPE varchar(100);"#));
    assert!(!ok(r#"ALTER TABLE "t" ALTER COLUMN "v" TYPE varchar(20);"#));
    assert!(!ok(r#"ALTER TABLE "t" ALTER COLUMN "n" TYPE bigint;"#));
    assert!(!ok(
        r#"ALTER TABLE "t" ALTER COLUMN "s" TYPE varchar(100);"#
    ));
    assert!(!ok(
        r#"ALTER TABLE "t" ALTER COLUMN "v" TYPE text USING "v"::text;"#
    ));
    assert!(!ok(r#"ALTER TABLE "t" ALTER COLUMN "gone" TYPE text;"#));
    assert_eq!(
        quoted(r#""a""b" rest"#),
        Some((r#"a"b"#.to_string(), " rest"))
    );
}

#[test]
fn step_acceptance() {
    let sql = "SET LOCAL lock_timeout = '2s';\n\n-- alter column t.a: type integer -> bigint (needs care)\n--   rewrites\n--   requires: -- schema:accept alter column t.a\nALTER TABLE \"t\" ALTER COLUMN \"a\" TYPE bigint;\nSELECT 1;\n\n-- add column t.b (safe)\nALTER TABLE \"t\" ADD COLUMN \"b\" text;\n";
    assert_eq!(required_accept(sql, 6).as_deref(), Some("alter column t.a"));
    assert_eq!(required_accept(sql, 7).as_deref(), Some("alter column t.a"));
    assert_eq!(required_accept(sql, 10), None);
    assert_eq!(required_accept(sql, 1), None);
}

#[test]
fn directive_detection() {
    assert!(no_transaction(
        "-- generated\n-- schema:no-transaction\n\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
    ));
    assert!(!no_transaction(
        "CREATE INDEX i ON t (a);\n-- schema:no-transaction\n"
    ));
    assert_eq!(
        statement_at(
            "SET x = 1;\nALTER TABLE t\n  ADD COLUMN c int;\nSELECT 1;\n",
            3
        ),
        "ALTER TABLE t ADD COLUMN c int;"
    );
}

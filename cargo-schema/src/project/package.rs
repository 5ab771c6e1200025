//! Finding the packages to act on (the manifest itself, or cargo_metadata; never a build) and
//! reading their `[package.metadata.schema]`.

use crate::cli::PackageArgs;
use crate::error::CliError;
use crate::output::display_path;
use crate::project::manifest;
use crate::project::settings;
use cargo_metadata::{Metadata, MetadataCommand, Package};
use schema_core::plan::Target;
use schema_core::Dialect;
use std::path::{Path, PathBuf};

/// A package that declares `[package.metadata.schema]`.
#[derive(Clone, Debug)]
pub struct SchemaPackage {
    pub name: String,
    pub manifest_path: PathBuf,
    /// The folder holding Cargo.toml.
    pub root: PathBuf,
    /// Root files of the lib and bin targets (`src/lib.rs`, `src/main.rs`, ...).
    pub source_roots: Vec<PathBuf>,
    pub targets: Vec<SchemaTarget>,
}

/// One database the package ships to: a dialect and its migrations folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaTarget {
    pub dialect: Dialect,
    /// Absolute path of the migrations folder.
    pub migrations: PathBuf,
    /// PostgreSQL version and lock budgets (`postgres_version`, `lock_timeout`, ...).
    pub safety: Target,
}

const EXAMPLE: &str = "[package.metadata.schema]\ndialect = \"postgres\"      # or \"sqlite\", \"mysql\"\nmigrations = \"migrations\"";

/// The packages selected by `-p`/`--manifest-path` (or the current directory), with only the
/// targets of `--dialect` when given.
pub fn select(args: &PackageArgs) -> Result<Vec<SchemaPackage>, CliError> {
    // The common case, one package named by its manifest (or the current directory's), is
    // read straight from Cargo.toml: `cargo metadata` costs a process and ~20-30 ms. Anything
    // else, or anything unusual about that manifest, is cargo's to decide.
    let direct = if args.package.is_empty() {
        manifest::read_direct(args.manifest_path.as_deref())
    } else {
        None
    };
    let metadata = match direct {
        Some(_) => None,
        None => Some(load_metadata(args.manifest_path.as_deref())?),
    };
    let wanted_dialect = match &args.dialect {
        Some(d) => Some(
            d.parse::<Dialect>()
                .map_err(|e| CliError::new(format!("--dialect: {e}")))?,
        ),
        None => None,
    };
    let mut packages = Vec::new();
    match (direct, &metadata) {
        (Some(direct), _) => packages.push(schema_package(
            &direct.name,
            direct.manifest_path,
            direct.schema.as_ref(),
            direct.source_roots,
        )?),
        (None, Some(metadata)) => {
            for package in choose_packages(metadata, args)? {
                packages.push(read_package(package)?);
            }
        }
        (None, None) => {}
    }
    let Some(dialect) = wanted_dialect else {
        return Ok(packages);
    };
    // `--dialect` narrows every selected package to that target; packages without one are
    // left out, and it is an error only when nothing is left.
    let first = packages
        .first()
        .map(|p| (p.name.clone(), p.manifest_path.clone()));
    for package in &mut packages {
        package.targets.retain(|t| t.dialect == dialect);
    }
    packages.retain(|p| !p.targets.is_empty());
    match (packages.is_empty(), first) {
        (true, Some((name, manifest))) => Err(CliError::new(format!(
            "package `{name}` has no `{dialect}` target"
        ))
        .hint(format!(
            "add a `[[package.metadata.schema.target]]` with `dialect = \"{dialect}\"` to {}, or drop `--dialect`",
            display_path(&manifest)
        ))),
        _ => Ok(packages),
    }
}

fn load_metadata(manifest_path: Option<&Path>) -> Result<Metadata, CliError> {
    let mut command = MetadataCommand::new();
    command.no_deps();
    if let Some(path) = manifest_path {
        command.manifest_path(path);
    }
    command.exec().map_err(|e| {
        let place = manifest_path
            .map(display_path)
            .unwrap_or_else(|| "the current directory".to_string());
        CliError::new(format!("cannot read the cargo workspace at {place}: {e}")).hint(
            "run inside a cargo package, or point at one with `--manifest-path path/to/Cargo.toml`",
        )
    })
}

fn choose_packages<'m>(
    metadata: &'m Metadata,
    args: &PackageArgs,
) -> Result<Vec<&'m Package>, CliError> {
    let members = metadata.workspace_packages();
    if !args.package.is_empty() {
        let mut chosen = Vec::new();
        for spec in &args.package {
            let name = spec.split('@').next().unwrap_or(spec);
            match members.iter().find(|p| p.name.as_str() == name) {
                Some(p) => chosen.push(*p),
                None => {
                    let names: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
                    return Err(CliError::new(format!(
                        "package `{name}` is not a member of this workspace"
                    ))
                    .hint(format!("members: {}", names.join(", "))));
                }
            }
        }
        return Ok(chosen);
    }
    // The package of the given manifest (or of the current directory), as cargo does; a
    // virtual workspace root means every member that declares a schema.
    if let Some(package) = focused_package(&members, args.manifest_path.as_deref()) {
        return Ok(vec![package]);
    }
    let with_schema: Vec<&Package> = members
        .iter()
        .copied()
        .filter(|p| schema_value(p).is_some())
        .collect();
    if with_schema.is_empty() {
        return Err(
            CliError::new("no package in this workspace has `[package.metadata.schema]`").hint(
                format!("add to the Cargo.toml of the package that holds the structs:\n{EXAMPLE}"),
            ),
        );
    }
    Ok(with_schema)
}

/// The member named by `--manifest-path`, or else the member whose folder holds the current
/// directory (the innermost one); `None` at a virtual workspace root.
fn focused_package<'m>(
    members: &[&'m Package],
    manifest_path: Option<&Path>,
) -> Option<&'m Package> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    match manifest_path {
        Some(manifest) => {
            let manifest = canonical(manifest);
            members
                .iter()
                .copied()
                .find(|p| canonical(p.manifest_path.as_std_path()) == manifest)
        }
        None => {
            let cwd = canonical(&std::env::current_dir().ok()?);
            members
                .iter()
                .copied()
                .filter_map(|p| {
                    let root = canonical(p.manifest_path.parent()?.as_std_path());
                    cwd.starts_with(&root)
                        .then_some((root.components().count(), p))
                })
                .max_by_key(|(depth, _)| *depth)
                .map(|(_, p)| p)
        }
    }
}

fn schema_value(package: &Package) -> Option<&serde_json::Value> {
    package.metadata.get("schema")
}

fn read_package(package: &Package) -> Result<SchemaPackage, CliError> {
    let source_roots = package
        .targets
        .iter()
        .filter(|t| t.is_lib() || t.is_bin() || t.is_rlib() || t.is_proc_macro())
        .map(|t| t.src_path.clone().into_std_path_buf())
        .collect();
    schema_package(
        &package.name,
        package.manifest_path.clone().into_std_path_buf(),
        schema_value(package),
        source_roots,
    )
}

/// A package from what cargo (or [`manifest::read_direct`]) says about it.
fn schema_package(
    name: &str,
    manifest_path: PathBuf,
    schema: Option<&serde_json::Value>,
    source_roots: Vec<PathBuf>,
) -> Result<SchemaPackage, CliError> {
    let root = manifest_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let Some(value) = schema else {
        return Err(CliError::new(format!(
            "package `{name}` has no `[package.metadata.schema]` in {}",
            display_path(&manifest_path)
        ))
        .hint(format!("add:\n{EXAMPLE}")));
    };
    let targets = parse_targets(value, &root).map_err(|message| {
        CliError::new(format!(
            "{}: `[package.metadata.schema]`: {message}",
            display_path(&manifest_path)
        ))
        .hint(format!("the expected form is:\n{EXAMPLE}"))
    })?;
    Ok(SchemaPackage {
        name: name.to_string(),
        manifest_path,
        root,
        source_roots,
        targets,
    })
}

/// Parses the metadata table: either `dialect` + `migrations`, or a `target` array of them.
pub fn parse_targets(value: &serde_json::Value, root: &Path) -> Result<Vec<SchemaTarget>, String> {
    let table = value
        .as_object()
        .ok_or("expected a table with `dialect` (and optionally `migrations`)")?;
    for key in table.keys() {
        if !matches!(key.as_str(), "dialect" | "migrations" | "target")
            && !settings::KEYS.contains(&key.as_str())
        {
            return Err(format!(
                "unknown key `{key}`: expected `dialect`, `migrations`, `{}` or `[[package.metadata.schema.target]]`",
                settings::KEYS.join("`, `")
            ));
        }
    }
    let package_safety = settings::read(table, Target::default())?;
    let targets = match table.get("target") {
        Some(list) => {
            if table.contains_key("dialect") || table.contains_key("migrations") {
                return Err("use either `dialect`/`migrations` or `[[package.metadata.schema.target]]` tables, not both".into());
            }
            let list = list.as_array().ok_or(
                "`target` must be an array of tables: `[[package.metadata.schema.target]]`",
            )?;
            if list.is_empty() {
                return Err(
                    "`target` is empty: add at least one `[[package.metadata.schema.target]]`"
                        .into(),
                );
            }
            list.iter()
                .map(|t| parse_target(t, root, package_safety))
                .collect::<Result<Vec<_>, _>>()?
        }
        None => vec![parse_target(value, root, Target::default())?],
    };
    for (i, a) in targets.iter().enumerate() {
        if targets[..i].iter().any(|b| b.migrations == a.migrations) {
            return Err(format!(
                "two targets share the migrations folder {}: give each target its own `migrations`",
                display_path(&a.migrations)
            ));
        }
    }
    Ok(targets)
}

fn parse_target(
    value: &serde_json::Value,
    root: &Path,
    base: Target,
) -> Result<SchemaTarget, String> {
    let table = value.as_object().ok_or("each target must be a table")?;
    for key in table.keys() {
        if !matches!(key.as_str(), "dialect" | "migrations")
            && !settings::KEYS.contains(&key.as_str())
        {
            return Err(format!(
                "unknown key `{key}`: expected `dialect`, `migrations` or `{}`",
                settings::KEYS.join("`, `")
            ));
        }
    }
    let safety = settings::read(table, base)?;
    let dialect = match table.get("dialect") {
        Some(serde_json::Value::String(s)) => s.parse::<Dialect>().map_err(|e| e.to_string())?,
        Some(_) => {
            return Err("`dialect` must be a string: \"postgres\", \"sqlite\" or \"mysql\"".into())
        }
        None => return Err("missing `dialect`: \"postgres\", \"sqlite\" or \"mysql\"".into()),
    };
    let migrations = match table.get("migrations") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(_) => {
            return Err("`migrations` must be a folder path, relative to the package root".into())
        }
        None => "migrations".to_string(),
    };
    Ok(SchemaTarget {
        dialect,
        migrations: root.join(migrations),
        safety,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn root() -> PathBuf {
        PathBuf::from("/pkg")
    }

    #[test]
    fn single_form_defaults_the_folder() {
        let targets = parse_targets(&json!({"dialect": "postgres"}), &root()).expect("valid");
        assert_eq!(
            targets,
            [SchemaTarget {
                dialect: Dialect::Postgres,
                migrations: PathBuf::from("/pkg/migrations"),
                safety: Target::default(),
            }]
        );
    }

    #[test]
    fn target_tables_give_one_target_each() {
        let value = json!({"target": [
            {"dialect": "sqlite", "migrations": "migrations/sqlite"},
            {"dialect": "postgres", "migrations": "migrations/postgres"},
        ]});
        let targets = parse_targets(&value, &root()).expect("valid");
        assert_eq!(targets.len(), 2);
        assert_eq!(targets[1].dialect, Dialect::Postgres);
        assert_eq!(
            targets[0].migrations,
            PathBuf::from("/pkg/migrations/sqlite")
        );
    }

    #[test]
    fn safety_keys_apply_to_every_target_and_a_target_overrides_them() {
        let value = json!({"postgres_version": 12, "lock_timeout": "1s", "target": [
            {"dialect": "postgres", "migrations": "a"},
            {"dialect": "postgres", "migrations": "b", "postgres_version": 16},
        ]});
        let targets = parse_targets(&value, &root()).expect("valid");
        assert_eq!(targets[0].safety.postgres_version, 12);
        assert_eq!(targets[1].safety.postgres_version, 16);
        assert_eq!(targets[1].safety.lock_timeout_ms, 1000);
        let single = parse_targets(
            &json!({"dialect": "postgres", "postgres_version": 11}),
            &root(),
        )
        .expect("valid");
        assert_eq!(single[0].safety.postgres_version, 11);
    }

    #[test]
    fn unknown_dialect_names_the_choices() {
        let err = parse_targets(&json!({"dialect": "oracle"}), &root()).unwrap_err();
        assert!(
            err.contains("`oracle`") && err.contains("postgres"),
            "{err}"
        );
    }

    #[test]
    fn rejects_typos_mixed_forms_and_shared_folders() {
        assert!(parse_targets(&json!({"dialekt": "sqlite"}), &root())
            .unwrap_err()
            .contains("`dialekt`"));
        assert!(parse_targets(
            &json!({"dialect": "sqlite", "target": [{"dialect": "sqlite"}]}),
            &root()
        )
        .unwrap_err()
        .contains("not both"));
        assert!(parse_targets(
            &json!({"target": [{"dialect": "sqlite"}, {"dialect": "postgres"}]}),
            &root()
        )
        .unwrap_err()
        .contains("share"));
        assert!(parse_targets(&json!({"migrations": "m"}), &root())
            .unwrap_err()
            .contains("missing `dialect`"));
    }
}

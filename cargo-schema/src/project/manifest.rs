//! Reading one package straight from its `Cargo.toml`, without spawning `cargo metadata`
//! (~20-30 ms per command), in the common case where the answer is not in doubt: no `-p`, and
//! either `--manifest-path` or a `Cargo.toml` in the current directory that has `[package]`.
//!
//! It gives what `cargo metadata --no-deps` would give for that package (name, manifest path,
//! `[package.metadata.schema]` as JSON, the root files of the lib and bin targets, in cargo's
//! order) or `None` whenever anything is unusual, so that cargo decides and reports its own
//! errors: a file cargo would not read or that is not valid TOML, edition 2015, a
//! `package.workspace` key, a member an ancestor workspace does not list by path or glob, a
//! path dependency whose manifest is missing, a target whose path cargo would have to infer
//! with its legacy rules.

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use toml::{Table, Value};

/// What `cargo metadata` would report about the one package of a manifest.
#[derive(Debug, PartialEq)]
pub struct DirectPackage {
    pub name: String,
    pub manifest_path: PathBuf,
    /// `[package.metadata.schema]`, as cargo would serialize it.
    pub schema: Option<Json>,
    /// Root files of the lib and bin targets, in cargo's order (lib, then bins by name).
    pub source_roots: Vec<PathBuf>,
}

/// The package of `manifest_path` (or of `./Cargo.toml`), when it can be read without cargo.
pub fn read_direct(manifest_path: Option<&Path>) -> Option<DirectPackage> {
    let cwd = std::env::current_dir().ok()?;
    let manifest = match manifest_path {
        Some(path) => {
            if path.file_name()? != "Cargo.toml" {
                return None;
            }
            normalize(&cwd.join(path))
        }
        None => cwd.join("Cargo.toml"),
    };
    read_manifest(&manifest)
}

fn read_manifest(manifest: &Path) -> Option<DirectPackage> {
    let doc = parse(manifest)?;
    let package = doc.get("package")?.as_table()?;
    let name = package.get("name")?.as_str()?.to_string();
    // A name cargo would refuse is cargo's to report.
    let first = name.chars().next()?;
    if first.is_ascii_digit()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    if package.contains_key("workspace") {
        return None;
    }
    let root = manifest.parent()?;
    // The workspace this package belongs to: itself, an ancestor that lists it, or none.
    let ancestor;
    let workspace: Option<(&Table, &Path)> = if let Some(ws) = doc.get("workspace") {
        Some((ws.as_table()?, root))
    } else {
        ancestor = find_workspace_root(manifest)?;
        match &ancestor {
            Some((doc, dir)) => Some((doc.get("workspace")?.as_table()?, dir.as_path())),
            None => None,
        }
    };
    let inherited =
        |key: &str| -> Option<&Value> { workspace?.0.get("package")?.as_table()?.get(key) };
    let edition = match package.get("edition")? {
        Value::String(s) => s.as_str(),
        Value::Table(t) if is_workspace_true(t) => inherited("edition")?.as_str()?,
        _ => return None,
    };
    if !matches!(edition, "2018" | "2021" | "2024") {
        return None;
    }
    if !path_dependencies_exist(&doc, root, workspace) {
        return None;
    }
    let schema = match package.get("metadata") {
        Some(metadata) => metadata.as_table()?.get("schema").map(to_json),
        None => None,
    };
    Some(DirectPackage {
        name: name.clone(),
        manifest_path: manifest.to_path_buf(),
        schema,
        source_roots: source_roots(&doc, package, &name, root)?,
    })
}

fn parse(manifest: &Path) -> Option<Table> {
    std::fs::read_to_string(manifest).ok()?.parse().ok()
}

fn is_workspace_true(table: &Table) -> bool {
    table.len() == 1 && table.get("workspace").and_then(Value::as_bool) == Some(true)
}

/// Cargo's search for the workspace root of a package that has no `[workspace]` itself:
/// the nearest ancestor `Cargo.toml` with a `[workspace]` that does not exclude it.
/// `Some(None)`: no workspace; `Some(Some(root))`: a root that lists the package in
/// `members`; `None`: anything else (cargo decides: path-dependency members, errors).
fn find_workspace_root(manifest: &Path) -> Option<Option<(Table, PathBuf)>> {
    let package_dir = manifest.parent()?;
    for dir in package_dir.ancestors().skip(1) {
        let candidate = dir.join("Cargo.toml");
        if !candidate.is_file() {
            continue;
        }
        let doc = parse(&candidate)?;
        let Some(workspace) = doc.get("workspace") else {
            continue;
        };
        let workspace = workspace.as_table()?;
        let members = strings(workspace.get("members"))?;
        let exclude = strings(workspace.get("exclude"))?;
        let explicit = members
            .iter()
            .any(|m| package_dir.starts_with(normalize(&dir.join(m))));
        let excluded = exclude
            .iter()
            .any(|e| package_dir.starts_with(normalize(&dir.join(e))));
        if excluded && !explicit {
            continue;
        }
        let relative = package_dir.strip_prefix(dir).ok()?;
        let listed = members
            .iter()
            .any(|m| matches_member(m, relative).unwrap_or(false));
        return listed.then_some(Some((doc, dir.to_path_buf())));
    }
    Some(None)
}

fn strings(value: Option<&Value>) -> Option<Vec<&str>> {
    match value {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(Value::as_str).collect(),
        Some(_) => None,
    }
}

/// Whether the member pattern `pattern` (a path, whose components may hold `*` and `?`)
/// names the folder `relative`; `None` for patterns this reader does not handle.
fn matches_member(pattern: &str, relative: &Path) -> Option<bool> {
    if pattern.contains(['[', ']', '{', '}', '\\']) || pattern.contains("**") {
        return None;
    }
    let pattern: Vec<&str> = pattern
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    if pattern.contains(&"..") {
        return None;
    }
    let mut folders = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(c) => folders.push(c.to_str()?),
            _ => return None,
        }
    }
    Some(
        pattern.len() == folders.len()
            && pattern
                .iter()
                .zip(&folders)
                .all(|(p, f)| wildcard(p.as_bytes(), f.as_bytes())),
    )
}

/// Glob match of one path component: `*` any run, `?` one character (the glob crate's
/// default options, as cargo uses them).
fn wildcard(pattern: &[u8], name: &[u8]) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern, name)
}

/// Every `path` dependency (and every inherited one) has a `Cargo.toml` where it points: cargo
/// reads those manifests and fails when one is missing.
fn path_dependencies_exist(doc: &Table, root: &Path, workspace: Option<(&Table, &Path)>) -> bool {
    let mut tables: Vec<&Table> = Vec::new();
    let kinds = [
        "dependencies",
        "dev-dependencies",
        "dev_dependencies",
        "build-dependencies",
        "build_dependencies",
    ];
    fn collect<'t>(from: &'t Table, kinds: &[&str], tables: &mut Vec<&'t Table>) -> bool {
        for kind in kinds {
            match from.get(*kind) {
                None => {}
                Some(Value::Table(t)) => tables.push(t),
                Some(_) => return false,
            }
        }
        true
    }
    if !collect(doc, &kinds, &mut tables) {
        return false;
    }
    if let Some(targets) = doc.get("target") {
        let Some(targets) = targets.as_table() else {
            return false;
        };
        for platform in targets.values() {
            let Some(platform) = platform.as_table() else {
                return false;
            };
            if !collect(platform, &kinds, &mut tables) {
                return false;
            }
        }
    }
    let exists = |base: &Path, dep: &Table| match dep.get("path") {
        None => true,
        Some(Value::String(p)) => base.join(p).join("Cargo.toml").is_file(),
        Some(_) => false,
    };
    for table in tables {
        for (name, dep) in table {
            let Value::Table(dep) = dep else {
                continue;
            };
            if dep.get("workspace").and_then(Value::as_bool) == Some(true) {
                let Some((ws, ws_root)) = workspace else {
                    return false;
                };
                let shared = ws
                    .get("dependencies")
                    .and_then(Value::as_table)
                    .and_then(|d| d.get(name));
                match shared {
                    Some(Value::Table(shared)) if exists(ws_root, shared) => {}
                    Some(Value::String(_)) => {}
                    _ => return false,
                }
            } else if !exists(root, dep) {
                return false;
            }
        }
    }
    // The workspace's own path dependencies are read as well.
    if let Some((ws, ws_root)) = workspace {
        if let Some(Value::Table(shared)) = ws.get("dependencies") {
            for dep in shared.values() {
                if let Value::Table(dep) = dep {
                    if !exists(ws_root, dep) {
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// The lib target (if its kind is one `cargo schema` reads) and the bin targets, as cargo
/// infers and sorts them for edition 2018 and later.
fn source_roots(doc: &Table, package: &Table, name: &str, root: &Path) -> Option<Vec<PathBuf>> {
    let flag = |key: &str| -> Option<bool> {
        match package.get(key) {
            None => Some(true),
            Some(v) => v.as_bool(),
        }
    };
    let (autolib, autobins) = (flag("autolib")?, flag("autobins")?);
    let src = root.join("src");
    let mut roots = Vec::new();

    let inferred_lib = src.join("lib.rs");
    let lib_path = match doc.get("lib") {
        Some(lib) => {
            let lib = lib.as_table()?;
            let read = lib_kind_is_read(lib)?;
            let path = match lib.get("path") {
                Some(path) => normalize(&root.join(path.as_str()?)),
                None if autolib && inferred_lib.is_file() => inferred_lib,
                None => return None,
            };
            read.then_some(path)
        }
        None => (autolib && inferred_lib.is_file()).then_some(inferred_lib),
    };
    roots.extend(lib_path);

    // Bins cargo finds by itself: src/main.rs, src/bin/*.rs, src/bin/*/main.rs.
    let mut inferred: BTreeMap<String, PathBuf> = BTreeMap::new();
    let main = src.join("main.rs");
    if main.is_file() {
        inferred.insert(name.to_string(), main);
    }
    if let Ok(entries) = std::fs::read_dir(src.join("bin")) {
        for entry in entries {
            let path = entry.ok()?.path();
            let stem = if path.is_dir() {
                if !path.join("main.rs").is_file() {
                    continue;
                }
                path.file_name()?.to_str()?.to_string()
            } else if path.extension().is_some_and(|e| e == "rs") {
                path.file_stem()?.to_str()?.to_string()
            } else {
                continue;
            };
            let file = if path.is_dir() {
                path.join("main.rs")
            } else {
                path
            };
            // Two bins of one name (src/bin/x.rs and src/bin/x/main.rs) is cargo's error.
            if inferred.insert(stem, file).is_some() {
                return None;
            }
        }
    }

    let mut bins: BTreeMap<String, PathBuf> = BTreeMap::new();
    match doc.get("bin") {
        None => {}
        Some(Value::Array(explicit)) => {
            for bin in explicit {
                let bin = bin.as_table()?;
                let bin_name = bin.get("name")?.as_str()?;
                let path = match bin.get("path") {
                    Some(path) => normalize(&root.join(path.as_str()?)),
                    None => inferred.get(bin_name)?.clone(),
                };
                if bins.insert(bin_name.to_string(), path).is_some() {
                    return None;
                }
            }
        }
        Some(_) => return None,
    }
    if autobins {
        let explicit_paths: Vec<PathBuf> = bins.values().cloned().collect();
        for (bin_name, path) in inferred {
            if !bins.contains_key(&bin_name) && !explicit_paths.contains(&path) {
                bins.insert(bin_name, path);
            }
        }
    }
    roots.extend(bins.into_values());
    if roots.is_empty() {
        // "no targets specified in the manifest": cargo's error.
        return None;
    }
    Some(roots)
}

/// Whether a `[lib]` of this `crate-type` is one `cargo schema` reads (lib, rlib or
/// proc-macro, as with `cargo metadata`'s target kinds); `None` when the table is not valid.
fn lib_kind_is_read(lib: &Table) -> Option<bool> {
    let proc_macro = match (lib.get("proc-macro"), lib.get("proc_macro")) {
        (None, None) => false,
        (Some(v), None) | (None, Some(v)) => v.as_bool()?,
        (Some(_), Some(_)) => return None,
    };
    let kinds = match (lib.get("crate-type"), lib.get("crate_type")) {
        (None, None) => return Some(true),
        (Some(v), None) | (None, Some(v)) => strings(Some(v))?,
        (Some(_), Some(_)) => return None,
    };
    if proc_macro || kinds.is_empty() {
        return None;
    }
    Some(
        kinds
            .iter()
            .any(|k| matches!(*k, "lib" | "rlib" | "proc-macro")),
    )
}

/// `a/./b/../c` -> `a/c`, without touching the file system (as cargo does with paths it is given).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A TOML value as `cargo metadata` prints it (datetimes as cargo's private wrapper table).
fn to_json(value: &Value) -> Json {
    match value {
        Value::String(s) => Json::String(s.clone()),
        Value::Integer(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Boolean(b) => Json::Bool(*b),
        Value::Datetime(d) => {
            let mut wrapper = serde_json::Map::new();
            wrapper.insert(
                "$__toml_private_datetime".to_string(),
                Json::String(d.to_string()),
            );
            Json::Object(wrapper)
        }
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Table(table) => {
            Json::Object(table.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    /// What `cargo metadata --no-deps` says about the package of `manifest`, in the shape of
    /// a [`DirectPackage`] (`None`: cargo refuses the manifest).
    fn from_cargo(manifest: &Path) -> Option<DirectPackage> {
        let metadata = cargo_metadata::MetadataCommand::new()
            .no_deps()
            .manifest_path(manifest)
            .exec()
            .ok()?;
        let package = metadata
            .workspace_packages()
            .into_iter()
            .find(|p| p.manifest_path.as_std_path() == manifest)
            .expect("the package is a member");
        Some(DirectPackage {
            name: package.name.to_string(),
            manifest_path: package.manifest_path.clone().into_std_path_buf(),
            schema: package.metadata.get("schema").cloned(),
            source_roots: package
                .targets
                .iter()
                .filter(|t| t.is_lib() || t.is_bin() || t.is_rlib() || t.is_proc_macro())
                .map(|t| t.src_path.clone().into_std_path_buf())
                .collect(),
        })
    }

    /// Reads `rel` (a manifest under `root`) directly and checks it against cargo; returns
    /// whether the direct reading applied.
    #[track_caller]
    fn agrees_with_cargo(root: &Path, rel: &str) -> bool {
        let manifest = root.join(rel);
        let direct = read_manifest(&manifest);
        let cargo = from_cargo(&manifest);
        match direct {
            Some(direct) => {
                assert_eq!(Some(&direct), cargo.as_ref(), "{rel}");
                // Same JSON text too: key order decides which unknown key is reported first.
                assert_eq!(
                    serde_json::to_string(&direct.schema).expect("json"),
                    serde_json::to_string(&cargo.expect("cargo read it").schema).expect("json")
                );
                true
            }
            None => false,
        }
    }

    const PACKAGE: &str = "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

    #[test]
    fn a_plain_package_reads_like_cargo_metadata() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        write(
            &root,
            "Cargo.toml",
            &format!(
                "{PACKAGE}\n[workspace]\n\n[package.metadata.schema]\nzeta = 1\ndialect = \"sqlite\"\n\
                 alpha = {{ z = 1.5, a = [true, \"x\"] }}\nwhen = 1979-05-27T07:32:00Z\n\n\
                 [[package.metadata.schema.target]]\ndialect = \"postgres\"\n"
            ),
        );
        write(&root, "src/lib.rs", "");
        assert!(agrees_with_cargo(&root, "Cargo.toml"));
        // No metadata at all.
        write(&root, "Cargo.toml", &format!("{PACKAGE}\n[workspace]\n"));
        assert!(agrees_with_cargo(&root, "Cargo.toml"));
    }

    #[test]
    fn targets_are_found_and_ordered_like_cargo() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        for file in [
            "src/lib.rs",
            "src/main.rs",
            "src/bin/b.rs",
            "src/bin/a.rs",
            "src/bin/zz/main.rs",
            "src/other.rs",
            "x.rs",
            "examples/e.rs",
            "tests/t.rs",
            "build.rs",
        ] {
            write(&root, file, "");
        }
        fs::create_dir_all(root.join("src/bin/no_main")).expect("mkdir");
        write(&root, "Cargo.toml", &format!("{PACKAGE}\n[workspace]\n"));
        assert!(agrees_with_cargo(&root, "Cargo.toml"));
        let bins = "[[bin]]\nname = \"zzz\"\npath = \"x.rs\"\n\n[[bin]]\nname = \"b\"\npath = \"src/other.rs\"\n\n\
                    [[bin]]\nname = \"custom\"\npath = \"./src/main.rs\"\n\n[[bin]]\nname = \"zz\"\n\n\
                    [[bin]]\nname = \"ghost\"\npath = \"src/../nowhere.rs\"\n";
        write(
            &root,
            "Cargo.toml",
            &format!("{PACKAGE}\n[workspace]\n\n{bins}"),
        );
        assert!(agrees_with_cargo(&root, "Cargo.toml"));
        // Kinds of lib cargo schema does not read, a lib elsewhere, no automatic bins.
        for lib in [
            "[lib]\ncrate-type = [\"cdylib\"]\n",
            "[lib]\ncrate-type = [\"cdylib\", \"rlib\"]\n",
            "[lib]\nproc-macro = true\n",
            "[lib]\npath = \"src/other.rs\"\n",
        ] {
            write(
                &root,
                "Cargo.toml",
                &format!("{PACKAGE}\n[workspace]\n\n{lib}"),
            );
            assert!(agrees_with_cargo(&root, "Cargo.toml"), "{lib}");
        }
        write(
            &root,
            "Cargo.toml",
            &format!("{PACKAGE}autobins = false\n\n[workspace]\n\n[[bin]]\nname = \"b\"\n"),
        );
        assert!(agrees_with_cargo(&root, "Cargo.toml"));
    }

    #[test]
    fn workspace_members_are_read_when_the_root_lists_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        write(
            &root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\", \"tools/one\"]\nexclude = [\"crates/skipped\"]\n\n\
             [workspace.package]\nedition = \"2021\"\n\n[workspace.dependencies]\nshared = { path = \"crates/shared\" }\n",
        );
        let member = "[package]\nname = \"NAME\"\nversion = \"0.1.0\"\nedition.workspace = true\n\n\
                      [dependencies]\nshared.workspace = true\n\n[package.metadata.schema]\ndialect = \"postgres\"\n";
        for name in ["app", "shared", "skipped", "unlisted"] {
            let folder = match name {
                "unlisted" => "other/unlisted".to_string(),
                "shared" | "app" | "skipped" => format!("crates/{name}"),
                _ => unreachable!(),
            };
            let text = if name == "shared" {
                "[package]\nname = \"shared\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                    .to_string()
            } else {
                member.replace("NAME", name)
            };
            write(&root, &format!("{folder}/Cargo.toml"), &text);
            write(&root, &format!("{folder}/src/lib.rs"), "");
        }
        write(
            &root,
            "tools/one/Cargo.toml",
            &PACKAGE.replace("\"p\"", "\"one\""),
        );
        write(&root, "tools/one/src/main.rs", "");
        assert!(agrees_with_cargo(&root, "crates/app/Cargo.toml"));
        assert!(agrees_with_cargo(&root, "tools/one/Cargo.toml"));
        // Not members: cargo decides (and refuses).
        assert!(!agrees_with_cargo(&root, "other/unlisted/Cargo.toml"));
        assert!(from_cargo(&root.join("other/unlisted/Cargo.toml")).is_none());
        assert!(read_manifest(&root.join("crates/skipped/Cargo.toml")).is_none());
    }

    #[test]
    fn unusual_manifests_are_left_to_cargo() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        write(&root, "src/lib.rs", "");
        for text in [
            // Edition 2015 (by default) infers targets differently.
            "[package]\nname = \"p\"\nversion = \"0.1.0\"\n\n[workspace]\n".to_string(),
            format!("{PACKAGE}workspace = \"..\"\n"),
            format!(
                "{}\n[workspace]\n",
                PACKAGE.replace("\"p\"", "\"my package\"")
            ),
            format!("{}\n[workspace]\n", PACKAGE.replace("\"p\"", "\"\"")),
            format!(
                "{PACKAGE}\n[workspace]\n\n[dependencies]\nmissing = {{ path = \"../missing\" }}\n"
            ),
            format!("{PACKAGE}\n[workspace]\n\n[lib]\nname = \"x\"\nbogus = [\n"),
            "[workspace]\nmembers = []\n".to_string(),
        ] {
            write(&root, "Cargo.toml", &text);
            assert!(read_manifest(&root.join("Cargo.toml")).is_none(), "{text}");
        }
        // No target at all: cargo's error.
        fs::remove_file(root.join("src/lib.rs")).expect("rm");
        write(&root, "Cargo.toml", &format!("{PACKAGE}\n[workspace]\n"));
        assert!(read_manifest(&root.join("Cargo.toml")).is_none());
    }

    #[test]
    fn member_patterns() {
        let yes = |p: &str, r: &str| matches_member(p, Path::new(r)) == Some(true);
        assert!(yes("crates/*", "crates/app"));
        assert!(yes("./crates/a?p/", "crates/app"));
        assert!(yes("c*s/*p", "crates/app"));
        assert!(!yes("crates/*", "crates/app/inner"));
        assert!(!yes("crates/b*", "crates/app"));
        assert_eq!(
            matches_member("crates/[ab]*", Path::new("crates/app")),
            None
        );
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}

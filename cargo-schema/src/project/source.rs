//! Reading a package's Rust sources by following the module tree from each target root, the
//! way rustc finds module files: `mod x;` -> `x.rs` or `x/mod.rs`, nested folders, inline
//! `mod x { ... }`, `#[path = "..."]`. `#[cfg(test)]` modules are skipped. Nothing is compiled.

use crate::output::diagnostic::Diagnostic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One parsed source file.
pub struct SourceFile {
    pub path: PathBuf,
    pub ast: syn::File,
}

/// Every file reachable from `roots`, each once, in the order they were reached. All
/// problems are collected (unparsable files, missing module files) rather than the first.
pub fn read_tree(roots: &[PathBuf]) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let mut walk = Walk::default();
    for root in roots {
        // A target root is a "mod-rs" file: its children live beside it.
        let dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
        walk.file(root, None, ModDirs::owned(dir));
    }
    if walk.problems.is_empty() {
        Ok(walk.files)
    } else {
        Err(walk.problems)
    }
}

/// [`read_tree`] on several threads, for the case where nothing is wrong: each file is read,
/// parsed and handed to `each` on whichever thread took it, and the values come back in the
/// order [`read_tree`] would give the files. `None` when any file cannot be read or parsed, a
/// module file is missing, or `each` returns `None`: the caller then runs [`read_tree`], which
/// reports the problems. (syn's trees cannot cross threads, hence `each`.) Each tree is
/// dropped once `each` is done with it, so the next file reuses its memory.
pub fn read_tree_parallel<T: Send>(
    roots: &[PathBuf],
    threads: usize,
    each: impl Fn(&syn::File) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    use std::collections::{HashMap, VecDeque};
    use std::sync::{Condvar, Mutex};

    struct Job {
        key: PathBuf,
        path: PathBuf,
        dirs: ModDirs,
    }
    impl Job {
        fn named_as(&self) -> (PathBuf, PathBuf, PathBuf) {
            let dirs = &self.dirs;
            (
                self.path.clone(),
                dirs.children.clone(),
                dirs.path_base.clone(),
            )
        }
    }
    struct Shared<T> {
        queue: VecDeque<Job>,
        /// Jobs taken and not finished.
        busy: usize,
        failed: bool,
        /// Every file named so far, with the path and folders it was first named with.
        seen: HashMap<PathBuf, (PathBuf, PathBuf, PathBuf)>,
        /// By canonical path: the value and the files its `mod` items name, in order.
        done: HashMap<PathBuf, (T, Vec<PathBuf>)>,
    }
    // A job's files: `None` when anything is wrong.
    fn run<T>(
        job: &Job,
        each: &(impl Fn(&syn::File) -> Option<T> + Sync),
    ) -> Option<(T, Vec<Job>)> {
        let text = std::fs::read_to_string(&job.path).ok()?;
        let ast = syn::parse_file(&text).ok()?;
        let mut children = Vec::new();
        module_files(&job.path, &ast.items, &job.dirs, &mut children);
        let mut jobs = Vec::new();
        for child in children {
            let (path, dirs) = match child {
                Child::File(path, _, dirs) => (path, dirs),
                Child::Module(name, _, dirs) => {
                    let flat = dirs.children.join(format!("{name}.rs"));
                    let nested = dirs.children.join(&name).join("mod.rs");
                    match (flat.is_file(), nested.is_file()) {
                        (true, false) => {
                            let inner = ModDirs {
                                children: dirs.children.join(&name),
                                path_base: dirs.children.clone(),
                            };
                            (flat, inner)
                        }
                        (false, true) => (nested, ModDirs::owned(dirs.children.join(&name))),
                        _ => return None,
                    }
                }
            };
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            jobs.push(Job { key, path, dirs });
        }
        let value = each(&ast);
        drop(ast);
        Some((value?, jobs))
    }

    let mut shared = Shared {
        queue: VecDeque::new(),
        busy: 0,
        failed: false,
        seen: HashMap::new(),
        done: HashMap::new(),
    };
    let mut root_keys = Vec::new();
    for root in roots {
        let key = root.canonicalize().unwrap_or_else(|_| root.clone());
        root_keys.push(key.clone());
        let dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
        let job = Job {
            key,
            path: root.clone(),
            dirs: ModDirs::owned(dir),
        };
        match shared.seen.get(&job.key) {
            None => {
                shared.seen.insert(job.key.clone(), job.named_as());
                shared.queue.push_back(job);
            }
            // One file named twice in different ways (its modules could differ): the
            // sequential walk decides.
            Some(first) if *first != job.named_as() => return None,
            Some(_) => {}
        }
    }
    let state = Mutex::new(shared);
    let wake = Condvar::new();
    let work = || loop {
        let job = {
            let Ok(mut st) = state.lock() else { return };
            loop {
                if st.failed {
                    return;
                }
                if let Some(job) = st.queue.pop_front() {
                    st.busy += 1;
                    break job;
                }
                if st.busy == 0 {
                    return;
                }
                st = match wake.wait(st) {
                    Ok(st) => st,
                    Err(_) => return,
                };
            }
        };
        let outcome = run(&job, &each);
        let Ok(mut st) = state.lock() else { return };
        st.busy -= 1;
        match outcome {
            None => st.failed = true,
            Some((value, jobs)) => {
                let keys = jobs.iter().map(|j| j.key.clone()).collect();
                for child in jobs {
                    match st.seen.get(&child.key) {
                        None => {
                            st.seen.insert(child.key.clone(), child.named_as());
                            st.queue.push_back(child);
                        }
                        Some(first) if *first != child.named_as() => st.failed = true,
                        Some(_) => {}
                    }
                }
                st.done.insert(job.key, (value, keys));
            }
        }
        wake.notify_all();
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let mut shared = state.into_inner().ok()?;
    if shared.failed {
        return None;
    }
    // The order of the sequential walk: depth first, each file where it is first named.
    let mut out = Vec::new();
    let mut visited = BTreeSet::new();
    let mut stack: Vec<PathBuf> = root_keys.into_iter().rev().collect();
    while let Some(key) = stack.pop() {
        if !visited.insert(key.clone()) {
            continue;
        }
        let (value, children) = shared.done.remove(&key)?;
        out.push(value);
        stack.extend(children.into_iter().rev());
    }
    Some(out)
}

#[derive(Default)]
struct Walk {
    files: Vec<SourceFile>,
    seen: BTreeSet<PathBuf>,
    problems: Vec<Diagnostic>,
}

/// Where a module's children are looked up.
#[derive(Clone)]
struct ModDirs {
    /// Folder of `mod x;` children: `x.rs`, `x/mod.rs`.
    children: PathBuf,
    /// Folder `#[path]` is relative to. Equal to `children` except at the top level of a
    /// non-mod-rs file (`src/a.rs`), where it is the file's own folder.
    path_base: PathBuf,
}

impl ModDirs {
    fn owned(dir: PathBuf) -> Self {
        ModDirs {
            children: dir.clone(),
            path_base: dir,
        }
    }

    fn inline(&self, name: &str) -> Self {
        ModDirs::owned(self.children.join(name))
    }
}

impl Walk {
    /// Reads `path`; `from` is where the `mod` item that named it sits, for the diagnostic.
    fn file(&mut self, path: &Path, from: Option<Diagnostic>, dirs: ModDirs) {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if !self.seen.insert(key) {
            return;
        }
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                self.problems.push(match from {
                    Some(mut d) => {
                        d.message = format!("cannot read module file {}: {e}", path.display());
                        d
                    }
                    None => Diagnostic {
                        file: path.to_path_buf(),
                        line: 1,
                        column: 1,
                        message: format!("cannot read the file: {e}"),
                    },
                });
                return;
            }
        };
        let ast = match syn::parse_file(&text) {
            Ok(ast) => ast,
            Err(e) => {
                for error in e {
                    self.problems.push(Diagnostic::at_span(
                        path.to_path_buf(),
                        error.span(),
                        format!("cannot parse this Rust file: {error}"),
                    ));
                }
                return;
            }
        };
        // The module files this one names, found first so the tree need not be cloned.
        let mut children = Vec::new();
        module_files(path, &ast.items, &dirs, &mut children);
        self.files.push(SourceFile {
            path: path.to_path_buf(),
            ast,
        });
        for child in children {
            match child {
                Child::File(target, here, dirs) => self.file(&target, Some(here), dirs),
                Child::Module(name, here, dirs) => self.module_file(&name, here, &dirs),
            }
        }
    }

    fn module_file(&mut self, name: &str, here: Diagnostic, dirs: &ModDirs) {
        let flat = dirs.children.join(format!("{name}.rs"));
        let nested = dirs.children.join(name).join("mod.rs");
        match (flat.is_file(), nested.is_file()) {
            (true, false) => {
                let children = dirs.children.join(name);
                let dirs = ModDirs {
                    children,
                    path_base: dirs.children.clone(),
                };
                self.file(&flat, Some(here), dirs);
            }
            (false, true) => {
                let dir = dirs.children.join(name);
                self.file(&nested, Some(here), ModDirs::owned(dir));
            }
            (true, true) => self.problems.push(Diagnostic {
                message: format!(
                    "module `{name}` is both {} and {}: delete one",
                    flat.display(),
                    nested.display()
                ),
                ..here
            }),
            (false, false) => self.problems.push(Diagnostic {
                message: format!(
                    "file not found for module `{name}`: create {} or {}",
                    flat.display(),
                    nested.display()
                ),
                ..here
            }),
        }
    }
}

/// A module file named by a `mod x;` item, in the order of the items.
enum Child {
    /// `#[path = "..."] mod x;`: that file, owning its folder.
    File(PathBuf, Diagnostic, ModDirs),
    /// `mod x;`: `x.rs` or `x/mod.rs` in the folder.
    Module(String, Diagnostic, ModDirs),
}

/// The `mod x;` items among `items` (and inside inline `mod x { ... }`), skipping
/// `#[cfg(test)]` modules.
fn module_files(file: &Path, items: &[syn::Item], dirs: &ModDirs, out: &mut Vec<Child>) {
    for item in items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if is_cfg_test(&module.attrs) {
            continue;
        }
        let name = module.ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_string();
        let path_attr = path_attribute(&module.attrs);
        match &module.content {
            Some((_, inner)) => {
                let mut inner_dirs = dirs.inline(&name);
                if let Some(p) = path_attr {
                    inner_dirs = ModDirs::owned(dirs.children.join(p));
                }
                module_files(file, inner, &inner_dirs, out);
            }
            None => {
                let here = Diagnostic::at_span(file.to_path_buf(), module.ident.span(), "");
                match path_attr {
                    Some(p) => {
                        let target = dirs.path_base.join(p);
                        // A file named by `#[path]` owns its folder, like a mod.rs.
                        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
                        out.push(Child::File(target, here, ModDirs::owned(dir)));
                    }
                    None => out.push(Child::Module(name, here, dirs.clone())),
                }
            }
        }
    }
}

/// `#[cfg(test)]`, or a `cfg(all(test, ...))` that can only hold in test builds.
pub(crate) fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        if !attr.path().is_ident("cfg") {
            return false;
        }
        match attr.parse_args::<syn::Meta>() {
            Ok(meta) => requires_test(&meta),
            Err(_) => false,
        }
    })
}

fn requires_test(meta: &syn::Meta) -> bool {
    match meta {
        syn::Meta::Path(path) => path.is_ident("test"),
        syn::Meta::List(list) if list.path.is_ident("all") => list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .map(|metas| metas.iter().any(requires_test))
            .unwrap_or(false),
        _ => false,
    }
}

fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("path") {
            return None;
        }
        match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value()),
            _ => None,
        }
    })
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

    fn relative_paths(root: &Path, files: &[SourceFile]) -> Vec<String> {
        files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(root)
                    .expect("under root")
                    .display()
                    .to_string()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn follows_the_module_tree_like_rustc() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "src/lib.rs",
            "mod flat; mod nested; mod inline { mod deep; } #[path = \"elsewhere/p.rs\"] mod p;\n\
             #[cfg(test)] mod tests; #[cfg(all(test, feature = \"x\"))] mod tests2;",
        );
        write(root, "src/flat.rs", "mod child;");
        write(root, "src/flat/child.rs", "");
        write(root, "src/nested/mod.rs", "mod grandchild;");
        write(root, "src/nested/grandchild.rs", "");
        write(root, "src/inline/deep.rs", "");
        write(root, "src/elsewhere/p.rs", "mod sibling;");
        write(root, "src/elsewhere/sibling.rs", "");
        write(root, "src/unreached.rs", "this is not rust");
        let files = read_tree(&[root.join("src/lib.rs")]).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(
            relative_paths(root, &files),
            [
                "src/lib.rs",
                "src/flat.rs",
                "src/flat/child.rs",
                "src/nested/mod.rs",
                "src/nested/grandchild.rs",
                "src/inline/deep.rs",
                "src/elsewhere/p.rs",
                "src/elsewhere/sibling.rs",
            ]
        );
    }

    #[test]
    fn path_in_a_non_mod_rs_file_is_relative_to_its_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "src/main.rs", "mod a;");
        write(
            root,
            "src/a.rs",
            "#[path = \"b_file.rs\"] mod b; mod c { mod d; }",
        );
        write(root, "src/b_file.rs", "");
        write(root, "src/a/c/d.rs", "");
        let files = read_tree(&[root.join("src/main.rs")]).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(
            relative_paths(root, &files),
            ["src/main.rs", "src/a.rs", "src/b_file.rs", "src/a/c/d.rs"]
        );
    }

    #[test]
    fn reports_parse_errors_and_missing_modules_with_positions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "src/lib.rs", "mod broken;\nmod missing;\n");
        write(root, "src/broken.rs", "pub struct A {\n    x: ,\n}\n");
        let problems = read_tree(&[root.join("src/lib.rs")]).err().expect("fails");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].file.ends_with("broken.rs"));
        assert_eq!((problems[0].line, problems[0].column), (2, 8));
        assert!(problems[1]
            .message
            .contains("file not found for module `missing`"));
        assert_eq!((problems[1].line, problems[1].column), (2, 5));
    }

    /// The files `read_tree` finds, each as the names of its structs (one per file here).
    fn by_sequential(roots: &[PathBuf]) -> Option<Vec<Vec<String>>> {
        let files = read_tree(roots).ok()?;
        Some(files.iter().map(|f| struct_names(&f.ast)).collect())
    }

    fn struct_names(ast: &syn::File) -> Vec<String> {
        ast.items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_threads_find_the_same_files_in_the_same_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "src/lib.rs",
            "struct Lib; mod flat; mod nested; mod inline { mod deep; } #[path = \"elsewhere/p.rs\"] mod p;\n\
             mod shared; #[cfg(test)] mod tests;",
        );
        write(root, "src/flat.rs", "struct Flat; mod child; mod child2;");
        write(root, "src/flat/child.rs", "struct Child;");
        write(root, "src/flat/child2.rs", "struct Child2;");
        write(root, "src/nested/mod.rs", "struct Nested; mod grandchild;");
        write(root, "src/nested/grandchild.rs", "struct Grandchild;");
        write(root, "src/inline/deep.rs", "struct Deep;");
        write(root, "src/elsewhere/p.rs", "struct P; mod sibling;");
        write(root, "src/elsewhere/sibling.rs", "struct Sibling;");
        write(root, "src/shared.rs", "struct Shared;");
        write(root, "src/main.rs", "struct Main; mod shared;");
        let roots = [root.join("src/lib.rs"), root.join("src/main.rs")];
        let expected = by_sequential(&roots).expect("reads");
        assert_eq!(expected.len(), 11);
        for threads in [1, 2, 4] {
            let got = read_tree_parallel(&roots, threads, |ast| Some(struct_names(ast)));
            assert_eq!(got.as_ref(), Some(&expected), "{threads} threads");
        }
        // `each` refusing a file, and problems the one-thread walk reports, give `None`.
        let refuse = |ast: &syn::File| (!struct_names(ast).contains(&"Deep".into())).then_some(());
        assert!(read_tree_parallel(&roots, 2, refuse).is_none());
        write(
            root,
            "src/nested/grandchild.rs",
            "struct Grandchild; mod missing;",
        );
        assert!(read_tree_parallel(&roots, 2, |_| Some(())).is_none());
        write(root, "src/nested/grandchild.rs", "struct Grandchild");
        assert!(read_tree_parallel(&roots, 2, |_| Some(())).is_none());
        assert!(by_sequential(&roots).is_none());
    }

    #[test]
    fn a_file_shared_by_two_targets_is_read_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "src/lib.rs", "mod shared;");
        write(root, "src/main.rs", "mod shared;");
        write(root, "src/shared.rs", "");
        let files = read_tree(&[root.join("src/lib.rs"), root.join("src/main.rs")])
            .unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(files.len(), 3);
    }
}

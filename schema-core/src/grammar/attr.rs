//! Parses `#[schema(...)]` attributes into plain structs, one per level (table, field, enum,
//! variant). Mistakes are recorded in the [`Ctxt`] and parsing carries on, so that every bad key
//! of an item is reported at once. Only rules about one key live here; rules that relate keys
//! or fields live in `check.rs`.

use super::ctxt::Ctxt;
use super::suggest::closest;
use super::symbol::*;
use syn::meta::ParseNestedMeta;
use syn::parse::discouraged::Speculative;
use syn::{Attribute, Expr, ExprLit, Ident, Lit, LitStr, Token};

/// A key as written, with its value (the key's tokens give error spans).
#[derive(Clone)]
pub struct Key<T> {
    pub key: Ident,
    pub value: T,
}

/// A key that may appear once.
pub struct Slot<T>(Option<Key<T>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(None)
    }
}

impl<T> Slot<T> {
    fn set(&mut self, cx: &Ctxt, key: &Ident, value: T) {
        if self.0.is_some() {
            cx.error_spanned_by(key, format!("duplicate key `{key}`: remove one of them"));
            return;
        }
        self.0 = Some(Key {
            key: key.clone(),
            value,
        });
    }

    pub fn get(&self) -> Option<&Key<T>> {
        self.0.as_ref()
    }

    pub fn value(&self) -> Option<&T> {
        self.0.as_ref().map(|k| &k.value)
    }

    pub fn key(&self) -> Option<&Ident> {
        self.0.as_ref().map(|k| &k.key)
    }

    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }
}

/// `index(a, b, name = "...")` and its kin: column idents and `key = "..."` options.
#[derive(Clone)]
pub struct List {
    /// The list's key (`index`), for errors about the whole list.
    pub key: Ident,
    pub columns: Vec<Ident>,
    pub options: Vec<Key<LitStr>>,
    /// Every option key written, including those whose value was rejected.
    pub written: Vec<Ident>,
}

impl List {
    pub fn option(&self, name: &str) -> Option<&LitStr> {
        self.options
            .iter()
            .find(|o| o.key == name)
            .map(|o| &o.value)
    }
}

#[derive(Default)]
pub struct TableAttrs {
    pub table: Slot<LitStr>,
    pub renamed_from: Slot<LitStr>,
    pub primary_key: Slot<List>,
    pub indexes: Vec<List>,
    pub uniques: Vec<List>,
    pub checks: Vec<List>,
}

#[derive(Default)]
pub struct FieldAttrs {
    pub primary_key: Slot<()>,
    pub auto_increment: Slot<()>,
    pub unique: Slot<()>,
    pub index: Slot<()>,
    pub skip: Slot<()>,
    pub column: Slot<LitStr>,
    pub renamed_from: Slot<LitStr>,
    pub sql_type: Slot<LitStr>,
    pub default: Slot<Expr>,
    pub default_sql: Slot<LitStr>,
    pub references: Slot<LitStr>,
    pub on_delete: Slot<LitStr>,
    pub on_update: Slot<LitStr>,
}

impl FieldAttrs {
    /// Every key given except `skip`, in a fixed order (for "has no effect on a skipped field").
    pub fn column_keys(&self) -> Vec<&Ident> {
        [
            self.primary_key.key(),
            self.auto_increment.key(),
            self.unique.key(),
            self.index.key(),
            self.column.key(),
            self.renamed_from.key(),
            self.sql_type.key(),
            self.default.key(),
            self.default_sql.key(),
            self.references.key(),
            self.on_delete.key(),
            self.on_update.key(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[derive(Default)]
pub struct EnumAttrs {
    pub name: Slot<LitStr>,
}

#[derive(Default)]
pub struct VariantAttrs {
    pub rename: Slot<LitStr>,
    pub renamed_from: Slot<LitStr>,
}

/// Which item a `#[schema]` attribute sits on; decides the keys it accepts and the hints.
#[derive(Clone, Copy)]
enum Level {
    Table,
    Field,
    Enum,
    Variant,
}

impl Level {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Level::Table => TABLE_KEYS,
            Level::Field => FIELD_KEYS,
            Level::Enum => ENUM_KEYS,
            Level::Variant => VARIANT_KEYS,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Level::Table => "a `#[derive(Table)]` struct",
            Level::Field => "a field",
            Level::Enum => "a `#[derive(Enum)]` enum",
            Level::Variant => "an enum variant",
        }
    }

    /// Keys that belong elsewhere, with the key meant here.
    fn hint(self, key: &str) -> Option<&'static str> {
        match (self, key) {
            (Level::Table, "name" | "rename") => Some(TABLE),
            (Level::Field, "rename" | "name") => Some(COLUMN),
            (Level::Field, "type") => Some(SQL_TYPE),
            (Level::Enum, "rename" | "table") => Some(NAME),
            (Level::Variant, "name" | "column") => Some(RENAME),
            _ => None,
        }
    }
}

fn unknown_key(cx: &Ctxt, level: Level, meta: &ParseNestedMeta) -> syn::Result<()> {
    let shown = path_text(&meta.path);
    let suggestion = level.hint(&shown).or_else(|| closest(&shown, level.keys()));
    let nullability = matches!(level, Level::Field)
        && matches!(
            shown.as_str(),
            "nullable" | "null" | "optional" | "not_null"
        );
    let message = match suggestion {
        _ if nullability => format!(
            "unknown key `{shown}` on a field: nullability comes from the type, write `Option<T>` for a nullable column"
        ),
        Some(s) => format!(
            "unknown key `{shown}` on {}: did you mean `{s}`?",
            level.describe()
        ),
        None => format!(
            "unknown key `{shown}` on {}: expected {}",
            level.describe(),
            one_of(level.keys())
        ),
    };
    cx.error_spanned_by(&meta.path, message);
    skip_value(meta)
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
pub fn one_of(words: &[&str]) -> String {
    let ticked: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match ticked.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        more => format!("one of {}", more.join(", ")),
    }
}

fn path_text(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.join("::")
}

/// Consumes whatever follows a key we reject, so parsing continues with the next key.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        // Unconsumed tokens in a dropped buffer would surface as a second, confusing error.
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

fn is_empty_group(meta: &ParseNestedMeta) -> bool {
    let fork = meta.input.fork();
    let parsed: syn::Result<bool> = (|| {
        let content;
        syn::parenthesized!(content in fork);
        Ok(content.is_empty())
    })();
    parsed.unwrap_or(false)
}

fn is_flag(meta: &ParseNestedMeta) -> bool {
    !meta.input.peek(Token![=]) && !meta.input.peek(syn::token::Paren)
}

/// The key as a plain identifier, or `None` for paths like `a::b`.
fn key_ident(meta: &ParseNestedMeta) -> Option<Ident> {
    meta.path.get_ident().cloned()
}

/// Runs `each` for every key of every `#[schema(...)]` among `attrs`.
fn for_each_key(
    cx: &Ctxt,
    attrs: &[Attribute],
    level: Level,
    mut each: impl FnMut(&Ident, &ParseNestedMeta) -> syn::Result<bool>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(SCHEMA)) {
        if let syn::Meta::Path(path) = &attr.meta {
            cx.error_spanned_by(path, "expected keys in parentheses: `#[schema(...)]`");
            continue;
        }
        let parsed = attr.parse_nested_meta(|meta| match key_ident(&meta) {
            Some(key) => {
                if each(&key, &meta)? {
                    Ok(())
                } else {
                    unknown_key(cx, level, &meta)
                }
            }
            None => unknown_key(cx, level, &meta),
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
}

/// A flag key (`primary_key`): records it, or reports a value given to it.
fn flag(
    cx: &Ctxt,
    slot: &mut Slot<()>,
    key: &Ident,
    meta: &ParseNestedMeta,
    hint: &str,
) -> syn::Result<()> {
    if is_flag(meta) {
        slot.set(cx, key, ());
        Ok(())
    } else {
        cx.error_spanned_by(
            key,
            format!("`{key}` on a field takes no value: write `#[schema({key})]`{hint}"),
        );
        skip_value(meta)
    }
}

/// `key = "..."`: records the string, or reports what is wrong with it.
fn string(
    cx: &Ctxt,
    slot: &mut Slot<LitStr>,
    key: &Ident,
    meta: &ParseNestedMeta,
) -> syn::Result<()> {
    if let Some(lit) = string_value(cx, key, meta)? {
        slot.set(cx, key, lit);
    }
    Ok(())
}

fn string_value(cx: &Ctxt, key: &Ident, meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(key, format!("`{key}` needs a value: `{key} = \"...\"`"));
        skip_value(meta)?;
        return Ok(None);
    }
    let expr = value_expr(meta)?;
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => {
            if lit.value().trim().is_empty() {
                cx.error_spanned_by(&lit, format!("`{key}` cannot be empty: `{key} = \"...\"`"));
                return Ok(None);
            }
            Ok(Some(lit))
        }
        other => {
            cx.error_spanned_by(
                &other,
                format!("expected a string literal: `{key} = \"...\"`"),
            );
            Ok(None)
        }
    }
}

/// The expression after `key =`. A lone literal (what keys almost always hold) is read as
/// one token instead of through syn's expression parser; the result is the same `Expr`.
/// (`-1` is left to the parser: `Lit` would read it as one negative literal, `Expr` as a
/// negation.)
fn value_expr(meta: &ParseNestedMeta) -> syn::Result<Expr> {
    let input = meta.value()?;
    if input.peek(Token![-]) {
        return input.parse();
    }
    let fork = input.fork();
    if let Ok(lit) = fork.parse::<Lit>() {
        if fork.is_empty() || fork.peek(Token![,]) {
            input.advance_to(&fork);
            return Ok(Expr::Lit(ExprLit {
                attrs: Vec::new(),
                lit,
            }));
        }
    }
    input.parse()
}

/// `key(a, b, option = "...")` with the options in `allowed`.
fn list(
    cx: &Ctxt,
    key: &Ident,
    meta: &ParseNestedMeta,
    allowed: &[&str],
    takes_columns: bool,
) -> syn::Result<Option<List>> {
    if !meta.input.peek(syn::token::Paren) {
        skip_value(meta)?;
        return Ok(None);
    }
    let mut list = List {
        key: key.clone(),
        columns: Vec::new(),
        options: Vec::new(),
        written: Vec::new(),
    };
    if is_empty_group(meta) {
        // `index()`: syn rejects an empty list; the checks explain what belongs inside.
        skip_value(meta)?;
        return Ok(Some(list));
    }
    meta.parse_nested_meta(|inner| {
        let Some(name) = key_ident(&inner) else {
            cx.error_spanned_by(
                &inner.path,
                format!("expected a field name in `{key}(...)`"),
            );
            return skip_value(&inner);
        };
        if inner.input.peek(Token![=]) {
            let known = allowed.iter().any(|a| name == a);
            if !known {
                let message = match closest(&name.to_string(), allowed) {
                    Some(s) => {
                        format!("unknown option `{name}` in `{key}(...)`: did you mean `{s}`?")
                    }
                    None if allowed.is_empty() => format!("`{key}(...)` takes field names only"),
                    None => format!(
                        "unknown option `{name}` in `{key}(...)`: expected {}",
                        one_of(allowed)
                    ),
                };
                cx.error_spanned_by(&name, message);
                return skip_value(&inner);
            }
            if list.written.contains(&name) {
                cx.error_spanned_by(
                    &name,
                    format!("duplicate option `{name}` in `{key}(...)`: remove one of them"),
                );
                return skip_value(&inner);
            }
            list.written.push(name.clone());
            if let Some(value) = string_value(cx, &name, &inner)? {
                list.options.push(Key { key: name, value });
            }
            Ok(())
        } else if takes_columns && is_flag(&inner) {
            list.columns.push(name);
            Ok(())
        } else {
            let message = if takes_columns {
                format!("expected a field name or `option = \"...\"` in `{key}(...)`")
            } else {
                format!("`{key}(...)` takes only `name = \"...\"` and `expr = \"...\"`")
            };
            cx.error_spanned_by(&name, message);
            skip_value(&inner)
        }
    })?;
    Ok(Some(list))
}

impl TableAttrs {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = TableAttrs::default();
        for_each_key(cx, attrs, Level::Table, |key, meta| {
            let k = key.to_string();
            match k.as_str() {
                // table = "users"
                TABLE => string(cx, &mut out.table, key, meta)?,
                // renamed_from = "old_users"
                RENAMED_FROM => string(cx, &mut out.renamed_from, key, meta)?,
                // index(a, b, name = "...", where = "...")
                INDEX => match list(cx, key, meta, INDEX_OPTIONS, true)? {
                    Some(l) => out.indexes.push(l),
                    None => cx.error_spanned_by(
                        key,
                        "`index` on a struct needs columns: `#[schema(index(a, b))]`, or put `#[schema(index)]` on a field",
                    ),
                },
                // unique(a, b, name = "...")
                UNIQUE => match list(cx, key, meta, UNIQUE_OPTIONS, true)? {
                    Some(l) => out.uniques.push(l),
                    None => cx.error_spanned_by(
                        key,
                        "`unique` on a struct needs columns: `#[schema(unique(a, b))]`, or put `#[schema(unique)]` on a field",
                    ),
                },
                // primary_key(a, b)
                PRIMARY_KEY => match list(cx, key, meta, &[], true)? {
                    Some(l) => out.primary_key.set(cx, key, l),
                    None => cx.error_spanned_by(
                        key,
                        "`primary_key` on a struct needs columns: `#[schema(primary_key(a, b))]`, or put `#[schema(primary_key)]` on a field",
                    ),
                },
                // check(name = "...", expr = "...")
                CHECK => match list(cx, key, meta, CHECK_OPTIONS, false)? {
                    Some(l) => out.checks.push(l),
                    None => cx.error_spanned_by(key, "`check` needs a name and an expression: `#[schema(check(name = \"...\", expr = \"...\"))]`"),
                },
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

impl FieldAttrs {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        for_each_key(cx, attrs, Level::Field, |key, meta| {
            let k = key.to_string();
            match k.as_str() {
                PRIMARY_KEY => flag(
                    cx,
                    &mut out.primary_key,
                    key,
                    meta,
                    ", or `#[schema(primary_key(a, b))]` on the struct for a composite key",
                )?,
                AUTO_INCREMENT => flag(cx, &mut out.auto_increment, key, meta, "")?,
                UNIQUE => flag(
                    cx,
                    &mut out.unique,
                    key,
                    meta,
                    ", or `#[schema(unique(a, b))]` on the struct for a composite constraint",
                )?,
                INDEX => flag(
                    cx,
                    &mut out.index,
                    key,
                    meta,
                    ", or `#[schema(index(a, b))]` on the struct for a composite index",
                )?,
                SKIP => flag(cx, &mut out.skip, key, meta, "")?,
                COLUMN => string(cx, &mut out.column, key, meta)?,
                RENAMED_FROM => string(cx, &mut out.renamed_from, key, meta)?,
                SQL_TYPE => string(cx, &mut out.sql_type, key, meta)?,
                DEFAULT_SQL => string(cx, &mut out.default_sql, key, meta)?,
                REFERENCES => string(cx, &mut out.references, key, meta)?,
                ON_DELETE => string(cx, &mut out.on_delete, key, meta)?,
                ON_UPDATE => string(cx, &mut out.on_update, key, meta)?,
                // default = <literal>: its kind is checked against the type in check.rs
                DEFAULT => {
                    if meta.input.peek(Token![=]) {
                        let expr = value_expr(meta)?;
                        out.default.set(cx, key, expr);
                    } else {
                        cx.error_spanned_by(key, "`default` needs a value: `default = 0`, `default = \"text\"`, or `default_sql = \"now()\"` for an SQL expression");
                        skip_value(meta)?;
                    }
                }
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

impl EnumAttrs {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = EnumAttrs::default();
        for_each_key(cx, attrs, Level::Enum, |key, meta| {
            if key != NAME {
                return Ok(false);
            }
            // name = "user_role"
            string(cx, &mut out.name, key, meta)?;
            Ok(true)
        });
        out
    }
}

impl VariantAttrs {
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = VariantAttrs::default();
        for_each_key(cx, attrs, Level::Variant, |key, meta| {
            let k = key.to_string();
            match k.as_str() {
                // rename = "read-only"
                RENAME => string(cx, &mut out.rename, key, meta)?,
                // renamed_from = "readonly": the value used to be spelled this way
                RENAMED_FROM => string(cx, &mut out.renamed_from, key, meta)?,
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

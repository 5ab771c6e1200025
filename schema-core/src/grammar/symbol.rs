//! Every `#[schema(...)]` keyword, by the level it belongs to.

pub const SCHEMA: &str = "schema";

// Container of `#[derive(Table)]`.
pub const TABLE: &str = "table";
pub const RENAMED_FROM: &str = "renamed_from";
pub const INDEX: &str = "index";
pub const UNIQUE: &str = "unique";
pub const PRIMARY_KEY: &str = "primary_key";
pub const CHECK: &str = "check";

// Options inside `index(...)`, `unique(...)`, `check(...)`.
pub const NAME: &str = "name";
pub const WHERE: &str = "where";
pub const EXPR: &str = "expr";

// Fields.
pub const AUTO_INCREMENT: &str = "auto_increment";
pub const COLUMN: &str = "column";
pub const SQL_TYPE: &str = "sql_type";
pub const DEFAULT: &str = "default";
pub const DEFAULT_SQL: &str = "default_sql";
pub const REFERENCES: &str = "references";
pub const ON_DELETE: &str = "on_delete";
pub const ON_UPDATE: &str = "on_update";
pub const SKIP: &str = "skip";

// Variants of `#[derive(Enum)]`.
pub const RENAME: &str = "rename";

pub const TABLE_KEYS: &[&str] = &[TABLE, RENAMED_FROM, INDEX, UNIQUE, PRIMARY_KEY, CHECK];
pub const FIELD_KEYS: &[&str] = &[
    PRIMARY_KEY,
    AUTO_INCREMENT,
    UNIQUE,
    INDEX,
    COLUMN,
    RENAMED_FROM,
    SQL_TYPE,
    DEFAULT,
    DEFAULT_SQL,
    REFERENCES,
    ON_DELETE,
    ON_UPDATE,
    SKIP,
];
pub const ENUM_KEYS: &[&str] = &[NAME];
pub const VARIANT_KEYS: &[&str] = &[RENAME, RENAMED_FROM];
pub const INDEX_OPTIONS: &[&str] = &[NAME, WHERE];
pub const UNIQUE_OPTIONS: &[&str] = &[NAME];
pub const CHECK_OPTIONS: &[&str] = &[NAME, EXPR];

/// The spellings of `on_delete`/`on_update` actions.
pub const FK_ACTIONS: &[&str] = &[
    "cascade",
    "restrict",
    "set null",
    "set default",
    "no action",
];

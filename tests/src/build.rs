//! Short builders for `Declarations`, so a scenario reads like the structs it stands for:
//! `table("users").col(col("id", I64).pk().auto()).col(col("email", String).unique())`.

use schema_core::decl::{
    CheckDecl, ColumnDecl, Declarations, DefaultDecl, EnumDecl, FkAction, IndexDecl, ReferenceDecl,
    TableDecl, TypeDecl, UniqueDecl,
};

/// A column named `name` (field name = column name), NOT NULL, no keys.
pub fn col(name: &str, ty: TypeDecl) -> Col {
    Col(ColumnDecl {
        field: name.to_string(),
        name: name.to_string(),
        renamed_from: None,
        ty,
        nullable: false,
        primary_key: false,
        auto_increment: false,
        unique: false,
        index: false,
        default: None,
        references: None,
    })
}

/// A column builder; see [`col`].
#[derive(Clone, Debug)]
pub struct Col(pub ColumnDecl);

impl Col {
    pub fn null(mut self) -> Self {
        self.0.nullable = true;
        self
    }
    pub fn pk(mut self) -> Self {
        self.0.primary_key = true;
        self
    }
    pub fn auto(mut self) -> Self {
        self.0.auto_increment = true;
        self
    }
    pub fn unique(mut self) -> Self {
        self.0.unique = true;
        self
    }
    pub fn index(mut self) -> Self {
        self.0.index = true;
        self
    }
    pub fn default(mut self, d: DefaultDecl) -> Self {
        self.0.default = Some(d);
        self
    }
    pub fn default_int(self, v: i64) -> Self {
        self.default(DefaultDecl::Int(v))
    }
    pub fn default_str(self, v: &str) -> Self {
        self.default(DefaultDecl::Str(v.to_string()))
    }
    pub fn default_sql(self, v: &str) -> Self {
        self.default(DefaultDecl::Sql(v.to_string()))
    }
    pub fn references(mut self, table: &str, column: &str) -> Self {
        self.0.references = Some(ReferenceDecl {
            table: table.to_string(),
            column: column.to_string(),
            on_delete: None,
            on_update: None,
        });
        self
    }
    /// Sets `on_delete` of the column's reference (call after [`Col::references`]).
    pub fn on_delete(mut self, action: FkAction) -> Self {
        if let Some(r) = self.0.references.as_mut() {
            r.on_delete = Some(action);
        }
        self
    }
    pub fn on_update(mut self, action: FkAction) -> Self {
        if let Some(r) = self.0.references.as_mut() {
            r.on_update = Some(action);
        }
        self
    }
    pub fn renamed_from(mut self, old: &str) -> Self {
        self.0.renamed_from = Some(old.to_string());
        self
    }
    pub fn ty(mut self, ty: TypeDecl) -> Self {
        self.0.ty = ty;
        self
    }
}

/// A table named `name` with no columns yet.
pub fn table(name: &str) -> Tbl {
    Tbl(TableDecl {
        rust_name: name.to_string(),
        name: name.to_string(),
        renamed_from: None,
        columns: Vec::new(),
        primary_key: None,
        uniques: Vec::new(),
        indexes: Vec::new(),
        checks: Vec::new(),
    })
}

/// A table builder; see [`table`].
#[derive(Clone, Debug)]
pub struct Tbl(pub TableDecl);

use model::strings as names;

impl Tbl {
    pub fn col(mut self, c: Col) -> Self {
        self.0.columns.push(c.0);
        self
    }
    pub fn pk(mut self, cols: &[&str]) -> Self {
        self.0.primary_key = Some(names(cols));
        self
    }
    pub fn unique(mut self, cols: &[&str]) -> Self {
        self.0.uniques.push(UniqueDecl {
            name: None,
            columns: names(cols),
        });
        self
    }
    pub fn unique_named(mut self, name: &str, cols: &[&str]) -> Self {
        self.0.uniques.push(UniqueDecl {
            name: Some(name.to_string()),
            columns: names(cols),
        });
        self
    }
    pub fn index(mut self, cols: &[&str]) -> Self {
        self.0.indexes.push(IndexDecl {
            name: None,
            columns: names(cols),
            predicate: None,
        });
        self
    }
    pub fn index_named(mut self, name: &str, cols: &[&str]) -> Self {
        self.0.indexes.push(IndexDecl {
            name: Some(name.to_string()),
            columns: names(cols),
            predicate: None,
        });
        self
    }
    pub fn index_where(mut self, cols: &[&str], predicate: &str) -> Self {
        self.0.indexes.push(IndexDecl {
            name: None,
            columns: names(cols),
            predicate: Some(predicate.to_string()),
        });
        self
    }
    pub fn index_named_where(mut self, name: &str, cols: &[&str], predicate: &str) -> Self {
        self.0.indexes.push(IndexDecl {
            name: Some(name.to_string()),
            columns: names(cols),
            predicate: Some(predicate.to_string()),
        });
        self
    }
    pub fn check(mut self, name: &str, expr: &str) -> Self {
        self.0.checks.push(CheckDecl {
            name: name.to_string(),
            expr: expr.to_string(),
        });
        self
    }
    pub fn renamed_from(mut self, old: &str) -> Self {
        self.0.renamed_from = Some(old.to_string());
        self
    }
    /// Applies `f` to the column called `name` (for edits of an existing table).
    pub fn edit_col(mut self, name: &str, f: impl FnOnce(Col) -> Col) -> Self {
        if let Some(c) = self.0.columns.iter_mut().find(|c| c.name == name) {
            *c = f(Col(c.clone())).0;
        }
        self
    }
    pub fn drop_col(mut self, name: &str) -> Self {
        self.0.columns.retain(|c| c.name != name);
        self
    }
    pub fn rename(mut self, new_name: &str) -> Self {
        self.0.renamed_from = Some(self.0.name.clone());
        self.0.name = new_name.to_string();
        self.0.rust_name = new_name.to_string();
        self
    }
}

/// An enum type with its values in order.
pub fn enum_type(name: &str, values: &[&str]) -> EnumDecl {
    EnumDecl {
        rust_name: name.to_string(),
        name: name.to_string(),
        values: names(values),
        renamed_values: Vec::new(),
    }
}

/// A package's declarations.
pub fn decls(enums: Vec<EnumDecl>, tables: Vec<Tbl>) -> Declarations {
    Declarations {
        enums,
        tables: tables.into_iter().map(|t| t.0).collect(),
    }
}

/// Builders for the schema model introspection returns, for tests that compare a live
/// database with the model they expect; and the tables of the introspection tests' DDL
/// (`tests/tests/introspect_*.rs`) that read the same on every dialect.
pub mod model {
    use schema_core::model::{
        Check, Column, FkAction, ForeignKey, Index, PrimaryKey, Table, Unique,
    };

    pub fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// A column that is not auto-incrementing.
    pub fn column(name: &str, ty: &str, nullable: bool, default: Option<&str>) -> Column {
        Column {
            name: name.into(),
            ty: ty.into(),
            nullable,
            default: default.map(Into::into),
            auto_increment: false,
        }
    }

    /// A NOT NULL auto-incrementing column without a default (identity, rowid alias,
    /// `AUTO_INCREMENT`).
    pub fn auto_column(name: &str, ty: &str) -> Column {
        Column {
            auto_increment: true,
            ..column(name, ty, false, None)
        }
    }

    /// A table with `columns` and no keys, indexes or checks.
    pub fn empty_table(name: &str, columns: Vec<Column>) -> Table {
        Table {
            name: name.into(),
            columns,
            primary_key: None,
            uniques: vec![],
            indexes: vec![],
            foreign_keys: vec![],
            checks: vec![],
        }
    }

    pub fn primary_key(name: &str, columns: &[&str]) -> Option<PrimaryKey> {
        Some(PrimaryKey {
            name: name.into(),
            columns: strings(columns),
        })
    }

    pub fn unique(name: &str, columns: &[&str]) -> Unique {
        Unique {
            name: name.into(),
            columns: strings(columns),
        }
    }

    /// A plain index: not unique, not partial.
    pub fn index(name: &str, columns: &[&str]) -> Index {
        Index {
            name: name.into(),
            columns: strings(columns),
            unique: false,
            predicate: None,
        }
    }

    pub fn foreign_key(
        name: &str,
        columns: &[&str],
        ref_table: &str,
        ref_columns: &[&str],
        on_delete: FkAction,
        on_update: FkAction,
    ) -> ForeignKey {
        ForeignKey {
            name: name.into(),
            columns: strings(columns),
            ref_table: ref_table.into(),
            ref_columns: strings(ref_columns),
            on_delete,
            on_update,
        }
    }

    pub fn check(name: &str, expr: &str) -> Check {
        Check {
            name: name.into(),
            expr: expr.into(),
        }
    }

    /// `orgs` of the introspection tests' users DDL: `id` (auto-incrementing `id_ty`, primary
    /// key `orgs_pkey`) and `name varchar(100) NOT NULL`.
    pub fn orgs(id_ty: &str) -> Table {
        let mut orgs = empty_table(
            "orgs",
            vec![
                auto_column("id", id_ty),
                column("name", "varchar(100)", false, None),
            ],
        );
        orgs.primary_key = primary_key("orgs_pkey", &["id"]);
        orgs
    }

    /// `users` of the introspection tests' users DDL with its keys and indexes added to its
    /// `columns`: primary key `users_pkey (id)`; unique `users_email_key (email)` and
    /// `users_org_id_email_key (org_id, email)`; indexes `users_created_at_idx (created_at)`,
    /// `users_org_id_created_at_idx (org_id, created_at)` and, with `live_email_index`, the
    /// partial unique `users_live_email_idx (email) WHERE display_name IS NOT NULL`; foreign key
    /// `users_org_id_fkey (org_id) -> orgs (id)` ON DELETE CASCADE, ON UPDATE `on_update`.
    /// Checks differ by dialect: the caller adds them.
    pub fn users(columns: Vec<Column>, on_update: FkAction, live_email_index: bool) -> Table {
        let mut users = empty_table("users", columns);
        users.primary_key = primary_key("users_pkey", &["id"]);
        users.uniques = vec![
            unique("users_email_key", &["email"]),
            unique("users_org_id_email_key", &["org_id", "email"]),
        ];
        users.indexes = vec![index("users_created_at_idx", &["created_at"])];
        if live_email_index {
            users.indexes.push(Index {
                unique: true,
                predicate: Some("display_name IS NOT NULL".into()),
                ..index("users_live_email_idx", &["email"])
            });
        }
        users.indexes.push(index(
            "users_org_id_created_at_idx",
            &["org_id", "created_at"],
        ));
        users.foreign_keys = vec![foreign_key(
            "users_org_id_fkey",
            &["org_id"],
            "orgs",
            &["id"],
            FkAction::Cascade,
            on_update,
        )];
        users
    }

    /// `"select"` of the introspection tests' odd-names DDL: `"from"` and `"order"` (integer,
    /// primary key `select_pkey`), `"Mixed Case" text`, index `select_order_idx ("order")` and
    /// the check `"order" IN (1, 2)` named `check_name`.
    pub fn select(check_name: &str) -> Table {
        let mut select = empty_table(
            "select",
            vec![
                column("from", "integer", false, None),
                column("order", "integer", false, None),
                column("Mixed Case", "text", true, None),
            ],
        );
        select.primary_key = primary_key("select_pkey", &["from", "order"]);
        select.indexes = vec![index("select_order_idx", &["order"])];
        select.checks = vec![check(check_name, "\"order\" IN (1, 2)")];
        select
    }

    /// `categories` of the introspection tests' odd-names DDL: `id integer` (primary key
    /// `categories_pkey`) and `parent_id integer` referencing it ON DELETE SET NULL
    /// (`categories_parent_id_fkey`).
    pub fn categories() -> Table {
        let mut categories = empty_table(
            "categories",
            vec![
                column("id", "integer", false, None),
                column("parent_id", "integer", true, None),
            ],
        );
        categories.primary_key = primary_key("categories_pkey", &["id"]);
        categories.foreign_keys = vec![foreign_key(
            "categories_parent_id_fkey",
            &["parent_id"],
            "categories",
            &["id"],
            FkAction::SetNull,
            FkAction::NoAction,
        )];
        categories
    }
}

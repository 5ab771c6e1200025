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

fn names(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

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

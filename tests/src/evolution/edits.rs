//! The edits: each changes the model only in ways the seeded rows allow.

use super::{literal_default, pick, Column, Edit, Model, Table, Ty, COLUMN_NAMES, EDIT_KINDS};
use schema_core::decl::{DefaultDecl, FkAction};

impl Model {
    /// Applies `edit`; returns a description of what changed, or `None` when it did not apply.
    pub fn apply(&mut self, edit: Edit) -> Option<String> {
        let Edit { kind, a, b, c } = edit;
        let ti = (!self.tables.is_empty()).then(|| a as usize % self.tables.len());
        match kind % EDIT_KINDS {
            0 => self.add_table(b),
            1 => self.drop_table(ti?),
            2 => self.rename_table(ti?),
            3 => self.add_column(ti?, b, c),
            4 => self.drop_column(ti?, b),
            5 => self.rename_column(ti?, b, c),
            6 => self.change_type(ti?, b),
            7 => self.toggle_nullable(ti?, b),
            8 => self.change_default(ti?, b, c),
            9 => self.toggle_unique(ti?, b),
            10 => self.toggle_index(ti?, b),
            11 => self.toggle_check(ti?, b),
            12 => self.add_enum_value(b),
            13 => self.add_foreign_key(ti?, b, c),
            14 => self.change_fk_action(ti?, b, c),
            15 => self.toggle_composite(ti?, b, c),
            16 => self.toggle_partial_index(ti?, b),
            _ => self.remove_enum_value(b),
        }
    }

    fn add_table(&mut self, b: u16) -> Option<String> {
        let name = self.fresh_table_name();
        let mut t = Table {
            name: name.clone(),
            renamed_from: None,
            auto_id: b.is_multiple_of(2),
            columns: Vec::new(),
            checks: Vec::new(),
            composites: Vec::new(),
            partial_indexes: Vec::new(),
            rows: 0,
        };
        t.columns.push(Column {
            name: COLUMN_NAMES[b as usize % COLUMN_NAMES.len()].into(),
            ty: Ty::Text,
            nullable: b.is_multiple_of(3),
            default: None,
            unique: false,
            index: false,
            fk: None,
            renamed_from: None,
            distinct: true,
            has_nulls: false,
        });
        self.tables.push(t);
        Some(format!("add table {name}"))
    }

    fn drop_table(&mut self, ti: usize) -> Option<String> {
        let name = self.tables.remove(ti).name;
        for t in &mut self.tables {
            t.columns
                .retain(|c| c.fk.as_ref().is_none_or(|(r, _)| *r != name));
            let gone: Vec<String> = t
                .checks
                .iter()
                .map(|(_, c)| c)
                .chain(t.composites.iter().flat_map(|(_, cols)| cols))
                .chain(t.partial_indexes.iter().map(|(_, c)| c))
                .filter(|c| !t.columns.iter().any(|col| col.name == **c))
                .cloned()
                .collect();
            for c in gone {
                t.forget_column(&c);
            }
        }
        Some(format!("drop table {name}"))
    }

    fn rename_table(&mut self, ti: usize) -> Option<String> {
        if self.tables[ti].renamed_from.is_some() {
            return None;
        }
        let new = self.fresh_table_name();
        let old = std::mem::replace(&mut self.tables[ti].name, new.clone());
        self.tables[ti].renamed_from = Some(old.clone());
        for t in &mut self.tables {
            for c in &mut t.columns {
                if let Some((r, _)) = c.fk.as_mut().filter(|(r, _)| *r == old) {
                    *r = new.clone();
                }
            }
        }
        Some(format!("rename table {old} to {new}"))
    }

    fn add_column(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let name = self.fresh_column_name(ti, b);
        let mut ty = [
            Ty::I32,
            Ty::I64,
            Ty::Text,
            Ty::Bool,
            Ty::F64,
            Ty::Enum,
            Ty::Varchar,
        ][c as usize % 7];
        if ty == Ty::Enum && self.enum_values.is_none() {
            ty = Ty::I32;
        }
        let rows = self.tables[ti].rows;
        let nullable = b.is_multiple_of(2);
        let default = (!nullable || c.is_multiple_of(3))
            .then(|| literal_default(ty, c / 7, self.enum_values.as_ref()));
        let has_nulls = rows > 0 && default.is_none();
        self.tables[ti].columns.push(Column {
            name: name.clone(),
            ty,
            nullable,
            default,
            unique: false,
            index: c.is_multiple_of(5),
            fk: None,
            renamed_from: None,
            distinct: rows <= 1,
            has_nulls,
        });
        Some(format!("add column {}.{name} {ty:?}", self.tables[ti].name))
    }

    fn drop_column(&mut self, ti: usize, b: u16) -> Option<String> {
        let t = &mut self.tables[ti];
        if t.columns.len() <= 1 {
            return None;
        }
        let ci = b as usize % t.columns.len();
        if t.columns[ci].renamed_from.is_some() {
            return None;
        }
        let name = t.columns.remove(ci).name;
        t.forget_column(&name);
        Some(format!("drop column {}.{name}", t.name))
    }

    fn rename_column(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        if self.tables[ti].columns.is_empty() {
            return None;
        }
        let ci = b as usize % self.tables[ti].columns.len();
        if self.tables[ti].columns[ci].renamed_from.is_some() {
            return None;
        }
        let new = self.fresh_column_name(ti, c);
        let t = &mut self.tables[ti];
        let old = std::mem::replace(&mut t.columns[ci].name, new.clone());
        t.columns[ci].renamed_from = Some(old.clone());
        t.rename_in_constraints(&old, &new);
        Some(format!("rename column {}.{old} to {new}", t.name))
    }

    fn column_mut(&mut self, ti: usize, b: u16) -> Option<&mut Column> {
        let t = &mut self.tables[ti];
        let n = t.columns.len();
        (n > 0).then(|| &mut t.columns[b as usize % n])
    }

    fn change_type(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        if col.fk.is_some() {
            return None;
        }
        col.ty = match col.ty {
            Ty::I32 => Ty::I64,
            Ty::I64 => Ty::I32,
            Ty::Text => Ty::Varchar,
            Ty::Varchar => Ty::Text,
            _ => return None,
        };
        Some(format!("change type of {} to {:?}", col.name, col.ty))
    }

    fn toggle_nullable(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        if col.fk.is_some() || (col.nullable && col.has_nulls) {
            return None;
        }
        col.nullable = !col.nullable;
        Some(format!("{} nullable = {}", col.name, col.nullable))
    }

    fn change_default(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let enum_values = self.enum_values.clone();
        let col = self.column_mut(ti, b)?;
        if col.fk.is_some() {
            return None;
        }
        col.default = match (&col.default, c % 3) {
            (Some(_), 0) => None,
            _ => Some(literal_default(col.ty, c / 3, enum_values.as_ref())),
        };
        Some(format!("default of {} = {:?}", col.name, col.default))
    }

    fn toggle_unique(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        if (!col.unique && !col.distinct) || matches!(col.ty, Ty::Bool | Ty::Enum | Ty::F64) {
            return None;
        }
        col.unique = !col.unique;
        Some(format!("{} unique = {}", col.name, col.unique))
    }

    fn toggle_index(&mut self, ti: usize, b: u16) -> Option<String> {
        let col = self.column_mut(ti, b)?;
        col.index = !col.index;
        Some(format!("{} index = {}", col.name, col.index))
    }

    fn toggle_check(&mut self, ti: usize, b: u16) -> Option<String> {
        let table_name = self.tables[ti].name.clone();
        let mysql = self.mysql;
        let col = self.column_mut(ti, b)?;
        if !col.ty.is_int() {
            return None;
        }
        let col_name = col.name.clone();
        // MySQL refuses a check on a column its foreign key's action writes.
        let written = matches!(col.fk, Some((_, FkAction::SetNull)));
        self.next += 1;
        let fresh = format!("{table_name}_chk{}", self.next);
        let t = &mut self.tables[ti];
        if let Some(i) = t.checks.iter().position(|(_, c)| *c == col_name) {
            t.checks.remove(i);
            return Some(format!("drop check on {col_name}"));
        }
        if mysql && written {
            return None;
        }
        t.checks.push((fresh, col_name.clone()));
        Some(format!("add check {col_name} >= 0"))
    }

    fn add_enum_value(&mut self, b: u16) -> Option<String> {
        let values = self.enum_values.as_mut()?;
        self.next += 1;
        let value = format!("v{}", self.next);
        let at = b as usize % (values.len() + 1);
        values.insert(at, value.clone());
        Some(format!("add enum value {value} at {at}"))
    }

    /// A foreign key action picked by `c` (on MySQL never `set default`).
    fn fk_action(&self, c: u16) -> FkAction {
        let actions = if self.mysql {
            &FkAction::ALL[..4]
        } else {
            &FkAction::ALL[..]
        };
        actions[c as usize % actions.len()]
    }

    fn add_foreign_key(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let target = self.tables[b as usize % self.tables.len()].name.clone();
        let name = self.fresh_column_name(ti, c);
        let rows = self.tables[ti].rows;
        let action = self.fk_action(c);
        self.tables[ti].columns.push(Column {
            name: name.clone(),
            ty: Ty::I64,
            nullable: true,
            default: None,
            unique: false,
            index: c.is_multiple_of(2),
            fk: Some((target.clone(), action)),
            renamed_from: None,
            distinct: rows <= 1,
            has_nulls: rows > 0,
        });
        Some(format!(
            "add {}.{name} references {target}",
            self.tables[ti].name
        ))
    }

    fn change_fk_action(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let new_action = self.fk_action(c);
        let t = &mut self.tables[ti];
        let col = t
            .columns
            .iter_mut()
            .filter(|c| c.fk.is_some())
            .nth(b as usize % 4)?;
        // MySQL refuses a check on a column its foreign key's action writes.
        let checked = t.checks.iter().any(|(_, c)| *c == col.name);
        if self.mysql && checked && new_action == FkAction::SetNull {
            return None;
        }
        let (_, action) = col.fk.as_mut()?;
        *action = new_action;
        Some(format!("on delete of {} = {action:?}", col.name))
    }

    /// Adds or drops a two-column unique constraint (when the rows allow it) or index.
    fn toggle_composite(&mut self, ti: usize, b: u16, c: u16) -> Option<String> {
        let t = &mut self.tables[ti];
        if let Some(i) = (!t.composites.is_empty() && c.is_multiple_of(2))
            .then(|| b as usize % t.composites.len())
        {
            let (unique, cols) = t.composites.remove(i);
            return Some(format!("drop composite (unique {unique}) on {cols:?}"));
        }
        let n = t.columns.len();
        if n < 2 {
            return None;
        }
        let first = &t.columns[b as usize % n];
        let second = &t.columns[(b as usize + 1 + c as usize % (n - 1)) % n];
        let cols = vec![first.name.clone(), second.name.clone()];
        let unique = c % 3 == 1 && (first.distinct || second.distinct);
        if t.composites
            .iter()
            .any(|(u, existing)| *u == unique && *existing == cols)
        {
            return None;
        }
        t.composites.push((unique, cols.clone()));
        Some(format!("add composite (unique {unique}) on {cols:?}"))
    }

    fn toggle_partial_index(&mut self, ti: usize, b: u16) -> Option<String> {
        if self.mysql {
            return None;
        }
        self.next += 1;
        let fresh = format!("partial{}", self.next);
        let t = &mut self.tables[ti];
        let n = t.columns.len();
        let column = t.columns.get(b as usize % n.max(1))?.name.clone();
        if let Some(i) = t.partial_indexes.iter().position(|(_, c)| *c == column) {
            t.partial_indexes.remove(i);
            return Some(format!("drop partial index on {column}"));
        }
        t.partial_indexes.push((fresh, column.clone()));
        Some(format!("add partial index on {column}"))
    }

    /// Removes an enum value no row and no default holds.
    fn remove_enum_value(&mut self, b: u16) -> Option<String> {
        let in_use: Vec<String> = self
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter(|c| c.ty == Ty::Enum)
            .filter_map(|c| match &c.default {
                Some(DefaultDecl::Str(v)) => Some(v.clone()),
                _ => None,
            })
            .chain(self.seeded_enum_value.clone())
            .collect();
        let values = self.enum_values.as_mut()?;
        let removable: Vec<usize> = (0..values.len())
            .filter(|&i| !in_use.contains(&values[i]))
            .collect();
        let &i = pick(&removable, b)?;
        if values.len() <= 1 {
            return None;
        }
        let value = values.remove(i);
        Some(format!("remove enum value {value}"))
    }
}

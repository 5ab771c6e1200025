//! Enum types: created, dropped, values added, removed, reordered or renamed (by hint).

use super::Change;
use crate::model::{RenameHints, Schema};

pub(super) fn diff_enums(from: &Schema, to: &Schema, hints: &RenameHints) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, old) in &from.enums {
        if !to.enums.contains_key(name) {
            changes.push(Change::DropEnum(old.clone()));
        }
    }
    for (name, new) in &to.enums {
        let Some(old) = from.enums.get(name) else {
            changes.push(Change::CreateEnum(new.clone()));
            continue;
        };
        if old.values == new.values {
            continue;
        }
        let renamed_values: Vec<(String, String)> = new
            .values
            .iter()
            .filter_map(|value| {
                let old_value = hints.enum_values.get(&(name.clone(), value.clone()))?;
                let usable = old.values.contains(old_value)
                    && !old.values.contains(value)
                    && !new.values.contains(old_value);
                usable.then(|| (old_value.clone(), value.clone()))
            })
            .collect();
        changes.push(Change::AlterEnum {
            from: old.clone(),
            to: new.clone(),
            renamed_values,
        });
    }
    changes
}

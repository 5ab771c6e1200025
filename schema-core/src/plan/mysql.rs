//! MySQL and MariaDB (InnoDB): the index a foreign key needs.
//!
//! InnoDB needs an index whose leading columns are a foreign key's columns. When
//! `ADD CONSTRAINT fk FOREIGN KEY ..` finds none, it creates one named after the constraint,
//! silently drops that one again when a later index covers the columns, and never drops it
//! with the key. Introspection leaves an index named after its foreign key, on the key's
//! columns, out of the model while the key exists (`schema_runtime::introspect::mysql`).
//!
//! What the database holds must follow from the model alone, so the plan keeps one rule: a
//! foreign key has an index named after it exactly while no declared index (primary key,
//! unique, index) starts with its columns, and that index is always created by the plan
//! (`CREATE INDEX`), never left to InnoDB, so InnoDB never drops it behind the model's back.
//!
//! - A new table gets the index in its `CREATE TABLE` step; an existing table gets
//!   `CREATE INDEX <fk name>` just before `ADD FOREIGN KEY`.
//! - A dropped key is followed by `DROP INDEX <fk name>`; a key dropped and added back under
//!   its name on the same columns (new actions) keeps the index it has.
//! - A kept key whose last covering index is dropped gets its index before the drops (InnoDB
//!   refuses to drop the last index a key needs, error 1553); a kept key that becomes covered
//!   loses its index after the new covering index exists ([`cover_changes`]).
//!
//! Every one of these is the inverse of another, so the down of either direction keeps the rule.
//!
//! MySQL cannot rename a foreign key (renaming its table renames it in the model:
//! `<table>_<column>_fkey`): the key is dropped and added under its new name, and its implicit
//! index is renamed in between, so the new key finds it and it carries the new key's name.
//!
//! Nor a check: it is dropped and added under its new name.
//!
//! Enum values renamed in a column (its type is the value list, `enum('open','closed')`)
//! cannot be renamed by `MODIFY COLUMN`: strict mode refuses the rows holding the old value.
//! The column is widened to hold old and new values, the rows are updated, then the column is
//! narrowed to the new list.

use super::lost::lost_data;
use super::renames::Renames;
use super::step::{PlannedStep, Step};
use crate::diff::{enum_type_values, Change, ConstraintKind};
use crate::model::{Column, ForeignKey, Index, Schema, Table};
use crate::types::mysql_enum_type;

/// Some index of `table` (its primary key, a unique, an index other than `except`) starts
/// with `columns`.
pub(crate) fn covered(table: &Table, columns: &[String], except: Option<&str>) -> bool {
    let starts = |cols: &[String]| cols.len() >= columns.len() && cols[..columns.len()] == *columns;
    table
        .primary_key
        .as_ref()
        .is_some_and(|p| starts(&p.columns))
        || table.uniques.iter().any(|u| starts(&u.columns))
        || table
            .indexes
            .iter()
            .filter(|i| Some(i.name.as_str()) != except)
            .any(|i| i.predicate.is_none() && starts(&i.columns))
}

/// The index InnoDB makes for `fk` of `table`, if it makes one: none of the table's indexes
/// covers the key's columns.
pub(crate) fn implicit_index(table: &Table, fk: &ForeignKey) -> Option<Index> {
    (!covered(table, &fk.columns, Some(&fk.name))).then(|| fk_index(fk))
}

/// The index named after `fk`, on its columns.
fn fk_index(fk: &ForeignKey) -> Index {
    Index {
        name: fk.name.clone(),
        columns: fk.columns.clone(),
        unique: false,
        predicate: None,
    }
}

/// The key named `name` is dropped and added back on the same columns, needing its own index
/// before and after: the index stays where it is.
fn keeps_its_index(old: &Table, new: &Table, name: &str, renames: &Renames) -> bool {
    let renamed = renames.apply(old);
    let (Some(before), Some(renamed_before), Some(after)) = (
        old.foreign_keys.iter().find(|f| f.name == name),
        renamed.foreign_keys.iter().find(|f| f.name == name),
        new.foreign_keys.iter().find(|f| f.name == name),
    ) else {
        return false;
    };
    renamed_before.columns == after.columns
        && implicit_index(old, before).is_some()
        && implicit_index(new, after).is_some()
}

/// The table of `from` that becomes `new_name`: the one renamed to it, else the one of that
/// name (a table renamed to `new_name` wins over one already called so, which is dropped).
fn original<'a>(from: &'a Schema, new_name: &str, renames: &Renames) -> Option<&'a Table> {
    from.tables
        .values()
        .find(|t| t.name != new_name && renames.table(&t.name) == new_name)
        .or_else(|| {
            from.tables
                .get(new_name)
                .filter(|t| renames.table(&t.name) == new_name)
        })
}

/// `DROP FOREIGN KEY`, then `DROP INDEX` of the index InnoDB made for it. `table` is the name
/// before any rename: foreign keys are dropped first.
pub(super) fn drop_foreign_key(
    change: &Change,
    table: &str,
    fk: &ForeignKey,
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Vec<PlannedStep> {
    let mut steps = vec![PlannedStep {
        step: Step::Change(change.clone()),
        lost_data: lost_data(change),
    }];
    let Some(old) = from.tables.get(table) else {
        return steps;
    };
    let kept = to
        .tables
        .get(renames.table(table))
        .is_some_and(|new| keeps_its_index(old, new, &fk.name, renames));
    if let Some(index) = implicit_index(old, fk).filter(|_| !kept) {
        steps.push(PlannedStep {
            step: Step::Change(Change::DropIndex {
                table: table.to_string(),
                index,
            }),
            lost_data: vec![],
        });
    }
    steps
}

/// `CREATE INDEX` named after the key when InnoDB would make one, then `ADD FOREIGN KEY`.
/// `table` is the new name: foreign keys are added last.
pub(super) fn add_foreign_key(
    change: &Change,
    table: &str,
    fk: &ForeignKey,
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Vec<PlannedStep> {
    let step = PlannedStep {
        step: Step::Change(change.clone()),
        lost_data: lost_data(change),
    };
    let Some(new) = to.tables.get(table) else {
        return vec![step];
    };
    let old = original(from, table, renames);
    if old.is_some_and(|old| keeps_its_index(old, new, &fk.name, renames)) {
        return vec![step];
    }
    match implicit_index(new, fk) {
        Some(index) => vec![
            PlannedStep {
                step: Step::Change(Change::AddIndex {
                    table: table.to_string(),
                    index,
                }),
                lost_data: vec![],
            },
            step,
        ],
        None => vec![step],
    }
}

/// A foreign key renamed (`table` is its table's new name): `DROP FOREIGN KEY` under the old
/// names, `RENAME INDEX` of the index InnoDB made for it (after the table rename), `ADD FOREIGN
/// KEY` under the new name. `None` when the key is not in both schemas.
pub(super) fn rename_foreign_key(
    table: &str,
    old_name: &str,
    new_name: &str,
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Option<Vec<PlannedStep>> {
    let old_table = original(from, table, renames)?;
    let new_table = to.tables.get(table)?;
    let old_fk = old_table.foreign_keys.iter().find(|f| f.name == old_name)?;
    let new_fk = new_table.foreign_keys.iter().find(|f| f.name == new_name)?;
    let step = |c: Change| PlannedStep {
        step: Step::Change(c),
        lost_data: vec![],
    };
    let mut steps = vec![step(Change::DropForeignKey {
        table: old_table.name.clone(),
        foreign_key: old_fk.clone(),
    })];
    let old_index = implicit_index(old_table, old_fk);
    let new_index = implicit_index(new_table, new_fk);
    match (old_index, new_index) {
        (Some(_), Some(_)) => steps.push(step(Change::RenameConstraint {
            table: table.to_string(),
            kind: ConstraintKind::Index,
            from: old_name.to_string(),
            to: new_name.to_string(),
        })),
        // Another index covers the columns now: InnoDB's index is one nobody declared.
        (Some(index), None) => steps.push(step(Change::DropIndex {
            table: old_table.name.clone(),
            index,
        })),
        // Not covered any more (a covering index is dropped): the new key gets its own.
        (None, Some(index)) => steps.push(step(Change::AddIndex {
            table: table.to_string(),
            index,
        })),
        (None, None) => {}
    }
    steps.push(step(Change::AddForeignKey {
        table: table.to_string(),
        foreign_key: new_fk.clone(),
    }));
    Some(steps)
}

/// The table as `CREATE TABLE` makes it on MySQL: with the index named after each foreign key
/// no declared index covers (the keys themselves are added by later steps).
pub(super) fn with_foreign_key_indexes(table: &Table) -> Table {
    let mut out = Table {
        foreign_keys: Vec::new(),
        ..table.clone()
    };
    out.indexes.extend(
        table
            .foreign_keys
            .iter()
            .filter_map(|fk| implicit_index(table, fk)),
    );
    out
}

/// For the foreign keys `changes` leave alone: `CREATE INDEX <fk name>` to run before the
/// drops (the migration drops the last index covering the key), and `DROP INDEX <fk name>` to
/// run after the adds (the migration adds an index covering a key that had its own).
pub(super) fn cover_changes(
    from: &Schema,
    to: &Schema,
    changes: &[Change],
    renames: &Renames,
) -> (Vec<PlannedStep>, Vec<PlannedStep>) {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let step = |c: Change| PlannedStep {
        step: Step::Change(c),
        lost_data: vec![],
    };
    for old in from.tables.values() {
        let Some(new) = to.tables.get(renames.table(&old.name)) else {
            continue;
        };
        let renamed = renames.apply(old);
        for fk in &old.foreign_keys {
            let touched = changes.iter().any(|c| {
                matches!(c, Change::DropForeignKey { table, foreign_key }
                    if *table == old.name && foreign_key.name == fk.name)
            });
            let (Some(now), Some(kept)) = (
                renamed.foreign_keys.iter().find(|f| f.name == fk.name),
                new.foreign_keys.iter().find(|f| f.name == fk.name),
            ) else {
                continue;
            };
            if touched || now != kept {
                continue;
            }
            match (implicit_index(old, fk), implicit_index(new, kept)) {
                // Before the drops, under the old names: the table as it is then.
                (None, Some(_)) => before.push(step(Change::AddIndex {
                    table: old.name.clone(),
                    index: fk_index(fk),
                })),
                // After the adds and renames: the table as it is then.
                (Some(_), None) => after.push(step(Change::DropIndex {
                    table: new.name.clone(),
                    index: fk_index(kept),
                })),
                _ => {}
            }
        }
    }
    (before, after)
}

/// A check renamed (MySQL has no `RENAME CONSTRAINT`): `DROP CONSTRAINT` under the old
/// names, before the renames, and `ADD CONSTRAINT .. CHECK` under the new ones (which checks
/// the rows again). `None` when the check is not in both schemas.
pub(super) fn rename_check(
    table: &str,
    old_name: &str,
    new_name: &str,
    from: &Schema,
    to: &Schema,
    renames: &Renames,
) -> Option<Vec<PlannedStep>> {
    let old_table = original(from, table, renames)?;
    let old = old_table.checks.iter().find(|c| c.name == old_name)?;
    let new = to
        .tables
        .get(table)?
        .checks
        .iter()
        .find(|c| c.name == new_name)?;
    let step = |c: Change| PlannedStep {
        step: Step::Change(c),
        lost_data: vec![],
    };
    Some(vec![
        step(Change::DropCheck {
            table: old_table.name.clone(),
            check: old.clone(),
        }),
        step(Change::AddCheck {
            table: table.to_string(),
            check: new.clone(),
        }),
    ])
}

/// The value renames of column `column` of `table` in `all`.
fn renamed_values<'a>(table: &str, column: &str, all: &'a [Change]) -> Option<&'a Change> {
    all.iter().find(|c| {
        matches!(c, Change::RenameValues { table: t, column: col, .. } if t == table && col == column)
    })
}

/// Whether `change` (a value rename) is carried out by the retyping of its column
/// ([`alter_column`]): it runs nothing on its own.
pub(super) fn renames_in_alter_column(change: &Change, all: &[Change]) -> bool {
    let Change::RenameValues { table, column, .. } = change else {
        return false;
    };
    all.iter().any(|c| {
        matches!(c, Change::AlterColumn { table: t, to, .. } if t == table && to.name == *column)
    })
}

/// A column change; when it renames enum values: widen to old and new values, update the
/// rows, narrow to the new values (each of the three steps inverts in the down).
pub(super) fn alter_column(
    change: &Change,
    table: &str,
    from: &Column,
    to: &Column,
    all: &[Change],
) -> Vec<PlannedStep> {
    let whole = || {
        vec![PlannedStep {
            step: Step::Change(change.clone()),
            lost_data: lost_data(change),
        }]
    };
    let Some(rename) = renamed_values(table, &to.name, all) else {
        return whole();
    };
    let (Some(old), Some(new)) = (enum_type_values(&from.ty), enum_type_values(&to.ty)) else {
        return whole();
    };
    let mut both = old.clone();
    both.extend(new.iter().filter(|v| !old.contains(v)).cloned());
    let wide = Column {
        ty: mysql_enum_type(&both),
        ..from.clone()
    };
    let step = |c: Change, lost_data| PlannedStep {
        step: Step::Change(c),
        lost_data,
    };
    vec![
        step(
            Change::AlterColumn {
                table: table.to_string(),
                from: from.clone(),
                to: wide.clone(),
            },
            vec![],
        ),
        step(rename.clone(), vec![]),
        step(
            Change::AlterColumn {
                table: table.to_string(),
                from: wide,
                to: to.clone(),
            },
            lost_data(change),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FkAction, PrimaryKey, Unique};

    fn fk(columns: &[&str]) -> ForeignKey {
        ForeignKey {
            name: "posts_user_id_fkey".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
        }
    }

    fn posts() -> Table {
        Table {
            name: "posts".into(),
            columns: vec![],
            primary_key: Some(PrimaryKey {
                name: "posts_pkey".into(),
                columns: vec!["id".into()],
            }),
            uniques: vec![],
            indexes: vec![],
            foreign_keys: vec![fk(&["user_id"])],
            checks: vec![],
        }
    }

    fn index(name: &str, columns: &[&str]) -> Index {
        Index {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            unique: false,
            predicate: None,
        }
    }

    #[test]
    fn an_uncovered_key_has_an_implicit_index_named_after_it() {
        assert_eq!(
            implicit_index(&posts(), &fk(&["user_id"])),
            Some(index("posts_user_id_fkey", &["user_id"]))
        );
    }

    #[test]
    fn an_index_leading_with_the_columns_means_none_was_created() {
        let mut t = posts();
        t.indexes
            .push(index("posts_user_id_at", &["user_id", "at"]));
        assert_eq!(implicit_index(&t, &fk(&["user_id"])), None);

        let mut t = posts();
        t.uniques.push(Unique {
            name: "posts_user_id_key".into(),
            columns: vec!["user_id".into()],
        });
        assert_eq!(implicit_index(&t, &fk(&["user_id"])), None);

        // The primary key covers its own leading columns.
        let mut t = posts();
        t.primary_key.as_mut().unwrap().columns = vec!["user_id".into(), "id".into()];
        assert_eq!(implicit_index(&t, &fk(&["user_id"])), None);
    }

    #[test]
    fn an_index_with_the_columns_in_second_place_does_not_cover() {
        let mut t = posts();
        t.indexes
            .push(index("posts_at_user_id", &["at", "user_id"]));
        assert!(implicit_index(&t, &fk(&["user_id"])).is_some());
        // Nor does an index on only the first columns of a composite key.
        let mut t = posts();
        t.indexes.push(index("posts_user_id", &["user_id"]));
        assert!(implicit_index(&t, &fk(&["user_id", "org_id"])).is_some());
    }
}

//! Named things of one paired table: primary key, unique constraints, indexes, foreign keys
//! and checks. Paired by name; an unpaired old and new one with the same definition (after the
//! table and column renames) are a rename, since only the name differs.

use super::tables::Renames;
use super::{Change, ConstraintKind};
use crate::model::{Check, ForeignKey, Index, PrimaryKey, Table, Unique};

/// Something with a name whose definition can be compared with the name ignored.
trait Named: Clone + PartialEq {
    fn name(&self) -> &str;
    fn with_name(&self, name: &str) -> Self;
}

macro_rules! named {
    ($ty:ty) => {
        impl Named for $ty {
            fn name(&self) -> &str {
                &self.name
            }
            fn with_name(&self, name: &str) -> Self {
                let mut copy = self.clone();
                copy.name = name.to_string();
                copy
            }
        }
    };
}
named!(PrimaryKey);
named!(Unique);
named!(Index);
named!(ForeignKey);
named!(Check);

struct Paired<T> {
    /// Old objects as they were (old column names).
    dropped: Vec<T>,
    added: Vec<T>,
    /// (old name, new name)
    renamed: Vec<(String, String)>,
}

/// `old` holds the original objects, `old_renamed` the same objects with the renames applied.
fn pair<T: Named>(old: &[T], old_renamed: &[T], new: &[T]) -> Paired<T> {
    let mut dropped = Vec::new();
    let mut unpaired_old: Vec<(&T, &T)> = Vec::new();
    for (orig, renamed) in old.iter().zip(old_renamed) {
        match new.iter().find(|n| n.name() == renamed.name()) {
            Some(n) if n == renamed => {}
            Some(_) => dropped.push(orig.clone()),
            None => unpaired_old.push((orig, renamed)),
        }
    }
    let mut added: Vec<T> = Vec::new();
    let mut unpaired_new: Vec<&T> = Vec::new();
    for n in new {
        match old_renamed.iter().find(|o| o.name() == n.name()) {
            Some(o) if o == n => {}
            Some(_) => added.push(n.clone()),
            None => unpaired_new.push(n),
        }
    }
    let mut renamed = Vec::new();
    for (orig, old_r) in unpaired_old {
        let same = unpaired_new
            .iter()
            .position(|n| n.with_name(old_r.name()) == *old_r);
        match same {
            Some(i) => {
                let n = unpaired_new.remove(i);
                renamed.push((orig.name().to_string(), n.name().to_string()));
            }
            None => dropped.push(orig.clone()),
        }
    }
    added.extend(unpaired_new.into_iter().cloned());
    Paired {
        dropped,
        added,
        renamed,
    }
}

fn cols(table: &str, columns: &[String], renames: &Renames) -> Vec<String> {
    columns
        .iter()
        .map(|c| renames.column(table, c).to_string())
        .collect()
}

fn rename_fk(fk: &ForeignKey, table: &str, renames: &Renames) -> ForeignKey {
    let ref_table = renames.table(&fk.ref_table).to_string();
    ForeignKey {
        columns: cols(table, &fk.columns, renames),
        ref_columns: cols(&ref_table, &fk.ref_columns, renames),
        ref_table,
        ..fk.clone()
    }
}

pub(super) fn constraint_changes(old: &Table, new: &Table, renames: &Renames) -> Vec<Change> {
    let t = new.name.as_str();
    let old_t = old.name.as_str();
    let mut changes = Vec::new();
    let mut renames_out = Vec::new();

    let old_pk: Vec<PrimaryKey> = old.primary_key.iter().cloned().collect();
    let old_pk_r: Vec<PrimaryKey> = old_pk
        .iter()
        .map(|p| PrimaryKey {
            columns: cols(t, &p.columns, renames),
            ..p.clone()
        })
        .collect();
    let new_pk: Vec<PrimaryKey> = new.primary_key.iter().cloned().collect();
    let p = pair(&old_pk, &old_pk_r, &new_pk);
    for pk in p.dropped {
        changes.push(Change::DropPrimaryKey {
            table: old_t.into(),
            primary_key: pk,
        });
    }
    renames_out.extend(
        p.renamed
            .into_iter()
            .map(|r| (ConstraintKind::PrimaryKey, r)),
    );
    let added_pk = p.added;

    let uniques_r: Vec<Unique> = old
        .uniques
        .iter()
        .map(|u| Unique {
            columns: cols(t, &u.columns, renames),
            ..u.clone()
        })
        .collect();
    let p = pair(&old.uniques, &uniques_r, &new.uniques);
    for unique in p.dropped {
        changes.push(Change::DropUnique {
            table: old_t.into(),
            unique,
        });
    }
    renames_out.extend(p.renamed.into_iter().map(|r| (ConstraintKind::Unique, r)));
    let added_uniques = p.added;

    let indexes_r: Vec<Index> = old
        .indexes
        .iter()
        .map(|i| Index {
            columns: cols(t, &i.columns, renames),
            predicate: i.predicate.as_ref().map(|p| renames.expr(t, p)),
            ..i.clone()
        })
        .collect();
    let p = pair(&old.indexes, &indexes_r, &new.indexes);
    for index in p.dropped {
        changes.push(Change::DropIndex {
            table: old_t.into(),
            index,
        });
    }
    renames_out.extend(p.renamed.into_iter().map(|r| (ConstraintKind::Index, r)));
    let added_indexes = p.added;

    let fks_r: Vec<ForeignKey> = old
        .foreign_keys
        .iter()
        .map(|f| rename_fk(f, t, renames))
        .collect();
    let p = pair(&old.foreign_keys, &fks_r, &new.foreign_keys);
    for foreign_key in p.dropped {
        changes.push(Change::DropForeignKey {
            table: old_t.into(),
            foreign_key,
        });
    }
    renames_out.extend(
        p.renamed
            .into_iter()
            .map(|r| (ConstraintKind::ForeignKey, r)),
    );
    let added_fks = p.added;

    let checks_r: Vec<Check> = old
        .checks
        .iter()
        .map(|c| Check {
            expr: renames.expr(t, &c.expr),
            ..c.clone()
        })
        .collect();
    let p = pair(&old.checks, &checks_r, &new.checks);
    for check in p.dropped {
        changes.push(Change::DropCheck {
            table: old_t.into(),
            check,
        });
    }
    renames_out.extend(p.renamed.into_iter().map(|r| (ConstraintKind::Check, r)));
    let added_checks = p.added;

    for (kind, (from, to)) in renames_out {
        changes.push(Change::RenameConstraint {
            table: t.into(),
            kind,
            from,
            to,
        });
    }
    for primary_key in added_pk {
        changes.push(Change::AddPrimaryKey {
            table: t.into(),
            primary_key,
        });
    }
    for unique in added_uniques {
        changes.push(Change::AddUnique {
            table: t.into(),
            unique,
        });
    }
    for index in added_indexes {
        changes.push(Change::AddIndex {
            table: t.into(),
            index,
        });
    }
    for check in added_checks {
        changes.push(Change::AddCheck {
            table: t.into(),
            check,
        });
    }
    for foreign_key in added_fks {
        changes.push(Change::AddForeignKey {
            table: t.into(),
            foreign_key,
        });
    }
    changes
}

//! Part of a diagram: named tables (`--tables a,b`) or a table and its neighbourhood
//! (`--around TABLE --depth N`). Relations are kept between kept tables; enums are kept when a
//! kept column uses them.

use crate::error::Error;
use crate::graph::Graph;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    #[default]
    All,
    /// These tables only.
    Tables(Vec<String>),
    /// The table and every table at most `depth` relations away (either direction).
    Around { table: String, depth: usize },
}

impl Graph {
    /// The part of the diagram `selection` names; an unknown table name is an error.
    pub fn select(self, selection: &Selection) -> Result<Graph, Error> {
        let keep = match selection {
            Selection::All => return Ok(self),
            Selection::Tables(names) => {
                for name in names {
                    self.check_table(name)?;
                }
                names.iter().map(String::as_str).collect()
            }
            Selection::Around { table, depth } => {
                self.check_table(table)?;
                self.around(table, *depth)
            }
        };
        let keep: BTreeSet<String> = keep.into_iter().map(str::to_string).collect();
        Ok(self.retain_tables(&keep))
    }

    /// The tables at most `depth` relations away from `start`, `start` included.
    pub fn around<'a>(&'a self, start: &'a str, depth: usize) -> BTreeSet<&'a str> {
        let mut adjacent: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for r in &self.relations {
            adjacent.entry(&r.table).or_default().insert(&r.ref_table);
            adjacent.entry(&r.ref_table).or_default().insert(&r.table);
        }
        let mut seen = BTreeSet::from([start]);
        let mut frontier = vec![start];
        for _ in 0..depth {
            let mut next = Vec::new();
            for table in frontier {
                for &neighbour in adjacent.get(table).into_iter().flatten() {
                    if seen.insert(neighbour) {
                        next.push(neighbour);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        seen
    }

    /// Only the tables in `keep`, the relations between them, and the enums their columns use.
    pub(crate) fn retain_tables(mut self, keep: &BTreeSet<String>) -> Graph {
        self.tables.retain(|t| keep.contains(&t.name));
        self.relations
            .retain(|r| keep.contains(&r.table) && keep.contains(&r.ref_table));
        self.enum_uses.retain(|u| keep.contains(&u.table));
        let used: BTreeSet<&str> = self
            .enum_uses
            .iter()
            .map(|u| u.enum_name.as_str())
            .collect();
        let used: BTreeSet<String> = used.into_iter().map(str::to_string).collect();
        self.enums.retain(|e| used.contains(&e.name));
        self
    }

    fn check_table(&self, name: &str) -> Result<(), Error> {
        if self.table(name).is_some() {
            return Ok(());
        }
        Err(Error::UnknownTable {
            name: name.to_string(),
            suggestion: closest(name, self.tables.iter().map(|t| t.name.as_str()))
                .map(str::to_string),
        })
    }
}

/// The candidate nearest to `name` by edit distance, if it is near enough to be a typo.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(name.chars().count()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_suggested() {
        let names = ["users", "posts", "comments"];
        assert_eq!(closest("user", names.into_iter()), Some("users"));
        assert_eq!(closest("coments", names.into_iter()), Some("comments"));
        assert_eq!(closest("invoices", names.into_iter()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}

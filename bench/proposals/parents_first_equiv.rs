//! (Landed: schema-core 140b3d0 replaced `current` below with Kahn's algorithm. Kept as the record of the
//! measurement that found it.)
//! Checks that the proposed O((N+E) log N) `parents_first` (Kahn, first-in-input-order) returns
//! exactly what the current one (schema-core/src/plan/order.rs) returns, on random graphs with
//! self references, duplicate references, cycles and references to unknown tables; then times
//! both on the benchmark's shape (t_i references t_{i-1}, tables in name order).
//! Run: rustc -O parents_first_equiv.rs -o /tmp/pfe && /tmp/pfe
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

struct Fk { ref_table: String }
struct Table { name: String, foreign_keys: Vec<Fk> }

fn current(tables: &[&Table]) -> Vec<usize> {
    let mut pending: Vec<usize> = (0..tables.len()).collect();
    let mut out = Vec::with_capacity(tables.len());
    while !pending.is_empty() {
        let waits_for_parent = |i: usize, pending: &[usize]| {
            tables[i].foreign_keys.iter().any(|fk| {
                fk.ref_table != tables[i].name
                    && pending.iter().any(|&p| p != i && tables[p].name == fk.ref_table)
            })
        };
        let next = pending.iter().position(|&i| !waits_for_parent(i, &pending)).unwrap_or(0);
        out.push(pending.remove(next));
    }
    out
}

fn proposed(tables: &[&Table]) -> Vec<usize> {
    let n = tables.len();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(n);
    for (i, t) in tables.iter().enumerate() {
        by_name.entry(t.name.as_str()).or_default().push(i);
    }
    let mut waiting = vec![0usize; n];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, t) in tables.iter().enumerate() {
        let mut parents: Vec<usize> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.ref_table != t.name)
            .flat_map(|fk| by_name.get(fk.ref_table.as_str()).into_iter().flatten().copied())
            .filter(|&p| p != i)
            .collect();
        parents.sort_unstable();
        parents.dedup();
        waiting[i] = parents.len();
        for p in parents {
            children[p].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut pending: BTreeSet<usize> = (0..n).collect();
    let mut out = Vec::with_capacity(n);
    while let Some(&first) = pending.first() {
        let next = ready.pop_first().unwrap_or(first);
        pending.remove(&next);
        out.push(next);
        for &c in &children[next] {
            if pending.contains(&c) {
                waiting[c] -= 1;
                if waiting[c] == 0 {
                    ready.insert(c);
                }
            }
        }
    }
    out
}

fn main() {
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut rnd = |m: u64| { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; seed % m };
    for case in 0..20_000 {
        let n = 1 + rnd(12) as usize;
        let tables: Vec<Table> = (0..n)
            .map(|_| Table {
                // a small name space, so duplicates happen too
                name: format!("t{}", rnd(n as u64 + 2)),
                foreign_keys: (0..rnd(4)).map(|_| Fk { ref_table: format!("t{}", rnd(n as u64 + 3)) }).collect(),
            })
            .collect();
        let refs: Vec<&Table> = tables.iter().collect();
        assert_eq!(current(&refs), proposed(&refs), "case {case}");
    }
    println!("20000 random graphs: same order");
    for n in [100usize, 1000, 5000] {
        let mut names: Vec<usize> = (0..n).collect();
        names.sort_by_key(|i| i.to_string()); // name order, as the diff hands them over
        let tables: Vec<Table> = names
            .iter()
            .map(|&i| Table { name: format!("t_{i}"), foreign_keys: vec![Fk { ref_table: format!("t_{}", i.saturating_sub(1)) }] })
            .collect();
        let refs: Vec<&Table> = tables.iter().collect();
        let t = Instant::now();
        let a = current(&refs);
        let ta = t.elapsed();
        let t = Instant::now();
        let b = proposed(&refs);
        let tb = t.elapsed();
        assert_eq!(a, b);
        println!("N={n}: current {ta:?}, proposed {tb:?}");
    }
}

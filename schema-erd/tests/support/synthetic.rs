//! A synthetic schema of any size, shaped like real ones: a few hub tables that many others
//! reference, chains of tables referencing recent ones, nullable and unique (one-to-one)
//! foreign keys, self references, join tables (many-to-many) and enums. Deterministic: the
//! same `n` gives the same schema. Shared by the tests and `examples/synthetic_snapshot.rs`
//! (the benchmark's input).

use schema_core::model::{Column, Enum, FkAction, ForeignKey, PrimaryKey, Schema, Table, Unique};
use schema_core::Dialect;

const NOUNS: [&str; 16] = [
    "account", "order", "invoice", "product", "shipment", "ticket", "review", "payment", "address",
    "session", "report", "project", "task", "comment", "asset", "event",
];
const TYPES: [&str; 7] = [
    "text",
    "varchar(320)",
    "timestamptz",
    "integer",
    "boolean",
    "numeric(12,2)",
    "jsonb",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

pub fn table_name(i: usize) -> String {
    format!("{}_{:04}", NOUNS[i % NOUNS.len()], i)
}

fn column(name: &str, ty: &str, nullable: bool) -> Column {
    Column {
        name: name.to_string(),
        ty: ty.to_string(),
        nullable,
        default: None,
        auto_increment: false,
    }
}

fn foreign_key(table: &str, column: &str, target: &str) -> ForeignKey {
    ForeignKey {
        name: format!("{table}_{column}_fkey"),
        columns: vec![column.to_string()],
        ref_table: target.to_string(),
        ref_columns: vec!["id".to_string()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    }
}

/// `n` tables (and `n / 10` enums) on PostgreSQL.
pub fn schema(n: usize) -> Schema {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let mut schema = Schema::empty(Dialect::Postgres);
    let enums = (n / 10).max(1);
    for e in 0..enums {
        let name = format!("status_{e:03}");
        let values = (0..3 + e % 4).map(|v| format!("state_{v}")).collect();
        schema.enums.insert(name.clone(), Enum { name, values });
    }
    let hubs = (n / 50).max(1);
    for i in 0..n {
        let name = table_name(i);
        let mut columns = Vec::new();
        let mut fks = Vec::new();
        let mut uniques = Vec::new();
        let primary_key;
        let join = i >= 4 && i % 12 == 0;
        if join {
            let a = table_name(rng.below(i));
            let mut b = table_name(rng.below(i));
            if b == a {
                b = table_name((rng.below(i) + 1) % i);
            }
            for (col, target) in [("left_id", &a), ("right_id", &b)] {
                columns.push(column(col, "bigint", false));
                fks.push(foreign_key(&name, col, target));
            }
            columns.push(column("created_at", "timestamptz", false));
            primary_key = PrimaryKey {
                name: format!("{name}_pkey"),
                columns: vec!["left_id".into(), "right_id".into()],
            };
        } else {
            let mut id = column("id", "bigint", false);
            id.auto_increment = true;
            columns.push(id);
            primary_key = PrimaryKey {
                name: format!("{name}_pkey"),
                columns: vec!["id".into()],
            };
            if i >= hubs {
                // Most tables belong to a hub (an owner); many follow a recent table.
                if rng.chance(70) {
                    let target = table_name(rng.below(hubs));
                    columns.push(column("owner_id", "bigint", false));
                    fks.push(foreign_key(&name, "owner_id", &target));
                }
                if rng.chance(60) {
                    let lo = i.saturating_sub(30).max(hubs);
                    if lo < i {
                        let target = table_name(lo + rng.below(i - lo));
                        let nullable = rng.chance(30);
                        columns.push(column("parent_ref_id", "bigint", nullable));
                        fks.push(foreign_key(&name, "parent_ref_id", &target));
                        if rng.chance(10) {
                            uniques.push(Unique {
                                name: format!("{name}_parent_ref_id_key"),
                                columns: vec!["parent_ref_id".into()],
                            });
                        }
                    }
                }
                if i % 25 == 7 {
                    columns.push(column("parent_id", "bigint", true));
                    fks.push(foreign_key(&name, "parent_id", &name));
                }
            }
            let extra = 2 + rng.below(8);
            for c in 0..extra {
                let ty = TYPES[rng.below(TYPES.len())];
                columns.push(column(&format!("field_{c}"), ty, rng.chance(35)));
            }
            if rng.chance(40) {
                let e = format!("status_{:03}", rng.below(enums));
                columns.push(column("status", &e, false));
            }
            if rng.chance(30) {
                columns.push(column("email", "varchar(320)", false));
                uniques.push(Unique {
                    name: format!("{name}_email_key"),
                    columns: vec!["email".into()],
                });
            }
        }
        fks.sort_by(|a, b| a.name.cmp(&b.name));
        uniques.sort_by(|a, b| a.name.cmp(&b.name));
        schema.tables.insert(
            name.clone(),
            Table {
                name,
                columns,
                primary_key: Some(primary_key),
                uniques,
                indexes: Vec::new(),
                foreign_keys: fks,
                checks: Vec::new(),
            },
        );
    }
    schema
}

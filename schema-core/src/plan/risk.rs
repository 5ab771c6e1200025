//! The first risk classifier: one verdict per typed change, from the change alone and the
//! dialect. A later version will refine it per dialect version (PostgreSQL major, SQLite
//! release); it only ever looks at typed changes, never at SQL text.

use crate::dialect::Dialect;
use crate::diff::{removed_enum_values, Change};
use crate::model::Column;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Safe,
    NeedsCare,
    Destructive,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Safe => "safe",
            RiskLevel::NeedsCare => "needs care",
            RiskLevel::Destructive => "destructive",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub level: RiskLevel,
    pub reason: String,
}

impl Risk {
    fn new(level: RiskLevel, reason: impl Into<String>) -> Risk {
        Risk {
            level,
            reason: reason.into(),
        }
    }
}

const OLD_APP: &str = "breaks the running old app version, which still uses the old name";

pub fn classify(change: &Change, dialect: Dialect) -> Risk {
    use Change::*;
    use RiskLevel::*;
    match change {
        CreateEnum(_) | CreateTable(_) => Risk::new(Safe, "creates a new object"),
        DropEnum(_) => Risk::new(Safe, "the type is no longer used by any column"),
        AlterEnum {
            from,
            to,
            renamed_values,
        } => {
            let removed = removed_enum_values(from, to, renamed_values);
            if !removed.is_empty() {
                Risk::new(
                    NeedsCare,
                    format!(
                        "removes enum values {}: fails if any row still holds one, and the old app version may still write them",
                        removed.join(", ")
                    ),
                )
            } else if !renamed_values.is_empty() {
                Risk::new(NeedsCare, "renamed values break the running old app version")
            } else {
                Risk::new(
                    Safe,
                    "adds values; they cannot be used in the same transaction that adds them",
                )
            }
        }
        DropTable(t) => Risk::new(
            Destructive,
            format!("data loss: every row of {} is deleted", t.name),
        ),
        RenameTable { .. } | RenameColumn { .. } => Risk::new(NeedsCare, OLD_APP),
        AddColumn { column, .. } => add_column_risk(column, dialect),
        DropColumn { table, column } => Risk::new(
            Destructive,
            format!(
                "data loss: the values of {table}.{} are deleted; the old app version still reads it",
                column.name
            ),
        ),
        AlterColumn { from, to, .. } => alter_column_risk(from, to, dialect),
        AddPrimaryKey { .. } | AddUnique { .. } => Risk::new(
            NeedsCare,
            "fails if existing rows hold duplicates; builds an index while writes are blocked",
        ),
        AddIndex { index, .. } => Risk::new(
            NeedsCare,
            if index.unique {
                "fails if existing rows hold duplicates; blocks writes while the index builds"
            } else {
                "blocks writes to the table while the index builds"
            },
        ),
        AddForeignKey { .. } => Risk::new(
            NeedsCare,
            "fails if existing rows violate it; blocks writes on both tables while it checks them",
        ),
        AddCheck { .. } => Risk::new(
            NeedsCare,
            "fails if existing rows violate it; blocks writes while it checks them",
        ),
        DropPrimaryKey { .. }
        | DropUnique { .. }
        | DropIndex { .. }
        | DropForeignKey { .. }
        | DropCheck { .. } => Risk::new(Safe, "no data changes; the rule is no longer enforced"),
        RenameConstraint { .. } => Risk::new(Safe, "only the name changes"),
        RenameValues { .. } => Risk::new(
            NeedsCare,
            "renamed values break the running old app version, which still writes the old ones",
        ),
    }
}

fn add_column_risk(column: &Column, dialect: Dialect) -> Risk {
    use RiskLevel::*;
    if column.auto_increment {
        return Risk::new(
            NeedsCare,
            "fills every existing row: rewrites the table under a lock",
        );
    }
    if !column.nullable && column.default.is_none() {
        return Risk::new(
            NeedsCare,
            "NOT NULL without a default: fails if the table has rows, and inserts from the old app version fail",
        );
    }
    if dialect == Dialect::Postgres && column.default.as_deref().is_some_and(is_volatile) {
        return Risk::new(
            NeedsCare,
            "a volatile default rewrites the whole table under a lock",
        );
    }
    Risk::new(Safe, "adds a column")
}

/// Defaults PostgreSQL must evaluate per row (conservative: known volatile functions).
fn is_volatile(default: &str) -> bool {
    let d = default.to_ascii_lowercase();
    [
        "random(",
        "gen_random_uuid(",
        "uuid_generate",
        "clock_timestamp(",
        "nextval(",
    ]
    .iter()
    .any(|f| d.contains(f))
}

fn alter_column_risk(from: &Column, to: &Column, dialect: Dialect) -> Risk {
    use RiskLevel::*;
    let mut level = Safe;
    let mut reasons = Vec::new();
    if from.ty != to.ty {
        if is_lossy_cast(&from.ty, &to.ty) {
            level = Destructive;
            reasons.push(format!(
                "{} -> {} can lose precision or fail on existing values",
                from.ty, to.ty
            ));
        } else {
            level = level.max(NeedsCare);
            reasons.push(match dialect {
                Dialect::Sqlite => "changes the type: rebuilds the table; fails if values do not convert".to_string(),
                _ => "changes the type: may rewrite the table under a lock and fails if values do not convert".to_string(),
            });
        }
    }
    if from.nullable && !to.nullable {
        level = level.max(NeedsCare);
        reasons.push(match &to.default {
            Some(d) => format!(
                "SET NOT NULL: rows holding NULL are set to the default {d} first; scans the table"
            ),
            None => "SET NOT NULL fails if any row holds NULL and scans the table".into(),
        });
    }
    if !from.nullable && to.nullable {
        reasons.push("drops NOT NULL".into());
    }
    if from.default != to.default {
        reasons.push("changes the default (existing rows keep their values)".into());
    }
    if from.auto_increment != to.auto_increment {
        level = level.max(NeedsCare);
        reasons.push(if to.auto_increment {
            "adds generated values".to_string()
        } else {
            "stops generating values: inserts that rely on them fail".to_string()
        });
    }
    Risk::new(level, reasons.join("; "))
}

fn family(ty: &str) -> Option<(u8, u32)> {
    let base = ty.split('(').next().unwrap_or(ty).trim();
    Some(match base {
        "smallint" => (0, 1),
        "integer" | "int" => (0, 2),
        "bigint" => (0, 3),
        "real" | "float" => (1, 1),
        "double precision" | "double" => (1, 2),
        "numeric" | "decimal" => (1, 3),
        _ => return None,
    })
}

/// A type change that silently rounds: a fractional number into an integer, or into a less
/// precise fractional type. (Narrowing an integer fails loudly on a value that does not fit,
/// which is "needs care", not data loss.)
fn is_lossy_cast(from: &str, to: &str) -> bool {
    match (family(from), family(to)) {
        (Some((1, _)), Some((0, _))) => true,
        (Some((1, r1)), Some((1, r2))) => r2 < r1,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Column;

    fn col(ty: &str, nullable: bool) -> Column {
        Column {
            name: "c".into(),
            ty: ty.into(),
            nullable,
            default: None,
            auto_increment: false,
        }
    }

    #[test]
    fn drops_are_destructive_adds_are_safe() {
        let drop = Change::DropColumn {
            table: "t".into(),
            column: col("text", true),
        };
        assert_eq!(
            classify(&drop, Dialect::Postgres).level,
            RiskLevel::Destructive
        );
        let add = Change::AddColumn {
            table: "t".into(),
            column: col("text", true),
        };
        assert_eq!(classify(&add, Dialect::Postgres).level, RiskLevel::Safe);
        let add_required = Change::AddColumn {
            table: "t".into(),
            column: col("text", false),
        };
        assert_eq!(
            classify(&add_required, Dialect::Postgres).level,
            RiskLevel::NeedsCare
        );
    }

    #[test]
    fn narrowing_types_is_destructive_widening_needs_care() {
        let alter = |a: &str, b: &str| Change::AlterColumn {
            table: "t".into(),
            from: col(a, false),
            to: col(b, false),
        };
        assert_eq!(
            classify(&alter("bigint", "integer"), Dialect::Postgres).level,
            RiskLevel::NeedsCare
        );
        assert_eq!(
            classify(&alter("numeric", "real"), Dialect::Postgres).level,
            RiskLevel::Destructive
        );
        assert_eq!(
            classify(&alter("double precision", "bigint"), Dialect::Postgres).level,
            RiskLevel::Destructive
        );
        assert_eq!(
            classify(&alter("integer", "bigint"), Dialect::Postgres).level,
            RiskLevel::NeedsCare
        );
        assert_eq!(
            classify(&alter("text", "integer"), Dialect::Postgres).level,
            RiskLevel::NeedsCare
        );
    }

    #[test]
    fn volatile_default_needs_care_on_postgres() {
        let mut c = col("uuid", false);
        c.default = Some("gen_random_uuid()".into());
        let add = Change::AddColumn {
            table: "t".into(),
            column: c,
        };
        assert_eq!(
            classify(&add, Dialect::Postgres).level,
            RiskLevel::NeedsCare
        );
    }
}

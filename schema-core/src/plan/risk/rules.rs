//! One rule per kind of change, with the dialect and PostgreSQL-version facts of
//! `shared/reference/migration-safety.md` (row numbers of its catalog in brackets).

use super::types::{in_list_values, inline_enum_values, sqlite_affinity, type_change, TypeChange};
use super::{Hazard::*, Risk, RiskContext, RiskLevel::*};
use crate::dialect::Dialect;
use crate::diff::{removed_enum_values, Change};
use crate::model::Column;

const AEL: &str = "ACCESS EXCLUSIVE";
const SHARE: &str = "SHARE";
const SREL: &str = "SHARE ROW EXCLUSIVE";

const OLD_APP_NAME: &str = "breaks the running old app version, which still uses the old name";

pub(super) fn classify(change: &Change, ctx: &RiskContext) -> Risk {
    use Change::*;
    let new = change.table().is_some_and(|t| ctx.is_new(t));
    match change {
        CreateEnum(_) | CreateTable(_) => Risk::safe("creates a new object"),
        DropEnum(_) => Risk::safe("the type is no longer used by any column"),
        AlterEnum {
            from,
            to,
            renamed_values,
        } => alter_enum(change, from, to, renamed_values, ctx),
        // [1]
        DropTable(t) => Risk::new(
            Destructive,
            format!("data loss: every row of {} is deleted; the old app version still queries it", t.name),
        )
        .hazards(&[DataLoss, BreaksOldApp])
        .lock(AEL)
        .instead("remove the struct's use from the code and deploy first, then drop in a later release")
        .needs_accept(change),
        // [4]
        RenameTable { from, .. } => Risk::new(NeedsCare, OLD_APP_NAME)
            .hazards(&[BreaksOldApp])
            .lock(AEL)
            .instead(format!(
                "keep the table name and rename only the struct (`#[schema(table = \"{from}\")]`), or rename after every running version uses the new name"
            )),
        // [5]
        RenameColumn { from, .. } => Risk::new(NeedsCare, OLD_APP_NAME)
            .hazards(&[BreaksOldApp])
            .lock(AEL)
            .instead(format!(
                "keep the column name and rename only the field (`#[schema(column = \"{from}\")]`)"
            )),
        AddColumn { table, column } => add_column(change, table, column, new, ctx),
        // [3]
        DropColumn { table, column } => Risk::new(
            Destructive,
            format!(
                "data loss: the values of {table}.{} are deleted; the old app version still reads it",
                column.name
            ),
        )
        .hazards(&[DataLoss, BreaksOldApp])
        .lock(AEL)
        .instead("stop reading and writing the column in the code, deploy, then drop it in a later release")
        .needs_accept(change),
        AlterColumn { table, from, to } => alter_column(change, table, from, to, ctx),
        _ if new => Risk::safe("part of a table created in this migration (empty, unused)"),
        AddPrimaryKey { .. } => add_primary_key(ctx),
        AddUnique { .. } => add_unique(change, ctx),
        AddIndex { index, .. } if index.unique => add_unique(change, ctx),
        AddIndex { .. } => add_index(ctx),
        AddForeignKey { .. } => add_foreign_key(ctx),
        AddCheck { table, check } => match removed_check_values(ctx, table, &check.name, &check.expr) {
            Some(removed) => Risk::new(
                Destructive,
                format!("removes enum values {}: fails if any row still holds one, and the old app version may still write them", removed.join(", ")),
            )
            .hazards(&[FailsOnExistingData, BreaksOldApp, Lock])
            .instead("stop writing the values in the code and deploy, update the rows that hold them, then remove them")
            .needs_accept(change),
            None => add_check(ctx),
        },
        // [23]
        DropIndex { .. } => match ctx.dialect {
            Dialect::Postgres => Risk::new(
                NeedsCare,
                "DROP INDEX takes ACCESS EXCLUSIVE on the table while it waits and drops",
            )
            .hazards(&[Lock])
            .lock(AEL)
            .instead("DROP INDEX CONCURRENTLY outside a transaction (generated)"),
            _ => Risk::safe("no data changes; metadata only"),
        },
        // [32]
        DropForeignKey { .. } => Risk::safe(
            "no data changes; the reference is no longer enforced, so orphan rows can appear",
        ),
        DropPrimaryKey { .. } => Risk::new(
            NeedsCare,
            "the old app version's upserts (`ON CONFLICT`) on the key fail, and duplicates can appear",
        )
        .hazards(&[BreaksOldApp])
        .lock(AEL),
        DropUnique { .. } | DropCheck { .. } => {
            Risk::safe("no data changes; the rule is no longer enforced")
        }
        RenameConstraint { .. } => Risk::safe("only the name changes"),
        // [26]
        RenameValues { table, .. } => Risk::new(
            NeedsCare,
            format!("renamed values break the running old app version, which still writes the old ones; the UPDATE rewrites the rows of {table} under row locks"),
        )
        .hazards(&[BreaksOldApp, Lock])
        .instead("add the new value, handle both in the code, backfill, then stop using the old one"),
    }
}

// [25] [26]
fn alter_enum(
    change: &Change,
    from: &crate::model::Enum,
    to: &crate::model::Enum,
    renamed: &[(String, String)],
    ctx: &RiskContext,
) -> Risk {
    let removed = removed_enum_values(from, to, renamed);
    if !removed.is_empty() {
        return Risk::new(
            Destructive,
            format!(
                "removes enum values {}: fails if any row still holds one, the old app version may still write them, and every column of the type is rewritten under ACCESS EXCLUSIVE",
                removed.join(", ")
            ),
        )
        .hazards(&[FailsOnExistingData, BreaksOldApp, Lock])
        .lock(AEL)
        .instead("stop writing the values in the code and deploy, update the rows that hold them, then remove them")
        .needs_accept(change);
    }
    if !renamed.is_empty() {
        return Risk::new(
            NeedsCare,
            "renamed values break the running old app version",
        )
        .hazards(&[BreaksOldApp])
        .instead("add the new value, handle both in the code, backfill, then remove the old one");
    }
    if ctx.pg() && !ctx.target.add_value_in_transaction() {
        return Risk::new(
            NeedsCare,
            format!(
                "PostgreSQL {} cannot run ALTER TYPE .. ADD VALUE inside a transaction",
                ctx.target.postgres_version
            ),
        )
        .hazards(&[Transaction])
        .instead("the migration runs outside a transaction (generated)");
    }
    Risk::safe("adds values; a value added in a transaction cannot be used before it commits (the migration then runs outside a transaction)")
        .hazards(&[Transaction])
}

// [7] [8] [10] [34]
fn add_column(change: &Change, table: &str, column: &Column, new: bool, ctx: &RiskContext) -> Risk {
    if new {
        return Risk::safe("part of a table created in this migration");
    }
    if column.auto_increment {
        return Risk::new(
            NeedsCare,
            "fills every existing row: rewrites the table (and on MySQL copies it) while writes are blocked",
        )
        .hazards(&[Lock])
        .lock(AEL)
        .instead("create a new table with the key, copy the rows in batches, and swap");
    }
    if !column.nullable && column.default.is_none() {
        let sqlite = if ctx.dialect == Dialect::Sqlite {
            "; SQLite refuses it unless the table is rebuilt"
        } else {
            ""
        };
        return Risk::new(
            Destructive,
            format!("NOT NULL without a default on existing table {table}: fails if the table has rows, and inserts from the old app version fail{sqlite}"),
        )
        .hazards(&[FailsOnExistingData, BreaksOldApp])
        .instead(format!(
            "add {c} as `Option<..>` (nullable), backfill it in batches, then make it required (generate writes the CHECK .. NOT VALID path); or give it a default",
            c = column.name
        ))
        .needs_accept(change);
    }
    if ctx.pg() {
        if let Some(d) = &column.default {
            let volatile = is_volatile(d);
            if volatile || !ctx.target.fast_defaults() {
                let why = if volatile {
                    format!("the volatile default {d} is computed for every row: rewrites the whole table under ACCESS EXCLUSIVE")
                } else {
                    format!("PostgreSQL {} rewrites the whole table for any default under ACCESS EXCLUSIVE (11+ stores it in the catalog)", ctx.target.postgres_version)
                };
                return Risk::new(NeedsCare, why)
                    .hazards(&[Lock])
                    .lock(AEL)
                    .instead("add the column without a default, SET DEFAULT (catalog only), then backfill existing rows in batches");
            }
        }
        if column.ty == "json" {
            return Risk::new(
                NeedsCare,
                "json has no equality operator: queries of the old app version with DISTINCT, UNION or GROUP BY over the table fail",
            )
            .hazards(&[BreaksOldApp])
            .instead("use jsonb");
        }
    }
    Risk::safe(match ctx.dialect {
        Dialect::Postgres => "adds a column: catalog only, a brief ACCESS EXCLUSIVE lock",
        Dialect::Mysql => "adds a column: INSTANT on MySQL 8.0.12+ / MariaDB 10.3+",
        Dialect::Sqlite => "adds a column: catalog only",
    })
}

/// Defaults PostgreSQL must evaluate per row (conservative: known volatile functions;
/// `now()` and `CURRENT_TIMESTAMP` are stable, fine).
pub(super) fn is_volatile(default: &str) -> bool {
    let d = default.to_ascii_lowercase();
    [
        "random(",
        "gen_random_uuid(",
        "uuid_generate",
        "clock_timestamp(",
        "nextval(",
        "timeofday(",
    ]
    .iter()
    .any(|f| d.contains(f))
}

// [11] [13] [14]
fn alter_column(
    change: &Change,
    table: &str,
    from: &Column,
    to: &Column,
    ctx: &RiskContext,
) -> Risk {
    let mut parts: Vec<Risk> = Vec::new();
    if from.ty != to.ty {
        parts.push(alter_type(change, table, from, to, ctx));
        // [12]
        if ctx
            .checked_columns
            .contains(&(table.to_string(), from.name.clone()))
        {
            parts.push(
                Risk::new(NeedsCare, format!("a check constraint reads {table}.{}: the type change re-validates it, scanning every row while reads and writes wait", to.name))
                    .hazards(&[Lock, FailsOnExistingData])
                    .instead("drop the check, change the type, then add the check back NOT VALID and VALIDATE it (two migrations)"),
            );
        }
    }
    if from.nullable && !to.nullable {
        parts.push(set_not_null(table, to, ctx));
    }
    if !from.nullable && to.nullable {
        parts.push(
            Risk::new(
                NeedsCare,
                "drops NOT NULL: readers in the old app version that assume a value may get NULL",
            )
            .hazards(&[BreaksOldApp])
            .instead("keep the column required and write a sentinel, or add a new nullable column"),
        );
    }
    if from.default != to.default {
        parts.push(Risk::safe(
            "changes the default: catalog only, existing rows keep their values",
        ));
    }
    if from.auto_increment != to.auto_increment {
        parts.push(if to.auto_increment {
            Risk::new(
                NeedsCare,
                "adds generated values: the sequence starts after the largest existing value",
            )
        } else {
            Risk::new(
                NeedsCare,
                "stops generating values: inserts of the old app version that rely on them fail",
            )
            .hazards(&[BreaksOldApp])
        });
    }
    merge(parts)
}

/// One verdict from several: the worst level, every reason, hazard and alternative.
fn merge(parts: Vec<Risk>) -> Risk {
    let mut out = Risk::safe("");
    let mut reasons = Vec::new();
    let mut alternatives = Vec::new();
    for p in parts {
        out.level = out.level.max(p.level);
        reasons.push(p.reason);
        out.hazards.extend(p.hazards);
        out.lock = out.lock.or(p.lock);
        alternatives.extend(p.safe_alternative);
        out.accept = out.accept.or(p.accept);
    }
    out.hazards.sort();
    out.hazards.dedup();
    out.reason = reasons.join("; ");
    if !alternatives.is_empty() {
        out.safe_alternative = Some(alternatives.join("; "));
    }
    out
}

fn alter_type(change: &Change, table: &str, from: &Column, to: &Column, ctx: &RiskContext) -> Risk {
    if let (Some(old), Some(new)) = (inline_enum_values(&from.ty), inline_enum_values(&to.ty)) {
        let renamed = ctx.renamed_values.get(table).map_or(&[][..], Vec::as_slice);
        return mysql_enum(change, &old, &new, renamed);
    }
    let effect = type_change(&from.ty, &to.ty);
    let (a, b, c) = (&from.ty, &to.ty, &to.name);
    if ctx.dialect == Dialect::Sqlite && sqlite_affinity(a) == sqlite_affinity(b) {
        return Risk::new(NeedsCare, format!("{a} -> {b} keeps SQLite's {} storage, which enforces no size or length: rebuilds the table, copying every value unchanged, while holding the write lock", sqlite_affinity(a)))
            .hazards(&[Lock]);
    }
    // The lock named is PostgreSQL's; SQLite rebuilds under its write lock, MySQL copies.
    let pg_lock = |r: Risk| if ctx.pg() { r.lock(AEL) } else { r };
    match effect {
        TypeChange::Lossy => {
            return pg_lock(
                Risk::new(
                    Destructive,
                    format!("{a} -> {b} silently rounds or truncates existing values"),
                )
                .hazards(&[DataLoss, Lock]),
            )
            .instead(expand_contract(table, c, b))
            .needs_accept(change)
        }
        TypeChange::Narrowing => {
            let fails = if ctx.dialect == Dialect::Mysql {
                "fails on existing values that do not fit in strict mode (and silently truncates them otherwise)"
            } else {
                "fails on existing values that do not fit"
            };
            return pg_lock(Risk::new(Destructive, format!("{a} -> {b} narrows the type: {fails}, and the old app version may still write them"))
                .hazards(&[FailsOnExistingData, BreaksOldApp, Lock]))
                .instead(expand_contract(table, c, b))
                .needs_accept(change);
        }
        _ => {}
    }
    match ctx.dialect {
        Dialect::Sqlite => Risk::new(NeedsCare, "changes the type: rebuilds the table while holding the write lock; fails if values do not convert")
            .hazards(&[Lock, FailsOnExistingData]),
        Dialect::Mysql if effect == TypeChange::InPlace && mysql_varchar_inplace(a, b) => {
            Risk::safe("extends a varchar within the same length-byte class: INPLACE, no copy")
        }
        Dialect::Mysql => Risk::new(NeedsCare, "changes the type: ALGORITHM=COPY rebuilds the table and blocks writes for its duration")
            .hazards(&[Lock])
            .lock("COPY (writes blocked)")
            .instead(expand_contract(table, c, b)),
        Dialect::Postgres if effect == TypeChange::InPlace => {
            Risk::safe(format!("{a} -> {b} is binary coercible: catalog only, a brief ACCESS EXCLUSIVE lock, no rewrite"))
                .lock(AEL)
        }
        Dialect::Postgres => {
            let fails = if effect == TypeChange::Convert { "; fails on values that do not convert" } else { "" };
            Risk::new(NeedsCare, format!("{a} -> {b} rewrites the table and its indexes under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite{fails}"))
                .hazards(if effect == TypeChange::Convert { &[Lock, FailsOnExistingData, BreaksOldApp][..] } else { &[Lock][..] })
                .lock(AEL)
                .instead(expand_contract(table, c, b))
                .needs_accept(change)
        }
    }
}

// [25] [26] on MySQL: the enum is the column type. A value this migration renames in the
// rows (`renamed`, `(old, new)`) is removed from the list without losing a row's value.
fn mysql_enum(
    change: &Change,
    old: &[String],
    new: &[String],
    renamed: &[(String, String)],
) -> Risk {
    let was_renamed = |v: &String| renamed.iter().any(|(o, n)| o == v && new.contains(n));
    let removed: Vec<&str> = old
        .iter()
        .filter(|v| !new.contains(v) && !was_renamed(v))
        .map(String::as_str)
        .collect();
    if !removed.is_empty() {
        return Risk::new(
            Destructive,
            format!("removes enum values {}: fails on rows that hold one (strict mode) and copies the table", removed.join(", ")),
        )
        .hazards(&[FailsOnExistingData, BreaksOldApp, Lock])
        .instead("stop writing the values in the code and deploy, update the rows that hold them, then remove them")
        .needs_accept(change);
    }
    let renamed_away: Vec<&str> = old
        .iter()
        .filter(|v| !new.contains(v))
        .map(String::as_str)
        .collect();
    if !renamed_away.is_empty() {
        return Risk::new(
            NeedsCare,
            format!("removes the renamed enum values {} (the rows were updated to the new ones): ALGORITHM=COPY blocks writes for the whole copy", renamed_away.join(", ")),
        )
        .hazards(&[Lock]);
    }
    if new.starts_with(old) && (old.len() <= 255) == (new.len() <= 255) {
        return Risk::safe("appends enum values: INSTANT (storage size unchanged)");
    }
    Risk::new(
        NeedsCare,
        "reorders or inserts enum values: ALGORITHM=COPY blocks writes for the whole copy",
    )
    .hazards(&[Lock])
    .instead("append new values at the end")
}

/// MySQL extends a varchar in place only while the length prefix keeps its size (255 bytes,
/// 63 characters in utf8mb4).
fn mysql_varchar_inplace(from: &str, to: &str) -> bool {
    let len = |t: &str| {
        t.strip_prefix("varchar(")
            .and_then(|r| r.trim_end_matches(')').parse::<u32>().ok())
    };
    match (len(from), len(to)) {
        (Some(a), Some(b)) => (a <= 63) == (b <= 63),
        _ => false,
    }
}

/// The expand/contract steps of a rewriting type change, spelled out.
pub(super) fn expand_contract(table: &str, column: &str, ty: &str) -> String {
    format!(
        "expand/contract over several releases: (1) add a nullable column {column}_new {ty} and write both columns from the code; \
         (2) backfill in batches (`UPDATE {table} SET {column}_new = {column}::{ty} WHERE {column}_new IS NULL AND <key range>`); \
         (3) make {column}_new required if {column} is (generate writes the scan-free form: a NOT VALID constraint, then VALIDATE); \
         (4) read {column}_new in the code and deploy; (5) drop {column} and rename {column}_new to {column} (`#[schema(renamed_from = \"{column}_new\")]`). \
         Or take the rewrite in a quiet window"
    )
}

// [13]
fn set_not_null(table: &str, to: &Column, ctx: &RiskContext) -> Risk {
    let fill = match &to.default {
        Some(d) => format!("rows holding NULL are set to the default {d} first; "),
        None => String::new(),
    };
    let base = Risk::new(NeedsCare, "").hazards(&[FailsOnExistingData, Lock, BreaksOldApp]);
    match ctx.dialect {
        Dialect::Postgres if ctx.target.not_null_not_valid() => Risk {
            reason: format!("{fill}NOT NULL fails if a row holds NULL and, as a plain SET NOT NULL, scans {table} under ACCESS EXCLUSIVE; the old app version may still write NULL"),
            ..base
        }
        .lock(AEL)
        .instead(format!(
            "ADD CONSTRAINT .. NOT NULL {} NOT VALID (brief lock, no scan), then VALIDATE CONSTRAINT (scans under SHARE UPDATE EXCLUSIVE; PostgreSQL 18+) (generated)",
            to.name
        )),
        Dialect::Postgres if ctx.target.check_proves_not_null() => Risk {
            reason: format!("{fill}SET NOT NULL fails if a row holds NULL and, alone, scans {table} under ACCESS EXCLUSIVE; the old app version may still write NULL"),
            ..base
        }
        .lock(AEL)
        .instead(format!(
            "CHECK ({} IS NOT NULL) NOT VALID, VALIDATE (SHARE UPDATE EXCLUSIVE), then SET NOT NULL without a scan (generated)",
            to.name
        )),
        Dialect::Postgres => Risk {
            reason: format!("{fill}SET NOT NULL scans {table} under ACCESS EXCLUSIVE: PostgreSQL {} has no scan-free path (a CHECK proves NOT NULL from 12 on); fails if a row holds NULL", ctx.target.postgres_version),
            ..base
        }
        .lock(AEL)
        .instead("backfill first, and run it in a quiet window"),
        Dialect::Mysql => Risk {
            reason: format!("{fill}NOT NULL rebuilds the table (INPLACE, writes allowed); fails if a row holds NULL in strict mode, and silently stores zero values otherwise"),
            ..base
        }
        .instead("backfill first; make sure sql_mode is strict"),
        Dialect::Sqlite => Risk {
            reason: format!("{fill}NOT NULL rebuilds the table while holding the write lock; fails if a row holds NULL"),
            ..base
        }
        .instead("backfill first"),
    }
}

// [19]
fn add_primary_key(ctx: &RiskContext) -> Risk {
    let r = Risk::new(
        NeedsCare,
        "builds the key's index: fails on duplicates or NULLs; blocks writes while it builds",
    )
    .hazards(&[Lock, FailsOnExistingData]);
    match ctx.dialect {
        Dialect::Postgres => r.lock(AEL).instead("CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX (generated; make the columns NOT NULL first)"),
        Dialect::Mysql => r.instead("INPLACE with a rebuild (writes allowed)"),
        Dialect::Sqlite => r.instead("only by a table rebuild"),
    }
}

// [18]
fn add_unique(change: &Change, ctx: &RiskContext) -> Risk {
    let r = Risk::new(Destructive, "a new unique rule over existing data: fails if rows hold duplicates, and the old app version may still write them; builds an index while writes are blocked")
        .hazards(&[FailsOnExistingData, BreaksOldApp, Lock])
        .needs_accept(change);
    match ctx.dialect {
        Dialect::Postgres => r.lock(SHARE).instead("find and fix duplicates first; CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT .. UNIQUE USING INDEX (generated)"),
        Dialect::Mysql => r.instead("find and fix duplicates first; ADD UNIQUE INDEX runs INPLACE with writes allowed"),
        Dialect::Sqlite => r.instead("find and fix duplicates first; the build holds the write lock"),
    }
}

// [21]
fn add_index(ctx: &RiskContext) -> Risk {
    match ctx.dialect {
        Dialect::Postgres => {
            let corruption = if ctx.target.postgres_version == 14 {
                "; on PostgreSQL 14 run at least 14.4: CONCURRENTLY can corrupt indexes on 14.0-14.3"
            } else {
                ""
            };
            Risk::new(NeedsCare, "CREATE INDEX blocks writes (SHARE lock) for the whole build")
                .hazards(&[Lock])
                .lock(SHARE)
                .instead(format!("CREATE INDEX CONCURRENTLY outside a transaction (generated); a failed build leaves an INVALID index, dropped by the runner on the next run{corruption}"))
        }
        Dialect::Mysql => Risk::safe("ADD INDEX runs INPLACE with concurrent writes"),
        Dialect::Sqlite => Risk::new(NeedsCare, "the build holds the database's write lock")
            .hazards(&[Lock])
            .instead("build it when writes are quiet"),
    }
}

// [16]
fn add_foreign_key(ctx: &RiskContext) -> Risk {
    let r = Risk::new(
        NeedsCare,
        "fails if existing rows violate it; checking them blocks writes on both tables",
    )
    .hazards(&[Lock, FailsOnExistingData]);
    match ctx.dialect {
        Dialect::Postgres => r.lock(SREL).instead("ADD CONSTRAINT .. NOT VALID, then VALIDATE CONSTRAINT in its own transaction (SHARE UPDATE EXCLUSIVE; generated)"),
        Dialect::Mysql => r.instead("MySQL copies the table unless foreign_key_checks=0; fix orphan rows first"),
        Dialect::Sqlite => r.instead("a table rebuild; fix orphan rows first"),
    }
}

/// A check dropped and added again under its name whose `IN (...)` list loses values.
fn removed_check_values(
    ctx: &RiskContext,
    table: &str,
    name: &str,
    expr: &str,
) -> Option<Vec<String>> {
    let old = ctx
        .dropped_checks
        .get(&(table.to_string(), name.to_string()))?;
    let (old, new) = (in_list_values(old)?, in_list_values(expr)?);
    let renamed = ctx.renamed_values.get(table);
    let is_renamed = |v: &String| {
        renamed.is_some_and(|pairs| pairs.iter().any(|(from, to)| from == v && new.contains(to)))
    };
    let removed: Vec<String> = old
        .into_iter()
        .filter(|v| !new.contains(v) && !is_renamed(v))
        .collect();
    (!removed.is_empty()).then_some(removed)
}

// [15]
fn add_check(ctx: &RiskContext) -> Risk {
    let r = Risk::new(
        NeedsCare,
        "fails if existing rows violate it; checking them blocks reads and writes",
    )
    .hazards(&[Lock, FailsOnExistingData]);
    match ctx.dialect {
        Dialect::Postgres => r.lock(AEL).instead("ADD CONSTRAINT .. NOT VALID, then VALIDATE CONSTRAINT in its own transaction (SHARE UPDATE EXCLUSIVE; generated)"),
        Dialect::Mysql => r.instead("no online form on MySQL: fix violating rows first and run in a quiet window"),
        Dialect::Sqlite => r.instead("a table rebuild; fix violating rows first"),
    }
}

//! One test per row of the migration-safety catalog (`shared/reference/migration-safety.md`
//! §1) that the schema language can express: the level, the reason, the lock, the safe
//! alternative and whether `generate` needs an acknowledgement, per dialect and, where the
//! facts differ, per PostgreSQL major version.

use schema_core::diff::Change;
use schema_core::model::{Check, Column, Enum, ForeignKey, Index, PrimaryKey, Table, Unique};
use schema_core::plan::{classify, Hazard, Risk, RiskContext, RiskLevel, Target};
use schema_core::Dialect::{self, *};

use Hazard::*;
use RiskLevel::*;

fn col(name: &str, ty: &str, nullable: bool, default: Option<&str>) -> Column {
    Column {
        name: name.into(),
        ty: ty.into(),
        nullable,
        default: default.map(str::to_string),
        auto_increment: false,
    }
}

fn users() -> Table {
    Table {
        name: "users".into(),
        columns: vec![col("id", "bigint", false, None)],
        primary_key: None,
        uniques: vec![],
        indexes: vec![],
        foreign_keys: vec![],
        checks: vec![],
    }
}

fn risk_on(change: &Change, dialect: Dialect, pg: u32) -> Risk {
    classify(change, &RiskContext::new(dialect, Target::postgres(pg)))
}

fn risk(change: &Change, dialect: Dialect) -> Risk {
    risk_on(change, dialect, 15)
}

/// The verdict in a new table's migration (the table is created by the same changes).
fn risk_new_table(change: &Change, dialect: Dialect) -> Risk {
    let changes = [Change::CreateTable(users()), change.clone()];
    classify(
        change,
        &RiskContext::for_changes(dialect, Target::default(), &changes),
    )
}

#[track_caller]
fn check(r: &Risk, level: RiskLevel, hazards: &[Hazard], reason: &str, alternative: &str) {
    assert_eq!(r.level, level, "{r:?}");
    for h in hazards {
        assert!(r.hazards.contains(h), "missing {h:?}: {r:?}");
    }
    assert!(
        r.reason.contains(reason),
        "reason {:?} lacks {reason:?}",
        r.reason
    );
    let alt = r.safe_alternative.as_deref().unwrap_or("");
    assert!(
        alt.contains(alternative),
        "alternative {alt:?} lacks {alternative:?}"
    );
}

fn alter(from: Column, to: Column) -> Change {
    Change::AlterColumn {
        table: "users".into(),
        from,
        to,
    }
}

fn add(column: Column) -> Change {
    Change::AddColumn {
        table: "users".into(),
        column,
    }
}

// [1] DROP TABLE
#[test]
fn drop_table_is_destructive_everywhere_and_needs_an_acknowledgement() {
    let c = Change::DropTable(users());
    for d in Dialect::ALL {
        let r = risk(&c, d);
        check(
            &r,
            Destructive,
            &[DataLoss, BreaksOldApp],
            "every row of users is deleted",
            "deploy first",
        );
        assert_eq!(r.accept.as_deref(), Some("drop table users"));
    }
    assert_eq!(risk(&c, Postgres).lock, Some("ACCESS EXCLUSIVE"));
}

// [3] DROP COLUMN
#[test]
fn drop_column_is_destructive_and_needs_an_acknowledgement() {
    let c = Change::DropColumn {
        table: "users".into(),
        column: col("legacy", "text", true, None),
    };
    for d in Dialect::ALL {
        let r = risk(&c, d);
        check(
            &r,
            Destructive,
            &[DataLoss, BreaksOldApp],
            "users.legacy are deleted",
            "later release",
        );
        assert_eq!(r.accept.as_deref(), Some("drop column users.legacy"));
    }
}

// [4] RENAME TABLE
#[test]
fn rename_table_breaks_the_old_app() {
    let c = Change::RenameTable {
        from: "people".into(),
        to: "users".into(),
    };
    let r = risk(&c, Postgres);
    check(
        &r,
        NeedsCare,
        &[BreaksOldApp],
        "old name",
        "#[schema(table = \"people\")]",
    );
    assert!(r.accept.is_none());
}

// [5] RENAME COLUMN
#[test]
fn rename_column_breaks_the_old_app() {
    let c = Change::RenameColumn {
        table: "users".into(),
        from: "name".into(),
        to: "display_name".into(),
    };
    for d in Dialect::ALL {
        check(
            &risk(&c, d),
            NeedsCare,
            &[BreaksOldApp],
            "old name",
            "#[schema(column = \"name\")]",
        );
    }
}

// [7] ADD COLUMN NOT NULL without default on a populated table
#[test]
fn required_column_without_default_on_an_existing_table_needs_an_acknowledgement() {
    let c = add(col("email", "text", false, None));
    for d in Dialect::ALL {
        let r = risk(&c, d);
        check(
            &r,
            Destructive,
            &[FailsOnExistingData, BreaksOldApp],
            "fails if the table has rows",
            "backfill",
        );
        assert_eq!(r.accept.as_deref(), Some("add column users.email"));
    }
    assert!(risk(&c, Sqlite).reason.contains("SQLite refuses"));
    // The same column in a table created by this migration is fine.
    assert_eq!(risk_new_table(&c, Postgres).level, Safe);
}

// [7] (safe side) a required column with a constant default
#[test]
fn required_column_with_a_constant_default_is_catalog_only_on_pg11_plus() {
    let c = add(col("active", "boolean", false, Some("true")));
    check(&risk(&c, Postgres), Safe, &[], "catalog only", "");
    check(&risk(&c, Mysql), Safe, &[], "INSTANT", "");
    // Before 11 every default rewrites the table.
    let old = risk_on(&c, Postgres, 10);
    check(
        &old,
        NeedsCare,
        &[Lock],
        "PostgreSQL 10 rewrites the whole table",
        "SET DEFAULT",
    );
}

// [8] volatile default
#[test]
fn volatile_default_rewrites_the_table_on_postgres() {
    let c = add(col("token", "uuid", false, Some("gen_random_uuid()")));
    let r = risk(&c, Postgres);
    check(
        &r,
        NeedsCare,
        &[Lock],
        "volatile default gen_random_uuid()",
        "without a default",
    );
    assert_eq!(r.lock, Some("ACCESS EXCLUSIVE"));
    // now() is stable: no rewrite.
    let stable = add(col("at", "timestamptz", false, Some("now()")));
    assert_eq!(risk(&stable, Postgres).level, Safe);
}

// [10] auto-increment column added
#[test]
fn auto_increment_column_on_an_existing_table_rewrites_it() {
    let mut c = col("seq", "bigint", false, None);
    c.auto_increment = true;
    for d in Dialect::ALL {
        check(
            &risk(&add(c.clone()), d),
            NeedsCare,
            &[Lock],
            "fills every existing row",
            "copy the rows",
        );
    }
}

// [11] type change: binary coercible
#[test]
fn varchar_widening_is_catalog_only_on_postgres() {
    let c = alter(
        col("name", "varchar(20)", true, None),
        col("name", "varchar(40)", true, None),
    );
    check(&risk(&c, Postgres), Safe, &[], "binary coercible", "");
    check(&risk(&c, Mysql), Safe, &[], "INPLACE", "");
    let wide = alter(
        col("name", "varchar(20)", true, None),
        col("name", "varchar(100)", true, None),
    );
    check(
        &risk(&wide, Mysql),
        NeedsCare,
        &[Lock],
        "ALGORITHM=COPY",
        "expand/contract",
    );
    check(
        &risk(&c, Sqlite),
        NeedsCare,
        &[Lock],
        "rebuilds the table",
        "",
    );
}

// [11] type change that rewrites: refused with expand/contract spelled out
#[test]
fn integer_to_bigint_rewrites_and_is_refused_with_expand_contract() {
    let c = alter(
        col("n", "integer", false, None),
        col("n", "bigint", false, None),
    );
    let r = risk(&c, Postgres);
    check(
        &r,
        NeedsCare,
        &[Lock],
        "rewrites the table and its indexes under ACCESS EXCLUSIVE",
        "add a nullable column n_new bigint",
    );
    assert!(r
        .safe_alternative
        .unwrap()
        .contains("UPDATE users SET n_new = n::bigint"));
    assert_eq!(r.accept.as_deref(), Some("alter column users.n"));
}

// [11] conversion between unrelated types
#[test]
fn text_to_integer_rewrites_and_fails_on_values_that_do_not_convert() {
    let c = alter(
        col("n", "text", false, None),
        col("n", "integer", false, None),
    );
    let r = risk(&c, Postgres);
    check(
        &r,
        NeedsCare,
        &[Lock, FailsOnExistingData],
        "fails on values that do not convert",
        "expand/contract",
    );
    assert!(r.accept.is_some());
}

// [11] narrowing
#[test]
fn narrowing_a_type_is_destructive() {
    for (a, b) in [
        ("bigint", "integer"),
        ("varchar(40)", "varchar(20)"),
        ("text", "varchar(10)"),
    ] {
        let c = alter(col("n", a, false, None), col("n", b, false, None));
        for d in [Postgres, Mysql] {
            let r = risk(&c, d);
            check(
                &r,
                Destructive,
                &[FailsOnExistingData],
                "narrows the type",
                "expand/contract",
            );
            assert!(r.accept.is_some());
        }
        // SQLite stores the value as it was: one storage class, no size or length enforced.
        let r = risk(&c, Sqlite);
        check(&r, NeedsCare, &[Lock], "enforces no size or length", "");
        assert!(r.accept.is_none(), "{a} -> {b}");
        assert!(r.lock.is_none(), "no PostgreSQL lock name on SQLite");
    }
    // Across storage classes SQLite converts, and loses what does not convert back.
    let lossy = alter(
        col("n", "numeric", false, None),
        col("n", "real", false, None),
    );
    let r = risk(&lossy, Sqlite);
    assert_eq!(r.level, Destructive);
    assert!(r.lock.is_none(), "no PostgreSQL lock name on SQLite");
}

// [11] lossy
#[test]
fn lossy_type_change_is_destructive() {
    let c = alter(
        col("n", "numeric", false, None),
        col("n", "real", false, None),
    );
    check(
        &risk(&c, Postgres),
        Destructive,
        &[DataLoss],
        "silently rounds",
        "expand/contract",
    );
}

// [13] SET NOT NULL, PostgreSQL 12+
#[test]
fn set_not_null_goes_through_a_validated_check_on_pg12_plus() {
    let c = alter(
        col("email", "text", true, None),
        col("email", "text", false, None),
    );
    let r = risk(&c, Postgres);
    check(
        &r,
        NeedsCare,
        &[FailsOnExistingData, Lock],
        "scans users under ACCESS EXCLUSIVE",
        "CHECK (email IS NOT NULL) NOT VALID",
    );
    assert!(!r.safe_alternative.unwrap().contains("18"));
    check(
        &risk_on(&c, Postgres, 17),
        NeedsCare,
        &[FailsOnExistingData, Lock],
        "scans users under ACCESS EXCLUSIVE",
        "CHECK (email IS NOT NULL) NOT VALID",
    );
}

// [13] SET NOT NULL, PostgreSQL 18+: a NOT NULL constraint added NOT VALID, then validated
#[test]
fn set_not_null_is_a_not_valid_not_null_constraint_on_pg18() {
    let c = alter(
        col("email", "text", true, None),
        col("email", "text", false, None),
    );
    let r = risk_on(&c, Postgres, 18);
    check(
        &r,
        NeedsCare,
        &[FailsOnExistingData, Lock, BreaksOldApp],
        "scans users under ACCESS EXCLUSIVE",
        "ADD CONSTRAINT .. NOT NULL email NOT VALID",
    );
    let alt = r.safe_alternative.unwrap();
    assert!(
        alt.contains("VALIDATE CONSTRAINT (scans under SHARE UPDATE EXCLUSIVE"),
        "{alt}"
    );
    assert!(!alt.contains("CHECK"), "{alt}");
    assert_eq!(r.level, risk_on(&c, Postgres, 17).level);
}

// [13] SET NOT NULL before PostgreSQL 12
#[test]
fn set_not_null_has_no_scan_free_path_before_pg12() {
    let c = alter(
        col("email", "text", true, None),
        col("email", "text", false, None),
    );
    check(
        &risk_on(&c, Postgres, 11),
        NeedsCare,
        &[Lock],
        "PostgreSQL 11 has no scan-free path",
        "quiet window",
    );
    check(
        &risk(&c, Mysql),
        NeedsCare,
        &[FailsOnExistingData],
        "strict mode",
        "sql_mode",
    );
    check(
        &risk(&c, Sqlite),
        NeedsCare,
        &[Lock],
        "rebuilds the table",
        "backfill",
    );
}

// [13] with a default: NULLs are filled first
#[test]
fn set_not_null_with_a_default_fills_nulls_first() {
    let c = alter(
        col("n", "integer", true, None),
        col("n", "integer", false, Some("0")),
    );
    assert!(risk(&c, Postgres)
        .reason
        .contains("set to the default 0 first"));
}

// [14] DROP NOT NULL
#[test]
fn drop_not_null_can_break_readers() {
    let c = alter(
        col("email", "text", false, None),
        col("email", "text", true, None),
    );
    check(
        &risk(&c, Postgres),
        NeedsCare,
        &[BreaksOldApp],
        "may get NULL",
        "sentinel",
    );
}

// [15] ADD CHECK on an existing table
#[test]
fn check_on_an_existing_table_is_added_not_valid_then_validated() {
    let c = Change::AddCheck {
        table: "users".into(),
        check: Check {
            name: "users_age_ok".into(),
            expr: "age >= 0".into(),
        },
    };
    check(
        &risk(&c, Postgres),
        NeedsCare,
        &[Lock, FailsOnExistingData],
        "fails if existing rows violate it",
        "NOT VALID, then VALIDATE",
    );
    check(
        &risk(&c, Mysql),
        NeedsCare,
        &[Lock],
        "blocks",
        "no online form",
    );
    assert_eq!(risk_new_table(&c, Postgres).level, Safe);
}

fn fk() -> Change {
    Change::AddForeignKey {
        table: "users".into(),
        foreign_key: ForeignKey {
            name: "users_org_id_fkey".into(),
            columns: vec!["org_id".into()],
            ref_table: "orgs".into(),
            ref_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
        },
    }
}

// [16] ADD FOREIGN KEY on an existing table
#[test]
fn foreign_key_on_an_existing_table_is_added_not_valid_then_validated() {
    let r = risk(&fk(), Postgres);
    check(
        &r,
        NeedsCare,
        &[Lock, FailsOnExistingData],
        "blocks writes on both tables",
        "NOT VALID, then VALIDATE",
    );
    assert_eq!(r.lock, Some("SHARE ROW EXCLUSIVE"));
    check(
        &risk(&fk(), Mysql),
        NeedsCare,
        &[Lock],
        "",
        "foreign_key_checks=0",
    );
}

// [16] (exemption) foreign keys of a new table
#[test]
fn foreign_key_of_a_new_table_is_safe() {
    for d in Dialect::ALL {
        check(
            &risk_new_table(&fk(), d),
            Safe,
            &[],
            "created in this migration",
            "",
        );
    }
}

fn unique() -> Change {
    Change::AddUnique {
        table: "users".into(),
        unique: Unique {
            name: "users_email_key".into(),
            columns: vec!["email".into()],
        },
    }
}

// [18] ADD UNIQUE over existing data
#[test]
fn unique_over_existing_data_needs_an_acknowledgement_and_is_built_concurrently() {
    let r = risk(&unique(), Postgres);
    check(
        &r,
        Destructive,
        &[FailsOnExistingData, Lock],
        "fails if rows hold duplicates",
        "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT .. UNIQUE USING INDEX",
    );
    assert_eq!(
        r.accept.as_deref(),
        Some("add unique users.users_email_key")
    );
    check(
        &risk(&unique(), Mysql),
        Destructive,
        &[FailsOnExistingData],
        "duplicates",
        "INPLACE",
    );
    assert_eq!(risk_new_table(&unique(), Postgres).level, Safe);
}

// [19] ADD PRIMARY KEY
#[test]
fn primary_key_on_an_existing_table_uses_a_concurrent_index() {
    let c = Change::AddPrimaryKey {
        table: "users".into(),
        primary_key: PrimaryKey {
            name: "users_pkey".into(),
            columns: vec!["id".into()],
        },
    };
    check(
        &risk(&c, Postgres),
        NeedsCare,
        &[Lock, FailsOnExistingData],
        "fails on duplicates or NULLs",
        "ADD PRIMARY KEY USING INDEX",
    );
    check(&risk(&c, Sqlite), NeedsCare, &[Lock], "", "table rebuild");
}

fn index() -> Change {
    Change::AddIndex {
        table: "users".into(),
        index: Index {
            name: "users_email_idx".into(),
            columns: vec!["email".into()],
            unique: false,
            predicate: None,
        },
    }
}

// [21] CREATE INDEX on an existing table
#[test]
fn index_on_an_existing_table_is_built_concurrently_on_postgres() {
    let r = risk(&index(), Postgres);
    check(
        &r,
        NeedsCare,
        &[Lock],
        "blocks writes",
        "CREATE INDEX CONCURRENTLY outside a transaction",
    );
    assert_eq!(r.lock, Some("SHARE"));
    check(&risk(&index(), Mysql), Safe, &[], "INPLACE", "");
    check(
        &risk(&index(), Sqlite),
        NeedsCare,
        &[Lock],
        "write lock",
        "",
    );
    assert_eq!(risk_new_table(&index(), Postgres).level, Safe);
}

// [21]/[22] CONCURRENTLY on PostgreSQL 14: the 14.0-14.3 corruption bug (a minor-version fact)
#[test]
fn concurrent_index_on_pg14_warns_about_the_minor_version() {
    let r = risk_on(&index(), Postgres, 14);
    assert!(r.safe_alternative.unwrap().contains("at least 14.4"));
    assert!(!risk_on(&index(), Postgres, 15)
        .safe_alternative
        .unwrap()
        .contains("14.4"));
}

// [23] DROP INDEX
#[test]
fn drop_index_takes_access_exclusive_without_concurrently() {
    let c = Change::DropIndex {
        table: "users".into(),
        index: Index {
            name: "users_email_idx".into(),
            columns: vec!["email".into()],
            unique: false,
            predicate: None,
        },
    };
    check(
        &risk(&c, Postgres),
        NeedsCare,
        &[Lock],
        "ACCESS EXCLUSIVE",
        "DROP INDEX CONCURRENTLY",
    );
    assert_eq!(risk(&c, Mysql).level, Safe);
}

fn role(values: &[&str]) -> Enum {
    Enum {
        name: "role".into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

// [25] ADD VALUE, PostgreSQL 12+ and before
#[test]
fn enum_value_added_depends_on_the_postgres_version() {
    let c = Change::AlterEnum {
        from: role(&["a"]),
        to: role(&["a", "b"]),
        renamed_values: vec![],
    };
    check(
        &risk(&c, Postgres),
        Safe,
        &[Transaction],
        "cannot be used before it commits",
        "",
    );
    check(
        &risk_on(&c, Postgres, 11),
        NeedsCare,
        &[Transaction],
        "PostgreSQL 11 cannot run ALTER TYPE .. ADD VALUE inside a transaction",
        "outside a transaction",
    );
}

// [26] removing an enum value
#[test]
fn enum_value_removed_is_destructive() {
    let c = Change::AlterEnum {
        from: role(&["a", "b"]),
        to: role(&["a"]),
        renamed_values: vec![],
    };
    let r = risk(&c, Postgres);
    check(
        &r,
        Destructive,
        &[FailsOnExistingData, BreaksOldApp],
        "removes enum values b",
        "update the rows",
    );
    assert_eq!(r.accept.as_deref(), Some("alter enum role"));
}

// [26] renaming an enum value
#[test]
fn enum_value_renamed_breaks_the_old_app() {
    let c = Change::AlterEnum {
        from: role(&["a", "b"]),
        to: role(&["a", "c"]),
        renamed_values: vec![("b".into(), "c".into())],
    };
    check(
        &risk(&c, Postgres),
        NeedsCare,
        &[BreaksOldApp],
        "renamed values",
        "add the new value",
    );
    let sqlite = Change::RenameValues {
        table: "users".into(),
        column: "role".into(),
        renamed: vec![("b".into(), "c".into())],
    };
    check(
        &risk(&sqlite, Sqlite),
        NeedsCare,
        &[BreaksOldApp, Lock],
        "rewrites the rows",
        "backfill",
    );
}

// [32] dropping a foreign key
#[test]
fn drop_foreign_key_is_safe_but_says_orphans_can_appear() {
    let Change::AddForeignKey { table, foreign_key } = fk() else {
        unreachable!()
    };
    let c = Change::DropForeignKey { table, foreign_key };
    check(&risk(&c, Postgres), Safe, &[], "orphan rows", "");
}

// [34] json instead of jsonb
#[test]
fn json_column_breaks_distinct_queries_on_postgres() {
    let c = add(col("doc", "json", true, None));
    check(
        &risk(&c, Postgres),
        NeedsCare,
        &[BreaksOldApp],
        "no equality operator",
        "jsonb",
    );
    assert_eq!(risk(&c, Mysql).level, Safe);
}

// Dropping a primary key breaks upserts.
#[test]
fn drop_primary_key_breaks_upserts() {
    let c = Change::DropPrimaryKey {
        table: "users".into(),
        primary_key: PrimaryKey {
            name: "users_pkey".into(),
            columns: vec!["id".into()],
        },
    };
    check(
        &risk(&c, Postgres),
        NeedsCare,
        &[BreaksOldApp],
        "ON CONFLICT",
        "",
    );
}

// Changing a default, creating objects, renaming constraints: safe.
#[test]
fn catalog_only_changes_are_safe() {
    let c = alter(
        col("n", "integer", false, Some("0")),
        col("n", "integer", false, Some("1")),
    );
    check(
        &risk(&c, Postgres),
        Safe,
        &[],
        "existing rows keep their values",
        "",
    );
    assert_eq!(risk(&Change::CreateTable(users()), Postgres).level, Safe);
    assert_eq!(
        risk(&Change::CreateEnum(role(&["a"])), Postgres).level,
        Safe
    );
}

// [25] [26] on MySQL, where the enum is the column's type.
#[test]
fn mysql_inline_enum_changes() {
    let e = |v: &str| col("role", v, false, None);
    let append = alter(e("enum('a','b')"), e("enum('a','b','c')"));
    check(&risk(&append, Mysql), Safe, &[], "INSTANT", "");
    let remove = alter(e("enum('a','b')"), e("enum('a')"));
    let r = risk(&remove, Mysql);
    check(
        &r,
        Destructive,
        &[FailsOnExistingData],
        "removes enum values b",
        "update the rows",
    );
    assert_eq!(r.accept.as_deref(), Some("alter column users.role"));
    let reorder = alter(e("enum('a','b')"), e("enum('b','a')"));
    check(
        &risk(&reorder, Mysql),
        NeedsCare,
        &[Lock],
        "ALGORITHM=COPY",
        "append",
    );
}

// [26] on SQLite, where the enum is a `col IN (...)` check dropped and added again.
#[test]
fn sqlite_enum_check_losing_values_is_destructive() {
    let check = |expr: &str| Check {
        name: "users_role_check".into(),
        expr: expr.into(),
    };
    let changes = [
        Change::DropCheck {
            table: "users".into(),
            check: check("role IN ('a', 'b')"),
        },
        Change::AddCheck {
            table: "users".into(),
            check: check("role IN ('a')"),
        },
    ];
    let ctx = RiskContext::for_changes(Sqlite, Target::default(), &changes);
    let r = classify(&changes[1], &ctx);
    check_risk(&r, Destructive, "removes enum values b");
    // Values added: an ordinary check change.
    let widened = Change::AddCheck {
        table: "users".into(),
        check: check("role IN ('a', 'b', 'c')"),
    };
    assert_eq!(classify(&widened, &ctx).level, NeedsCare);
}

#[track_caller]
fn check_risk(r: &Risk, level: RiskLevel, reason: &str) {
    assert_eq!(r.level, level, "{r:?}");
    assert!(r.reason.contains(reason), "{r:?}");
    assert!(r.accept.is_some(), "{r:?}");
}

// [12] type change of a column a check reads
#[test]
fn type_change_of_a_checked_column_revalidates_the_check() {
    let mut t = users();
    t.columns.push(col("name", "varchar(20)", false, None));
    t.checks.push(Check {
        name: "users_name_ok".into(),
        expr: "name <> ''".into(),
    });
    let mut schema = schema_core::model::Schema::empty(Postgres);
    schema.tables.insert("users".into(), t);
    let ctx = RiskContext::new(Postgres, Target::default()).with_checks_of(&schema);
    let c = alter(
        col("name", "varchar(20)", false, None),
        col("name", "varchar(40)", false, None),
    );
    check(
        &classify(&c, &ctx),
        NeedsCare,
        &[Lock],
        "re-validates it",
        "add the check back NOT VALID",
    );
    // Without the check the same change is catalog only.
    assert_eq!(risk(&c, Postgres).level, Safe);
}

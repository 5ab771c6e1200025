use super::*;
use Operation::*;

fn ops(sql: &str, dialect: Dialect) -> Vec<Operation> {
    analyze(sql, dialect)
        .into_iter()
        .flat_map(|s| s.operations)
        .collect()
}

fn s(text: &str) -> String {
    text.to_string()
}

#[test]
fn drops_and_renames() {
    assert_eq!(
        ops(
            "DROP TABLE \"posts\";\nDROP TABLE IF EXISTS public.a, b CASCADE;\nALTER TABLE \"users\" DROP COLUMN \"bio\";\nALTER TABLE Users DROP bio, DROP COLUMN IF EXISTS x CASCADE;",
            Dialect::Postgres
        ),
        [
            DropTable { table: s("posts") },
            DropTable { table: s("a") },
            DropTable { table: s("b") },
            DropColumn { table: s("users"), column: s("bio") },
            DropColumn { table: s("users"), column: s("bio") },
            DropColumn { table: s("users"), column: s("x") },
        ]
    );
    assert_eq!(
        ops(
            "ALTER TABLE `users` RENAME COLUMN `display_name` TO `name`;\nALTER TABLE `__new_t` RENAME TO `t`;\nRENAME TABLE `a` TO `b`;\nALTER TABLE a RENAME b",
            Dialect::Mysql
        ),
        [
            RenameColumn { table: s("users"), from: s("display_name"), to: s("name") },
            RenameTable { from: s("__new_t"), to: s("t") },
            RenameTable { from: s("a"), to: s("b") },
            RenameTable { from: s("a"), to: s("b") },
        ]
    );
    // Constraints and indexes dropped are no data.
    assert_eq!(
        ops(
            "ALTER TABLE t DROP CONSTRAINT t_fkey; DROP INDEX i; SELECT 1",
            Dialect::Postgres
        ),
        [Other, Other, Other]
    );
}

#[test]
fn type_changes_not_null_and_checks() {
    assert_eq!(
        ops(
            "ALTER TABLE \"t\" ALTER COLUMN \"n\" TYPE integer USING \"n\"::integer;\n\
             ALTER TABLE t ALTER n SET DATA TYPE varchar(20), ALTER COLUMN m SET NOT NULL;\n\
             ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n >= 0 AND (m IS NULL OR m < 5)) NOT VALID;\n\
             ALTER TABLE t VALIDATE CONSTRAINT t_n_check;\n\
             ALTER TABLE t ADD CHECK (n > 0)",
            Dialect::Postgres
        ),
        [
            SetType { table: s("t"), column: s("n"), ty: s("integer"), using: Some(s("\"n\"::integer")) },
            SetType { table: s("t"), column: s("n"), ty: s("varchar(20)"), using: None },
            SetNotNull { table: s("t"), column: s("m") },
            AddCheck { table: s("t"), name: Some(s("t_n_check")), expr: s("n >= 0 AND (m IS NULL OR m < 5)"), validated: false },
            ValidateConstraint { table: s("t"), name: s("t_n_check") },
            AddCheck { table: s("t"), name: None, expr: s("n > 0"), validated: true },
        ]
    );
    assert_eq!(
        ops(
            "ALTER TABLE `t` MODIFY COLUMN `status` ENUM('open','closed') NOT NULL DEFAULT 'open';\n\
             ALTER TABLE t CHANGE old_n n int;\n\
             ALTER TABLE t ADD UNIQUE KEY t_k (a, b(10))",
            Dialect::Mysql
        ),
        [
            SetType { table: s("t"), column: s("status"), ty: s("ENUM('open','closed')"), using: None },
            SetNotNull { table: s("t"), column: s("status") },
            RenameColumn { table: s("t"), from: s("old_n"), to: s("n") },
            SetType { table: s("t"), column: s("n"), ty: s("int"), using: None },
            AddUnique { table: s("t"), columns: vec![s("a"), s("b")] },
        ]
    );
}

#[test]
fn enum_recreation_on_postgres() {
    let sql = "ALTER TYPE \"ticket_status\" RENAME TO \"ticket_status__old\";\n\
               CREATE TYPE \"ticket_status\" AS ENUM ('open');\n\
               ALTER TABLE \"tickets\" ALTER COLUMN \"status\" TYPE \"ticket_status\" USING \"status\"::text::\"ticket_status\";\n\
               DROP TYPE \"ticket_status__old\";";
    assert_eq!(
        ops(sql, Dialect::Postgres),
        [
            RenameType {
                from: s("ticket_status"),
                to: s("ticket_status__old")
            },
            CreateEnum {
                name: s("ticket_status"),
                values: vec![s("open")]
            },
            SetType {
                table: s("tickets"),
                column: s("status"),
                ty: s("\"ticket_status\""),
                using: Some(s("\"status\"::text::\"ticket_status\"")),
            },
            Other,
        ]
    );
}

#[test]
fn a_sqlite_table_rebuild() {
    let sql = "CREATE TABLE \"__new_users\" (\n\
               \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT,\n\
               \"email\" text NOT NULL,\n\
               \"age\" integer NOT NULL DEFAULT 0 CHECK (age >= 0),\n\
               CONSTRAINT \"users_email_key\" UNIQUE (\"email\"),\n\
               FOREIGN KEY (\"org_id\") REFERENCES \"orgs\" (\"id\"),\n\
               CONSTRAINT \"users_role_check\" CHECK (\"role\" IN ('a', 'b'))\n);\n\
               INSERT INTO \"__new_users\" (\"id\", \"email\", \"age\") SELECT \"id\", \"email\", coalesce(\"age\", 0) FROM \"users\";\n\
               DROP TABLE \"users\";\n\
               ALTER TABLE \"__new_users\" RENAME TO \"users\";";
    let col = |name: &str, ty: &str, checks: Vec<String>, unique| ColumnDef {
        name: s(name),
        ty: s(ty),
        not_null: true,
        checks,
        unique,
    };
    assert_eq!(
        ops(sql, Dialect::Sqlite),
        [
            CreateTable {
                table: s("__new_users"),
                columns: vec![
                    col("id", "integer", vec![], true),
                    col("email", "text", vec![], false),
                    col("age", "integer", vec![s("age >= 0")], false),
                ],
                checks: vec![s("\"role\" IN ('a', 'b')")],
                uniques: vec![vec![s("id")], vec![s("email")]],
            },
            CopyRows {
                into: s("__new_users"),
                columns: vec![s("id"), s("email"), s("age")],
                from: s("users"),
                exprs: vec![s("\"id\""), s("\"email\""), s("coalesce(\"age\", 0)")],
                filtered: false,
            },
            DropTable { table: s("users") },
            RenameTable {
                from: s("__new_users"),
                to: s("users")
            },
        ]
    );
}

#[test]
fn unique_indexes_and_unknown_statements() {
    assert_eq!(
        ops(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"u\" ON \"t\" (\"a\", b DESC);\n\
             CREATE UNIQUE INDEX u2 ON t (lower(a));\n\
             CREATE INDEX i ON t (a);\n\
             CREATE UNIQUE INDEX u3 ON t (a) WHERE a > 0;\n\
             UPDATE t SET a = 1;\n\
             CREATE TABLE x AS SELECT 1;\n\
             ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT 0",
            Dialect::Postgres
        ),
        [
            AddUnique {
                table: s("t"),
                columns: vec![s("a"), s("b")]
            },
            Other,
            Other,
            Other,
            Other,
            Other,
            AddColumn {
                table: s("t"),
                column: ColumnDef {
                    name: s("c"),
                    ty: s("integer"),
                    not_null: true,
                    checks: vec![],
                    unique: false
                },
            },
        ]
    );
}

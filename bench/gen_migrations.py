#!/usr/bin/env python3
"""Write M small migrations in every layout the apply benchmark needs, from the same SQL.

Each migration: one CREATE TABLE (4 columns) and one CREATE INDEX; valid on PostgreSQL and
SQLite as written.

usage: gen_migrations.py M OUT_DIR
  OUT_DIR/cs-postgres/  a package (Cargo.toml with [package.metadata.schema] dialect = "postgres")
  OUT_DIR/cs-sqlite/    the same for SQLite; both with migrations/NNNN_create_tN.{up,down}.sql
  OUT_DIR/sqlx/         NNNN_create_tN.sql (sqlx-cli's layout: <version>_<description>.sql)
  OUT_DIR/floor.sql     every up script in order, each wrapped in BEGIN; ... COMMIT;
"""
import os
import sys


def up(i):
    return (
        f"CREATE TABLE t{i} (id integer PRIMARY KEY, name text NOT NULL, score integer NOT NULL DEFAULT 0, created_at timestamp);\n"
        f"CREATE INDEX t{i}_name_idx ON t{i} (name);\n"
    )


def down(i):
    return f"DROP TABLE t{i};\n"


def package(out, dialect, m):
    mig = os.path.join(out, "migrations")
    os.makedirs(mig, exist_ok=True)
    os.makedirs(os.path.join(out, "src"), exist_ok=True)
    with open(os.path.join(out, "Cargo.toml"), "w") as f:
        f.write(
            f'[package]\nname = "bench-apply-{dialect}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
            f'[workspace]\n\n[package.metadata.schema]\ndialect = "{dialect}"\nmigrations = "migrations"\n'
        )
    with open(os.path.join(out, "src", "lib.rs"), "w") as f:
        f.write("")
    for i in range(1, m + 1):
        with open(os.path.join(mig, f"{i:04}_create_t{i}.up.sql"), "w") as f:
            f.write(up(i))
        with open(os.path.join(mig, f"{i:04}_create_t{i}.down.sql"), "w") as f:
            f.write(down(i))


def main():
    m, out = int(sys.argv[1]), sys.argv[2]
    for dialect in ("postgres", "sqlite"):
        package(os.path.join(out, f"cs-{dialect}"), dialect, m)
    sqlx = os.path.join(out, "sqlx")
    os.makedirs(sqlx, exist_ok=True)
    for i in range(1, m + 1):
        with open(os.path.join(sqlx, f"{i:04}_create_t{i}.sql"), "w") as f:
            f.write(up(i))
    with open(os.path.join(out, "floor.sql"), "w") as f:
        for i in range(1, m + 1):
            f.write("BEGIN;\n" + up(i) + "COMMIT;\n")


if __name__ == "__main__":
    main()

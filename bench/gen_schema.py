#!/usr/bin/env python3
"""Write one synthetic schema as Rust structs (a cargo package) and as a drizzle TypeScript schema.

N tables, 10 columns each (id, a foreign key to the previous table, name, email, body, score,
flag, created_at, kind (an enum), amount), one index per table, one enum per 10 tables.

usage: gen_schema.py N OUT_DIR [--derive table|none|fromrow|serde] [--runtime PATH]
  OUT_DIR/rust/{Cargo.toml,src/lib.rs,src/tables/*.rs}  and  OUT_DIR/drizzle/schema.ts
"""
import argparse
import os


def enum_name(i):
    return f"Kind{i // 10}"


def rust_package(n, out, derive, runtime):
    src = os.path.join(out, "src")
    tables = os.path.join(src, "tables")
    os.makedirs(tables, exist_ok=True)
    deps = ""
    if derive in ("table",):
        deps = f'schema-runtime = {{ path = "{runtime}", features = ["chrono"] }}\nchrono = {{ version = "0.4", default-features = false }}\n'
    elif derive == "fromrow":
        deps = 'sqlx = { version = "=0.9.0", default-features = false, features = ["derive", "chrono", "postgres"] }\nchrono = { version = "0.4", default-features = false }\n'
    elif derive == "serde":
        deps = 'serde = { version = "1", features = ["derive"] }\nchrono = { version = "0.4", default-features = false, features = ["serde"] }\n'
    else:
        deps = 'chrono = { version = "0.4", default-features = false }\n'
    with open(os.path.join(out, "Cargo.toml"), "w") as f:
        f.write(
            f"""[package]
name = "bench-schema"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[package.metadata.schema]
dialect = "postgres"
migrations = "migrations"

[dependencies]
{deps}"""
        )
    mods = []
    files = max(1, n // 50)
    per_file = (n + files - 1) // files
    for fi in range(files):
        lines = []
        if derive == "table":
            lines.append("use schema_runtime::{Enum, Table};")
        if derive == "serde":
            lines.append("use serde::{Deserialize, Serialize};")
        lines.append("use chrono::{DateTime, Utc};\n")
        for i in range(fi * per_file, min(n, (fi + 1) * per_file)):
            if i % 10 == 0:
                lines.append(enum_rust(i, derive))
            lines.append(table_rust(i, derive))
        name = f"t{fi:03}"
        mods.append(name)
        with open(os.path.join(tables, f"{name}.rs"), "w") as f:
            f.write("\n".join(lines))
    with open(os.path.join(tables, "mod.rs"), "w") as f:
        for m in mods:
            f.write(f"pub mod {m};\n")
    with open(os.path.join(src, "lib.rs"), "w") as f:
        f.write("#![allow(dead_code)]\npub mod tables;\n")


def derive_attr(derive, kind):
    if derive == "table":
        return f"#[derive({kind})]\n"
    if derive == "fromrow":
        return "#[derive(sqlx::FromRow)]\n" if kind == "Table" else "#[derive(sqlx::Type)]\n"
    if derive == "serde":
        return "#[derive(Serialize, Deserialize)]\n"
    return ""


def enum_rust(i, derive):
    return (
        derive_attr(derive, "Enum")
        + f"pub enum {enum_name(i)} {{\n    Small,\n    Medium,\n    Large,\n}}\n"
    )


def table_rust(i, derive):
    schema = derive == "table"
    a = lambda s: f"    #[schema({s})]\n" if schema else ""
    parent = max(i - 1, 0)
    body = (
        derive_attr(derive, "Table")
        + (f'#[schema(table = "t_{i}", index(name, created_at))]\n' if schema else "")
        + f"pub struct T{i} {{\n"
        + a("primary_key, auto_increment")
        + "    pub id: i64,\n"
        + a(f'references = "t_{parent}.id", on_delete = "cascade"')
        + "    pub parent_id: Option<i64>,\n"
        + "    pub name: String,\n"
        + a("unique")
        + "    pub email: String,\n"
        + "    pub body: Option<String>,\n"
        + a("default = 0")
        + "    pub score: i32,\n"
        + a("default = false")
        + "    pub flag: bool,\n"
        + a('default_sql = "now()"')
        + "    pub created_at: DateTime<Utc>,\n"
        + f"    pub kind: {enum_name(i)},\n"
        + "    pub amount: f64,\n"
        + "}\n"
    )
    return body


def drizzle(n, out):
    os.makedirs(out, exist_ok=True)
    lines = [
        'import { pgTable, pgEnum, bigserial, bigint, text, integer, boolean, timestamp, doublePrecision, index, uniqueIndex } from "drizzle-orm/pg-core";',
        'import { sql } from "drizzle-orm";',
        "",
    ]
    for i in range(0, n, 10):
        lines.append(
            f'export const kind{i // 10} = pgEnum("kind{i // 10}", ["small", "medium", "large"]);'
        )
    for i in range(n):
        parent = max(i - 1, 0)
        lines.append(
            f"""export const t{i}: any = pgTable("t_{i}", {{
  id: bigserial("id", {{ mode: "number" }}).primaryKey(),
  parentId: bigint("parent_id", {{ mode: "number" }}).references((): any => t{parent}.id, {{ onDelete: "cascade" }}),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  body: text("body"),
  score: integer("score").notNull().default(0),
  flag: boolean("flag").notNull().default(false),
  createdAt: timestamp("created_at", {{ withTimezone: true }}).notNull().default(sql`now()`),
  kind: kind{i // 10}("kind").notNull(),
  amount: doublePrecision("amount").notNull(),
}}, (t: any) => [index("t_{i}_name_created_at_idx").on(t.name, t.createdAt)]);"""
        )
    with open(os.path.join(out, "schema.ts"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--derive", default="table", choices=["table", "none", "fromrow", "serde"])
    p.add_argument("--runtime", default=os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "schema-runtime")))
    args = p.parse_args()
    rust_package(args.n, os.path.join(args.out, "rust"), args.derive, args.runtime)
    drizzle(args.n, os.path.join(args.out, "drizzle"))


if __name__ == "__main__":
    main()

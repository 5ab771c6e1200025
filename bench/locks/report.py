#!/usr/bin/env python3
"""Markdown table from bench/.work/locks/results.jsonl (written by run.sh).

usage: report.py WORK_DIR CASE...
"""
import json
import os
import re
import sys

TARGET_MS = 100


def statements(path):
    """The statements of a migration file, comments dropped, whitespace collapsed; directives kept."""
    text = open(path).read()
    directives = [l.strip() for l in text.splitlines() if l.strip().startswith("-- schema:")]
    body = "\n".join(l for l in text.splitlines() if not l.strip().startswith("--"))
    stmts = [re.sub(r"\s+", " ", s).strip() for s in body.split(";")]
    return directives, [s for s in stmts if s]


def shape(path):
    directives, stmts = statements(path)
    return "; ".join(directives + stmts)


def main():
    work, cases = sys.argv[1], sys.argv[2:]
    rows = {}
    with open(os.path.join(work, "results.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            rows[(r["case"], r["variant"])] = r
    fmt = lambda v: "n/a" if v is None else f"{v:.0f}"
    out = [
        "| case | naive stall ms | generated stall ms | longest gap naive / generated ms | no-migration max ms (naive / generated run) | generated: window ms | target < 100 ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for c in cases:
        n, g = rows.get((c, "naive"), {}), rows.get((c, "generated"), {})
        ok = g.get("migration_exit") == 0 and g.get("stall_ms") is not None and g["stall_ms"] < TARGET_MS
        failed = "" if g.get("migration_exit") == 0 else f" (migration exit {g.get('migration_exit')})"
        out.append(
            f"| {c} | {fmt(n.get('stall_ms'))} | {fmt(g.get('stall_ms'))}{failed} | "
            f"{fmt(n.get('gap_ms'))} / {fmt(g.get('gap_ms'))} | "
            f"{fmt(n.get('baseline_ms'))} / {fmt(g.get('baseline_ms'))} | {fmt(g.get('window_ms'))} | "
            f"{'met' if ok else 'NOT met'} |"
        )
    out.append("")
    out.append("SQL measured (naive = drizzle-kit's; generated = cargo-schema's 0002 up file):")
    out.append("")
    for c in cases:
        d = os.path.join(work, "cases", c)
        out.append(f"- `{c}`")
        out.append(f"  - naive: `{shape(os.path.join(d, 'naive.sql'))}`")
        out.append(f"  - generated: `{shape(os.path.join(d, 'generated.sql'))}`")
    print("\n".join(out))


if __name__ == "__main__":
    main()

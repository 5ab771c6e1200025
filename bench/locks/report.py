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


def summary(runs, key):
    """`median (min-max)` of `key` over the runs, or the one value."""
    vals = sorted(r[key] for r in runs if r.get(key) is not None)
    if not vals:
        return "n/a"
    med = vals[len(vals) // 2] if len(vals) % 2 else (vals[len(vals) // 2 - 1] + vals[len(vals) // 2]) / 2
    if len(vals) == 1:
        return f"{med:.0f}"
    return f"{med:.0f} ({vals[0]:.0f}-{vals[-1]:.0f})"


def main():
    work, cases = sys.argv[1], sys.argv[2:]
    runs = {}
    with open(os.path.join(work, "results.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            runs.setdefault((r["case"], r["variant"]), []).append(r)
    reps = max((len(v) for v in runs.values()), default=0)
    out = [
        f"Each cell: median (min-max) over {reps} runs, milliseconds. Stall = the longest time one "
        "write (an UPDATE or INSERT from the load) spent executing while it overlapped the "
        "migration. Quiet = the longest write in the seconds before the migration started (this "
        "machine's noise floor). Target: every generated run under 100 ms, the change in place afterwards (checked in the catalog).",
        "",
        "| case | naive stall | generated stall | naive quiet | generated quiet | generated migration wall time | target < 100 ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for c in cases:
        n, g = runs.get((c, "naive"), []), runs.get((c, "generated"), [])
        failed = [r for r in n + g if r.get("migration_exit") != 0 or r.get("applied") is False]
        ok = bool(g) and not failed and all(r["stall_ms"] is not None and r["stall_ms"] < TARGET_MS for r in g)
        note = f" ({len(failed)} runs failed or left the change undone)" if failed else ""
        out.append(
            f"| {c} | {summary(n, 'stall_ms')} | {summary(g, 'stall_ms')}{note} | "
            f"{summary(n, 'baseline_ms')} | {summary(g, 'baseline_ms')} | {summary(g, 'window_ms')} | "
            f"{'met' if ok else 'NOT met'} |"
        )
    out.append("")
    out.append("SQL measured (naive = drizzle-kit's; generated = cargo-schema's 0002 up file):")
    out.append("")
    for c in cases:
        d = os.path.join(work, "cases", c)
        out.append(f"- `{c}`")
        out.append(f"  - naive: `{shape(os.path.join(d, 'naive.sql'))}`")
        ack = " (generate refuses it until acknowledged: run with `--allow-destructive`)" if os.path.exists(os.path.join(d, "acknowledged")) else ""
        out.append(f"  - generated{ack}: `{shape(os.path.join(d, 'generated.sql'))}`")
    print("\n".join(out))


if __name__ == "__main__":
    main()

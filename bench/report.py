#!/usr/bin/env python3
"""Turn the hyperfine JSON (several rounds per benchmark) into the tables of BENCHMARKS.md.

usage: report.py RESULTS_DIR BENCHMARKS.md
Replaces the text between `<!-- BEGIN results -->` and `<!-- END results -->` in BENCHMARKS.md
(creating the file with only the markers if needed). Medians are over every run of every
round; ratios are of medians.
"""
import glob
import json
import os
import re
import statistics
import sys


def load(results):
    groups = {}
    for path in sorted(glob.glob(os.path.join(results, "*.r*.json"))):
        name = re.sub(r"\.r\d+\.json$", "", os.path.basename(path))
        with open(path) as f:
            data = json.load(f)
        g = groups.setdefault(name, {})
        for r in data["results"]:
            g.setdefault(r["command"], []).extend(r["times"])
    rss = {}
    p = os.path.join(results, "rss.jsonl")
    if os.path.exists(p):
        for line in open(p):
            if line.strip():
                d = json.loads(line)
                rss[(d["bench"], d["command"])] = d
    meta = {}
    p = os.path.join(results, "meta.json")
    if os.path.exists(p):
        meta = json.load(open(p))
    return groups, rss, meta


def med(times):
    return statistics.median(times)


def fmt_s(t):
    ms = t * 1000
    if ms >= 100:
        return f"{ms:,.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def spread(times):
    # interquartile range, as a compact measure of noise
    if len(times) < 4:
        return f"{fmt_s(min(times))}–{fmt_s(max(times))}"
    q = statistics.quantiles(times, n=4)
    return f"{fmt_s(q[0])}–{fmt_s(q[2])}"


def ratio(a, b):
    if b == 0:
        return "—"
    r = a / b
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x"


def rss_cell(rss, bench, cmd):
    d = rss.get((bench, cmd))
    if not d or d.get("max_rss_kb") is None:
        return "—"
    return f"{d['max_rss_kb'] / 1024:.1f} MB"


def find(g, prefix):
    for k in g:
        if k.startswith(prefix):
            return k
    return None


def generate_section(groups, rss):
    out = []
    sizes = sorted(int(k.split("-")[1]) for k in groups if re.fullmatch(r"generate-\d+", k))
    if not sizes:
        return out
    out.append("### 1. Generate\n")
    summary = {}
    for n in sizes:
        name = f"generate-{n}"
        g = groups[name]
        base = med(g[find(g, "cargo schema generate")])
        out.append(f"**N = {n} tables** ({len(next(iter(g.values())))} runs per command)\n")
        out.append("| command | median | IQR | per table | vs `cargo schema generate` | peak RSS |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for cmd, times in g.items():
            # Results of older runs: cargo schema no longer spawns `cargo metadata` when the
            # manifest is given, so that row measured nothing of it any more.
            if cmd.startswith("part of the above: cargo metadata"):
                continue
            m = med(times)
            out.append(
                f"| {cmd} | {fmt_s(m)} | {spread(times)} | {m / n * 1e6:,.0f} µs | {ratio(m, base)} | {rss_cell(rss, name, cmd)} |"
            )
        out.append("")
        summary[n] = {c: med(t) for c, t in g.items()}
    # targets, for cargo-schema's build and for any alternative build measured beside it
    variants = [c for c in summary[sizes[0]] if c.startswith("cargo schema generate")]
    out.append("**Targets**\n")
    out.append("| target | measured | met? |")
    out.append("|---|---|---|")
    for v in variants:
        tag = v[len("cargo schema generate (from empty)"):].strip()
        tag = f" {tag}" if tag else ""
        for n in sizes:
            s = summary[n]
            if v not in s:
                continue
            cs = s[v]
            dz = s[find(s, "drizzle-kit generate (from empty)")]
            fl = s[find(s, "floor")]
            if n == 1000:
                out.append(f"| ≥ 20x faster than drizzle-kit at N = 1000, from empty{tag} | {ratio(dz, cs)} ({fmt_s(dz)} / {fmt_s(cs)}) | {'yes' if dz / cs >= 20 else 'no'} |")
                if not tag:
                    dzn = s[find(s, "drizzle-kit generate (nothing to do)")]
                    csv = s[find(s, "cargo schema verify")]
                    out.append(f"| ≥ 20x faster than drizzle-kit at N = 1000, nothing to do (verify vs generate) | {ratio(dzn, csv)} ({fmt_s(dzn)} / {fmt_s(csv)}) | {'yes' if dzn / csv >= 20 else 'no'} |")
            out.append(f"| generate within 3x of the bare syn parse, N = {n}{tag} | {ratio(cs, fl)} ({fmt_s(cs)} / {fmt_s(fl)}) | {'yes' if cs / fl <= 3 else 'no'} |")
        have = [n for n in sizes if v in summary[n]]
        if len(have) >= 2:
            cells = [f"N={n}: {summary[n][v] / n * 1e6:,.0f} µs/table" for n in have]
            lin = [(summary[b][v] - summary[a][v]) / (b - a) for a, b in zip(have, have[1:])]
            marg = [f"{a}→{b}: {x * 1e6:,.0f} µs/table" for (a, b), x in zip(zip(have, have[1:]), lin)]
            ok = all(x <= 1.5 * lin[0] for x in lin)
            out.append(f"| cost grows linearly with N{tag} (marginal cost per table flat within 1.5x) | {'; '.join(cells)}; marginal {'; '.join(marg)} | {'yes' if ok else 'no'} |")
    out.append("")
    return out


def apply_section(groups, rss):
    out = []
    names = sorted(
        (k for k in groups if k.startswith("apply-")),
        key=lambda k: (k.split("-")[1], int(k.split("-")[2]), k.split("-")[3]),
    )
    if not names:
        return out
    out.append("### 2. Apply\n")
    targets = []
    for name in names:
        _, db, m, kind = name.split("-")
        g = groups[name]
        sq = med(g[find(g, "sqlx migrate run")])
        what = "from empty" if kind == "empty" else "nothing pending"
        out.append(f"**{'PostgreSQL 15' if db == 'postgres' else 'SQLite'}, {m} migrations, {what}** ({len(next(iter(g.values())))} runs per command)\n")
        out.append("| command | median | IQR | per migration | vs `sqlx migrate run` | peak RSS |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for cmd, times in g.items():
            mm = med(times)
            per = f"{mm / int(m) * 1e3:.2f} ms" if kind == "empty" else "—"
            out.append(f"| {cmd} | {fmt_s(mm)} | {spread(times)} | {per} | {ratio(mm, sq)} | {rss_cell(rss, name, cmd)} |")
        out.append("")
        for who in ("Migrator::run", "cargo schema migrate"):
            t = med(g[find(g, who)])
            targets.append(f"| {who} no slower than sqlx-cli, {db} M={m} {what} | {fmt_s(t)} vs {fmt_s(sq)} ({ratio(t, sq)}) | {'yes' if t <= sq * 1.02 else 'no'} |")
    out.append("**Targets** (no slower = median within 2% of sqlx-cli's or below)\n")
    out.append("| target | measured | met? |")
    out.append("|---|---|---|")
    out.extend(targets)
    out.append("")
    return out


def derive_section(groups):
    out = []
    names = [k for k in groups if k.startswith("derive-")]
    for name in names:
        s = int(name.split("-")[1])
        g = groups[name]
        base = med(g[find(g, "no derive")])
        serde = med(g[find(g, "#[derive(Serialize")])
        out.append("### 3. Compile cost of the derive\n")
        out.append(f"Incremental `cargo check` after `touch src/lib.rs`, crate of {s} structs x 10 fields + {s // 10} enums ({len(next(iter(g.values())))} runs per command)\n")
        out.append("| derives | median | IQR | cost over no derive | per struct | vs serde's pair (cost) |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for cmd, times in g.items():
            m = med(times)
            cost = m - base
            out.append(f"| `{cmd}` | {fmt_s(m)} | {spread(times)} | {fmt_s(cost) if cmd != 'no derive' else '—'} | {cost / s * 1e3:.2f} ms | {ratio(cost, serde - base) if cmd != 'no derive' else '—'} |")
        out.append("")
        tb = med(g[find(g, "#[derive(Table)]")])
        out.append("| target | measured | met? |")
        out.append("|---|---|---|")
        out.append(f"| `derive(Table)` costs less than serde's pair | {fmt_s(tb - base)} vs {fmt_s(serde - base)} over no derive | {'yes' if tb < serde else 'no'} |")
        out.append("")
    return out


def main():
    results, md = sys.argv[1], sys.argv[2]
    groups, rss, meta = load(results)
    lines = []
    if meta:
        lines.append("| machine | |")
        lines.append("|---|---|")
        for k, v in meta.items():
            lines.append(f"| {k} | {v} |")
        lines.append("")
    lines += generate_section(groups, rss)
    lines += apply_section(groups, rss)
    lines += derive_section(groups)
    block = "<!-- BEGIN results -->\n" + "\n".join(lines) + "\n<!-- END results -->"
    text = open(md).read() if os.path.exists(md) else ""
    if "<!-- BEGIN results -->" not in text:
        text += "\n<!-- BEGIN results -->\n<!-- END results -->\n"
    text = re.sub(r"<!-- BEGIN results -->.*?<!-- END results -->", lambda _: block, text, flags=re.S)
    open(md, "w").write(text)


if __name__ == "__main__":
    main()

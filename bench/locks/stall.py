#!/usr/bin/env python3
"""Longest write stall in pgbench per-transaction logs around a migration window.

usage: stall.py WINDOW_START WINDOW_END LOG...   (epoch seconds with fractions)

Reads pgbench `--log` lines (`client_id transaction_no time script_no time_epoch time_us
schedule_lag`, times in microseconds; `time` counts from the scheduled start under `--rate`,
so the write's own execution time is `time - schedule_lag`) and prints one JSON object:

  stall_ms        longest execution of a write that overlapped the window: how long one write
                  was blocked (the headline number)
  queued_ms       the same write's latency counted from its scheduled start (adds the time a
                  writer spent behind its own blocked write; >= stall_ms)
  gap_ms          longest time inside the window with no write completing, on any connection
  baseline_ms     longest write execution in the seconds before the window (the noise floor of
                  this machine under this load, no migration running)
  writes, writes_in_window, failed
"""
import json
import sys


def main():
    start, end = float(sys.argv[1]), float(sys.argv[2])
    writes, failed = [], 0
    for path in sys.argv[3:]:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) < 6:
                    continue
                if not p[2].isdigit():  # "failed" / "skipped"
                    failed += 1
                    continue
                latency = int(p[2]) / 1e6
                lag = int(p[6]) / 1e6 if len(p) > 6 and p[6].isdigit() else 0.0
                done = int(p[4]) + int(p[5]) / 1e6
                writes.append((done - (latency - lag), done, latency - lag, latency))
    if not writes:
        print(json.dumps({"error": "no writes logged"}))
        sys.exit(1)
    inside = [w for w in writes if w[1] >= start and w[0] <= end]
    before = [w for w in writes if w[1] < start]
    stall = max(inside, key=lambda w: w[2], default=None)
    # Gaps between completions, clipped to the window.
    marks = sorted([start] + [w[1] for w in writes if start <= w[1] <= end] + [end])
    gap = max((b - a for a, b in zip(marks, marks[1:])), default=0.0)
    ms = lambda s: round(s * 1000, 1)
    print(
        json.dumps(
            {
                "stall_ms": ms(stall[2]) if stall else None,
                "queued_ms": ms(max(w[3] for w in inside)) if inside else None,
                "gap_ms": ms(gap),
                "baseline_ms": ms(max(w[2] for w in before)) if before else None,
                "window_ms": ms(end - start),
                "writes": len(writes),
                "writes_in_window": len(inside),
                "failed": failed,
            }
        )
    )


if __name__ == "__main__":
    main()

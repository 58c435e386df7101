#!/usr/bin/env python3
"""Benchmark: `gxgen import` and `gxgen audit` time against input length.

Builds inputs of 25k, 50k and 100k lines from a seed report (tests/fixtures/
published/000_*.txt): the seed with N extra lines of prose in 一、总体情况
(lines of 60 characters without a full stop, so the paragraph joiner glues
them), with N extra lines before the first heading (title search), and with
N extra short cells in the table section 二, and with a tab-led table
label followed by N lines of text (a label broken over lines, the shape the
fuzz harness found quadratic: the growing label was reclassified on every
line). Each is imported once in a new
process; wall time is printed per shape and size, and the ratio 100k/25k
(linear time gives about 4).

Usage (from the repository root):
    cargo build --release && python3 bench/import.py
    python3 bench/import.py --binary target/debug/gxgen   # the debug build
"""
import argparse, glob, os, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--binary", default="target/release/gxgen")
ap.add_argument("--sizes", default="25000,50000,100000")
ap.add_argument("--audit", action="store_true", help="also time gxgen audit")
a = ap.parse_args()
if not os.path.exists(a.binary):
    sys.exit(f"{a.binary} not found: run cargo build --release first")

seed = open(sorted(glob.glob("tests/fixtures/published/000_*.txt"))[0], encoding="utf-8").read()
prose = "我局坚持以公开为常态不公开为例外持续深化政务公开工作推进决策执行管理服务结果公开并做好政策解读回应关切"


def shape(kind, n):
    lines = seed.split("\n")
    if kind == "prose":
        at = next(i for i, l in enumerate(lines) if l.strip().startswith("一、")) + 1
        extra = [prose[: 40 + i % 20] for i in range(n)]
    elif kind == "preamble":
        at = 0
        extra = [f"首页 > 政务公开 > 第{i}页" for i in range(n)]
    elif kind == "label":
        at = next(i for i, l in enumerate(lines) if l.strip().startswith("二、")) + 1
        extra = ["\t信息内容"] + [prose[: 10 + i % 20] for i in range(n)]
    else:  # cells in the table section
        at = next(i for i, l in enumerate(lines) if l.strip().startswith("二、")) + 1
        extra = [f"\t{i % 10}" for i in range(n)]
    return "\n".join(lines[:at] + extra + lines[at:])


def run(args):
    t = time.perf_counter()
    p = subprocess.run([a.binary, *args], capture_output=True, env={**os.environ, "NO_COLOR": "1"})
    dt = time.perf_counter() - t
    if p.returncode not in (0, 1):
        sys.exit(p.stderr.decode())
    return dt


sizes = [int(s) for s in a.sizes.split(",")]
print(f"binary {a.binary}")
for kind in ["prose", "preamble", "cells", "label"]:
    times = []
    for n in sizes:
        d = tempfile.mkdtemp()
        src = os.path.join(d, "report.txt")
        open(src, "w", encoding="utf-8").write(shape(kind, n))
        t = run(["import", src, "-o", os.path.join(d, "out"), "--force"])
        times.append(t)
        line = f"{kind:9} {n:>7} lines  import {t:6.2f} s"
        if a.audit:
            line += f"  audit {run(['audit', src]):6.2f} s"
        print(line, flush=True)
    print(f"{kind:9} ratio {sizes[-1]}/{sizes[0]}: {times[-1] / times[0]:.1f}")

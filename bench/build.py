#!/usr/bin/env python3
"""Benchmark: cold whole-process `gxgen build` (HTML + PDF) of one example.

Each run is a new process, so fonts are scanned and templates parsed every
time, as for a user. Reports wall time, the share spent in font scanning,
typst layout and PDF writing (from GXGEN_TIMINGS=1), and peak memory.

Usage (from the repository root, after `cargo build --release`):
    python3 bench/build.py [--runs 10] [--example examples/ankang-hanbin-2020/report.yaml]
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=10)
ap.add_argument("--example", default="examples/ankang-hanbin-2020/report.yaml")
ap.add_argument("--binary", default="target/release/gxgen")
ap.add_argument("extra", nargs="*", help="extra gxgen build arguments, e.g. --font-path DIR")
a = ap.parse_args()
if not os.path.exists(a.binary):
    sys.exit(f"{a.binary} not found: run cargo build --release first")

walls, fonts, layout, pdf, rss = [], [], [], [], []
for i in range(a.runs):
    out = tempfile.mkdtemp()
    errpath = os.path.join(out, "stderr.txt")
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(errpath, os.O_WRONLY | os.O_CREAT), 2)
        os.execve(a.binary, [a.binary, "build", a.example, "-o", out, *a.extra],
                  {**os.environ, "GXGEN_TIMINGS": "1", "NO_COLOR": "1"})
    _, status, ru = os.wait4(pid, 0)
    walls.append((time.perf_counter() - t) * 1000)
    err = open(errpath, encoding="utf-8").read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(err)
    m = re.search(r"timings: fonts ([\d.]+) ms, layout ([\d.]+) ms, pdf ([\d.]+) ms", err)
    fonts.append(float(m[1])); layout.append(float(m[2])); pdf.append(float(m[3]))
    rss.append(ru.ru_maxrss)  # this process alone, KiB on Linux

med = statistics.median
w = med(walls)
print(f"example: {a.example}  runs: {a.runs}  cpus: {os.cpu_count()}")
print(f"wall (whole process, HTML+PDF): median {w:.0f} ms, min {min(walls):.0f} ms, max {max(walls):.0f} ms")
for name, xs in [("font scan", fonts), ("typst layout", layout), ("PDF writing", pdf)]:
    print(f"  {name:13s} median {med(xs):6.1f} ms  ({100 * med(xs) / w:4.1f}% of wall)")
rest = w - med(fonts) - med(layout) - med(pdf)
print(f"  {'rest':13s} median {rest:6.1f} ms  ({100 * rest / w:4.1f}%: load, check, compose, HTML, start-up)")
print(f"peak memory of one build: median {med(rss) / 1024:.1f} MiB, max {max(rss) / 1024:.1f} MiB")

#!/usr/bin/env python3
"""Benchmark: `gxgen check` of a large workspace (default 1,000 agencies,
copies of an example differing in the agency name), and a no-change
rebuild of it. Reports wall time (median, min-max), peak memory (this
process alone, from wait4) and the load of the machine.

The first build is `--only html` (1,000 PDFs take minutes); the no-change
rebuild then checks every agency and finds every output fresh, which is
what a no-change rebuild does whatever the outputs.

Usage (from the repository root, after `cargo build --release`):
    python3 bench/check_scale.py [--agencies 1000] [--runs 5] [--jobs N]
"""
import argparse, os, shutil, statistics, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--agencies", type=int, default=1000)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--jobs", type=int, default=0)
ap.add_argument("--example", default="examples/ankang-hanbin-2020")
ap.add_argument("--binary", default="target/release/gxgen")
ap.add_argument("--work", default=None, help="folder for the workspace (default: a new temporary folder)")
a = ap.parse_args()
if not os.path.exists(a.binary):
    sys.exit(f"{a.binary} not found: run cargo build --release first")
binary = os.path.abspath(a.binary)
work = a.work or tempfile.mkdtemp(prefix="gxgen-check-scale-")
shutil.rmtree(work, ignore_errors=True)
ws = os.path.join(work, "ws")
os.makedirs(ws)
report = open(os.path.join(a.example, "report.yaml"), encoding="utf-8").read()
agency = next(l.split(":", 1)[1].split("#")[0].strip() for l in report.splitlines() if l.strip().startswith("agency:"))
year = next(l.split(":", 1)[1].split("#")[0].strip() for l in report.splitlines() if l.strip().startswith("year:"))
for i in range(a.agencies):
    d = os.path.join(ws, f"a{i:04d}")
    shutil.copytree(a.example, d)
    with open(os.path.join(d, "report.yaml"), "w", encoding="utf-8") as f:
        f.write(report.replace(f"agency: {agency}", f"agency: {agency}第{i + 1}局", 1))
with open(os.path.join(ws, "gxgen.yaml"), "w", encoding="utf-8") as f:
    f.write(f"year: {year}\n")
jobs = ["--jobs", str(a.jobs)] if a.jobs else []


def run(args):
    """wall s, peak RSS MiB of that process alone, exit code."""
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.execve(binary, [binary, *args], {**os.environ, "NO_COLOR": "1"})
    _, status, ru = os.wait4(pid, 0)
    return time.perf_counter() - t, ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def series(label, args, ok=(0,)):
    walls, rss = [], []
    for _ in range(a.runs):
        w, m, code = run(args)
        if code not in ok:
            sys.exit(f"{label}: exit {code}")
        walls.append(w)
        rss.append(m)
    print(f"{label:34s} median {statistics.median(walls):6.3f} s  min {min(walls):6.3f}  max {max(walls):6.3f}"
          f"  peak memory max {max(rss):6.1f} MiB")


print(f"machine: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f} at start; agencies: {a.agencies}")
# check exits 0 (notes only) for these copies; 1 would mean errors.
series("gxgen check WORKSPACE", ["check", ws, *jobs], ok=(0, 1))
out = os.path.join(work, "out")
w, m, code = run(["build", ws, "--only", "html", "-o", out, *jobs])
print(f"{'first build --only html':34s} {w:6.3f} s  peak memory {m:6.1f} MiB  (exit {code})")
series("no-change rebuild --only html", ["build", ws, "--only", "html", "-o", out, *jobs])
print(f"load average {os.getloadavg()[0]:.2f} at the end")
if not a.work:
    shutil.rmtree(work)

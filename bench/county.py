#!/usr/bin/env python3
"""Benchmark: a workspace of N agencies (default 200), HTML + PDF, built cold
and then rebuilt with nothing changed. Reports wall time, reports per
second, CPU use and peak memory.

Usage (from the repository root, after `cargo build --release`; needs
openpyxl for the generated XLSX sheet):
    python3 bench/county.py [--agencies 200] [--jobs N]
"""
import argparse, os, shutil, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--agencies", type=int, default=200)
ap.add_argument("--jobs", type=int, default=0)
ap.add_argument("--binary", default="target/release/gxgen")
a = ap.parse_args()
if not os.path.exists(a.binary):
    sys.exit(f"{a.binary} not found: run cargo build --release first")
work = tempfile.mkdtemp()
townships = min(18, a.agencies - 1)
subprocess.run([sys.executable, "scripts/make_county.py", "--out", work, "--departments", str(a.agencies - 1 - townships),
                "--townships", str(townships)], check=True, capture_output=True)
ws = os.path.join(work, "2024")
cmd = [os.path.abspath(a.binary), "build", ws] + (["--jobs", str(a.jobs)] if a.jobs else [])

def run_one(cmd, env):
    """Run cmd alone; wall s, CPU s, peak RSS (KiB) of that process only, exit code."""
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        errf = os.open(os.path.join(tempfile.gettempdir(), "gxgen-bench.err"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(errf, 2)
        os.execve(cmd[0], cmd, env)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, os.waitstatus_to_exitcode(status)

def run(label):
    env = {**os.environ, "NO_COLOR": "1"}
    wall, cpu, rss, code = run_one(cmd, env)
    if code != 0:
        sys.exit(open(os.path.join(tempfile.gettempdir(), "gxgen-bench.err")).read()[-2000:])
    n = len([f for f in os.listdir(os.path.join(ws, "out")) if f.endswith(".pdf")])
    print(f"{label}: {wall:.2f} s wall, {n / wall:.1f} reports/s, CPU {cpu:.2f} s ({100 * cpu / wall:.0f}% of one core), peak RSS {rss / 1024:.0f} MiB")
    return n

print(f"agencies: {a.agencies}  cpus: {os.cpu_count()}  jobs: {a.jobs or 'all cores'}")
n = run("cold (HTML+PDF)")
print(f"  PDFs written: {n} (agencies + the summary)")
run("no-change rebuild")
shutil.rmtree(work)

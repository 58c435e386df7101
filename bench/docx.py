#!/usr/bin/env python3
"""Benchmark: size and whole-process time of `gxgen build --only docx`.

Each run is a new process (load, check, compose, write the .docx), as for a
user; compared with `--only html` to show what the Word file adds.

Usage (from the repository root, after `cargo build --release`):
    python3 bench/docx.py [--runs 20] [--example examples/ankang-hanbin-2020/report.yaml]
"""
import argparse, glob, os, statistics, subprocess, sys, tempfile, time, zipfile

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=20)
ap.add_argument("--example", default="examples/ankang-hanbin-2020/report.yaml")
ap.add_argument("--binary", default="target/release/gxgen")
a = ap.parse_args()
if not os.path.exists(a.binary):
    sys.exit(f"{a.binary} not found: run cargo build --release first")


def run(only):
    walls, out = [], None
    for _ in range(a.runs):
        out = tempfile.mkdtemp()
        t = time.perf_counter()
        subprocess.run([a.binary, "build", a.example, "--only", only, "-o", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append((time.perf_counter() - t) * 1000)
    return walls, out


med = statistics.median
html, _ = run("html")
docx, out = run("docx")
path = glob.glob(os.path.join(out, "*.docx"))[0]
z = zipfile.ZipFile(path)
print(f"example: {a.example}  runs: {a.runs}  cpus: {os.cpu_count()}")
print(f".docx: {os.path.getsize(path)} bytes ({sum(i.file_size for i in z.infolist())} bytes of XML in "
      f"{len(z.infolist())} parts; document.xml {z.getinfo('word/document.xml').file_size} bytes)")
print(f"wall --only docx: median {med(docx):.1f} ms, min {min(docx):.1f} ms, max {max(docx):.1f} ms")
print(f"wall --only html: median {med(html):.1f} ms (the Word file adds {med(docx) - med(html):.1f} ms)")

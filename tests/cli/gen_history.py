#!/usr/bin/env python3
"""Writes a synthetic history as perfcmp-results files (docs/results-format.md),
one file per run, for the history/trend/plot/report tests.

    gen_history.py OUTDIR [--runs N] [--bench NAME]... [--flat NAME]...
                   [--step RUN:PCT]... [--creep PCT] [--spike RUN:FACTOR]
                   [--noise CV] [--seed N] [--samples N] [--higher]
                   [--fail RUN:NAME] [--branch NAME]

Run numbers are 1-based.  --bench benchmarks follow the shape (steps of PCT
percent starting at run RUN, a creep of PCT percent per run, a spike);
--flat benchmarks stay level.  Each run's median level gets noise of
coefficient of variation CV (default 0.01) and each run has --samples raw
samples (default 9) within 0.5% of it.  Files are OUTDIR/run-001.json ...;
run i has commit sha1("commit-i"), timestamp 2026-01-01 plus i hours.
"""
import argparse
import hashlib
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--bench", action="append", default=[])
    ap.add_argument("--flat", action="append", default=[])
    ap.add_argument("--step", action="append", default=[])
    ap.add_argument("--creep", type=float, default=0.0)
    ap.add_argument("--spike", default=None)
    ap.add_argument("--noise", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=int, default=9)
    ap.add_argument("--higher", action="store_true")
    ap.add_argument("--fail", action="append", default=[])
    ap.add_argument("--branch", default="main")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    steps = [(int(r), float(p)) for r, p in (s.split(":") for s in a.step)]
    spike = None
    if a.spike:
        r, f = a.spike.split(":")
        spike = (int(r), float(f))
    fails = [(int(r), n) for r, n in (f.split(":", 1) for f in a.fail)]
    os.makedirs(a.outdir, exist_ok=True)
    benches = [(b, True) for b in a.bench] + [(b, False) for b in a.flat]
    if not benches:
        benches = [("sort/1024", True)]

    for run in range(1, a.runs + 1):
        out = []
        for name, shaped in benches:
            level = 1000.0
            if shaped:
                for r, p in steps:
                    if run >= r:
                        level *= 1 + p / 100
                level *= (1 + a.creep / 100) ** (run - 1)
                if spike and run == spike[0]:
                    level *= spike[1]
            level *= 1 + a.noise * rng.gauss(0, 1)
            samples = [round(level * (1 + 0.005 * rng.uniform(-1, 1)), 3)
                       for _ in range(a.samples)]
            b = {
                "name": name,
                "family": name.split("/")[0],
                "args": [],
                "tags": [],
                "status": "ok",
                "iterations": 100,
                "metrics": [{
                    "name": "bytes_per_second" if a.higher else "wall_time",
                    "unit": "B/s" if a.higher else "ns",
                    "direction": "higher" if a.higher else "lower",
                    "samples": samples,
                }],
            }
            if (run, name) in fails:
                b["status"] = "crashed"
                b["error"] = "signal 11 (Segmentation fault)"
                b["metrics"] = []
            out.append(b)
        doc = {
            "schema": "perfcmp-results",
            "version": 1,
            "context": {
                "timestamp": "2026-01-%02dT%02d:00:00Z" % (1 + run // 24, run % 24),
                "host": "testhost",
                "cpu_model": "Test CPU",
                "cpu_count": 2,
                "os": "Linux",
                "kernel": "6.1.0",
                "arch": "x86_64",
                "compiler": "gcc 12.2.0",
                "cflags": "-O2",
                "library_version": "0.1.0",
                "command": "./bench",
                "git": {
                    "commit": hashlib.sha1(b"commit-%d" % run).hexdigest(),
                    "branch": a.branch,
                    "dirty": False,
                },
            },
            "benchmarks": out,
        }
        with open(os.path.join(a.outdir, "run-%03d.json" % run), "w") as f:
            json.dump(doc, f, ensure_ascii=False)


if __name__ == "__main__":
    main()

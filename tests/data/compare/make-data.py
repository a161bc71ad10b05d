#!/usr/bin/env python3
"""Writes the perfcmp-results files used by tests/cli/compare.bats and
run.bats.  Deterministic: 30 samples per metric, a fixed zig-zag of +-2%
around a chosen centre, no timing involved.  Run it from anywhere:

    python3 tests/data/compare/make-data.py

base.json      the baseline: sort/1024 ~100 ns, hash/64 ~200 ns,
               odd<&>"|*name ~50 ns, each with cpu_time, bytes_per_second
               and a single peak_rss value
same.json      the same samples (another timestamp): everything unchanged
slower.json    sort/1024 50% slower (150 ns; throughput down by a third)
faster.json    sort/1024 30% faster (70 ns)
failed.json    sort/1024 crashed (signal 11)
changed.json   hash/64 gone, added/1 new, rest as base
other-machine.json  same as same.json on another CPU model
slower-odd.json  odd<&>"|*name twice as slow (100 ns), for glob escaping
noisy.json     sort/1024 around 130 ns but spread +-90%: inconclusive
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
N = 30


def zigzag(center, spread=0.02):
    return [round(center * (1 + spread * (((i * 7) % 11) / 5.0 - 1)), 6) for i in range(N)]


def context(ts, cpu="Test CPU @ 3.00GHz"):
    return {
        "timestamp": ts, "host": "testhost", "cpu_model": cpu, "cpu_count": 4,
        "os": "Linux", "kernel": "6.1.0", "arch": "x86_64", "compiler": "gcc 12.2.0",
        "cflags": "-O2", "library_version": "0.1.0", "command": "./bench --out=x.json",
        "git": {"commit": "0123456789abcdef0123456789abcdef01234567", "branch": "main",
                "dirty": False},
    }


def bench(name, wall, status="ok", error=None, spread=0.02):
    family = name.split("/")[0]
    args = [int(a) for a in name.split("/")[1:] if a.isdigit()]
    b = {"name": name, "family": family, "args": args, "tags": ["cpu"], "status": status,
         "iterations": 1000, "metrics": []}
    if error:
        b["error"] = error
    if status != "ok":
        return b
    b["metrics"] = [
        {"name": "wall_time", "unit": "ns", "direction": "lower", "samples": zigzag(wall, spread)},
        {"name": "cpu_time", "unit": "ns", "direction": "lower", "samples": zigzag(wall * 0.98)},
        {"name": "bytes_per_second", "unit": "B/s", "direction": "higher",
         "samples": zigzag(1024 * 1e9 / wall)},
        {"name": "peak_rss", "unit": "bytes", "direction": "lower", "samples": [1048576]},
    ]
    return b


ODD = 'odd<&>"|*name'


def run(ts, benches, cpu="Test CPU @ 3.00GHz"):
    return {"schema": "perfcmp-results", "version": 1, "context": context(ts, cpu),
            "benchmarks": benches}


def write(name, doc):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def std(sort=100.0, ts="2026-11-23T10:00:00Z", cpu="Test CPU @ 3.00GHz", odd=50.0):
    return run(ts, [bench("sort/1024", sort), bench("hash/64", 200.0), bench(ODD, odd)], cpu)


write("base.json", std())
write("same.json", std(ts="2026-11-23T11:00:00Z"))
write("slower.json", std(sort=150.0, ts="2026-11-23T12:00:00Z"))
write("faster.json", std(sort=70.0, ts="2026-11-23T13:00:00Z"))
write("other-machine.json", std(ts="2026-11-23T14:00:00Z", cpu="Other CPU @ 2.00GHz"))
write("slower-odd.json", std(ts="2026-11-23T17:00:00Z", odd=100.0))
write("noisy.json", run("2026-11-23T18:00:00Z", [
    bench("sort/1024", 130.0, spread=0.9), bench("hash/64", 200.0), bench(ODD, 50.0)]))
write("failed.json", run("2026-11-23T15:00:00Z", [
    bench("sort/1024", 0, status="crashed", error="signal 11 (Segmentation fault)"),
    bench("hash/64", 200.0), bench(ODD, 50.0)]))
write("changed.json", run("2026-11-23T16:00:00Z", [
    bench("sort/1024", 100.0), bench(ODD, 50.0), bench("added/1", 10.0)]))

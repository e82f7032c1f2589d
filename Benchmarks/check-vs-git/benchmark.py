#!/usr/bin/env python3
"""Times `blastwall check --format json` side by side with `git diff -U0 -M` on the same range.

Runs the two commands alternately, several repetitions each, and reports each command's median wall time,
the median of the per-repetition ratios, and the peak resident memory of blastwall (from wait4).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def measure(command, cwd):
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        stderr = process.stderr.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited with {code}: {stderr}")
    return elapsed, usage.ru_maxrss  # KiB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--blastwall", required=True)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--json", help="write the results to this file")
    arguments = parser.parse_args()

    base = subprocess.check_output(["git", "-C", arguments.repo, "rev-parse", "main"], text=True).strip()
    head = subprocess.check_output(["git", "-C", arguments.repo, "rev-parse", "change"], text=True).strip()
    git = ["git", "diff", "-U0", "-M", base, head]
    blastwall = [arguments.blastwall, "check", "--repo", ".", "--base", base, "--head", head, "--format", "json", "--now", "2026-11-23T12:00:00Z"]

    # One warm-up run of each so both read from the page cache.
    measure(git, arguments.repo)
    measure(blastwall, arguments.repo)
    rows = []
    for repetition in range(arguments.repetitions):
        git_seconds, git_rss = measure(git, arguments.repo)
        check_seconds, check_rss = measure(blastwall, arguments.repo)
        rows.append({"git": git_seconds, "check": check_seconds, "ratio": check_seconds / git_seconds, "check_rss_kib": check_rss, "git_rss_kib": git_rss})
        print(f"  run {repetition + 1}: git diff {git_seconds:.3f}s  blastwall check {check_seconds:.3f}s  ratio {check_seconds / git_seconds:.2f}  peak RSS {check_rss / 1024:.0f} MiB", flush=True)

    summary = {
        "repetitions": arguments.repetitions,
        "git_median_seconds": statistics.median(r["git"] for r in rows),
        "check_median_seconds": statistics.median(r["check"] for r in rows),
        "median_ratio": statistics.median(r["ratio"] for r in rows),
        "check_peak_rss_mib": max(r["check_rss_kib"] for r in rows) / 1024,
        "git_peak_rss_mib": max(r["git_rss_kib"] for r in rows) / 1024,
        "runs": rows,
    }
    print(f"git diff -U0 -M: median {summary['git_median_seconds']:.3f}s")
    print(f"blastwall check --format json: median {summary['check_median_seconds']:.3f}s, peak RSS {summary['check_peak_rss_mib']:.0f} MiB")
    print(f"median ratio (check / git diff): {summary['median_ratio']:.2f}")
    if arguments.json:
        with open(arguments.json, "w") as output:
            json.dump(summary, output, indent=2)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Times `blastwall check --format json` side by side with `git diff -U0 -M` on the same ranges.

For each scenario (a repository and a range), runs the two commands alternately, several repetitions each,
and reports each command's median wall time, the median of the per-repetition ratios, and the peak resident
memory of blastwall (from wait4).
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


def scenario(text):
    name, repo, base, head = text.split(":", 3)
    return {"name": name, "repo": repo, "base": base, "head": head}


def run_scenario(arguments, case):
    repo = case["repo"]
    base = subprocess.check_output(["git", "-C", repo, "rev-parse", case["base"]], text=True).strip()
    head = subprocess.check_output(["git", "-C", repo, "rev-parse", case["head"]], text=True).strip()
    files = len(subprocess.check_output(["git", "-C", repo, "diff", "--name-only", "-M", base, head], text=True).splitlines())
    commits = int(subprocess.check_output(["git", "-C", repo, "rev-list", "--count", f"{base}..{head}"], text=True))
    git = ["git", "diff", "-U0", "-M", base, head]
    blastwall = [arguments.blastwall, "check", "--repo", ".", "--base", base, "--head", head, "--format", "json", "--now", "2026-11-23T12:00:00Z"]
    print(f"{case['name']}: {commits} commits, {files} files changed", flush=True)
    # One warm-up run of each so both read from the page cache.
    measure(git, repo)
    measure(blastwall, repo)
    rows = []
    for repetition in range(arguments.repetitions):
        git_seconds, git_rss = measure(git, repo)
        check_seconds, check_rss = measure(blastwall, repo)
        rows.append({"git": git_seconds, "check": check_seconds, "ratio": check_seconds / git_seconds, "check_rss_kib": check_rss, "git_rss_kib": git_rss})
        print(f"  run {repetition + 1}: git diff {git_seconds * 1000:.1f} ms  blastwall check {check_seconds * 1000:.1f} ms  ratio {check_seconds / git_seconds:.2f}  peak RSS {check_rss / 1024:.0f} MiB", flush=True)
    summary = {
        "name": case["name"],
        "commits": commits,
        "files": files,
        "repetitions": arguments.repetitions,
        "git_median_seconds": statistics.median(r["git"] for r in rows),
        "check_median_seconds": statistics.median(r["check"] for r in rows),
        "median_ratio": statistics.median(r["ratio"] for r in rows),
        "check_peak_rss_mib": max(r["check_rss_kib"] for r in rows) / 1024,
        "git_peak_rss_mib": max(r["git_rss_kib"] for r in rows) / 1024,
        "runs": rows,
    }
    print(f"  git diff -U0 -M: median {summary['git_median_seconds'] * 1000:.1f} ms")
    print(f"  blastwall check --format json: median {summary['check_median_seconds'] * 1000:.1f} ms, peak RSS {summary['check_peak_rss_mib']:.0f} MiB")
    print(f"  median ratio (check / git diff): {summary['median_ratio']:.2f}", flush=True)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", action="append", type=scenario, required=True, help="NAME:REPO:BASE:HEAD, repeatable")
    parser.add_argument("--blastwall", required=True)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--json", help="write the results to this file")
    arguments = parser.parse_args()
    results = [run_scenario(arguments, case) for case in arguments.scenario]
    if arguments.json:
        with open(arguments.json, "w") as output:
            json.dump(results, output, indent=2)


if __name__ == "__main__":
    sys.exit(main())

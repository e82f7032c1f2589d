"""Hook latency per invocation, process start included: `blastwall agent hook` answering Claude Code's JSON,
side by side with `true` fed the same input (the floor of starting a process), alternating, N times each."""
import argparse
import json
import os
import statistics
import subprocess
import time


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--blastwall", required=True)
    parser.add_argument("--repository", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--invocations", type=int, default=1000)
    parser.add_argument("--json")
    args = parser.parse_args()

    commands = []
    for line in open(args.corpus, encoding="utf-8"):
        if line.startswith("#") or line.count("|") < 3:
            continue
        command = line.split("|", 3)[3].strip().replace("\\n", "\n")
        commands.append(command.replace("{ctx}", "prod-eu").replace("{dbhost}", "db1.prod.internal"))
    inputs = [
        json.dumps({"session_id": "bench", "cwd": args.repository, "hook_event_name": "PreToolUse", "tool_name": "Bash",
                    "tool_input": {"command": command}}).encode()
        for command in commands
    ]
    environment = dict(os.environ, BLASTWALL_CACHE_DIR=os.path.join(args.repository, ".bench-cache"))
    environment.pop("CI", None)
    hook = [args.blastwall, "agent", "hook", "--agent", "coder", "--offline"]
    floor = ["true"]
    # Warm the file cache and the configuration snapshot.
    for _ in range(5):
        subprocess.run(hook, input=inputs[0], capture_output=True, cwd=args.repository, env=environment, check=True)
    timings = {"hook": [], "true": []}
    decisions = {}
    for index in range(args.invocations):
        payload = inputs[index % len(inputs)]
        for name, command in (("hook", hook), ("true", floor)) if index % 2 == 0 else (("true", floor), ("hook", hook)):
            start = time.perf_counter()
            result = subprocess.run(command, input=payload, capture_output=True, cwd=args.repository, env=environment)
            elapsed = (time.perf_counter() - start) * 1000
            timings[name].append(elapsed)
            if name == "hook":
                answer = json.loads(result.stdout)["hookSpecificOutput"]["permissionDecision"]
                decisions[answer] = decisions.get(answer, 0) + 1
    report = {}
    for name, values in timings.items():
        report[name] = {"p50_ms": round(statistics.median(values), 2), "p99_ms": round(percentile(values, 0.99), 2),
                        "mean_ms": round(statistics.mean(values), 2)}
    report["ratio_p50"] = round(report["hook"]["p50_ms"] / report["true"]["p50_ms"], 2)
    report["invocations"] = args.invocations
    report["decisions"] = decisions
    print(f"hook  p50 {report['hook']['p50_ms']:.2f} ms  p99 {report['hook']['p99_ms']:.2f} ms  (target p50 ≤ 10, p99 ≤ 25)")
    print(f"true  p50 {report['true']['p50_ms']:.2f} ms  p99 {report['true']['p99_ms']:.2f} ms  (the floor of a process start)")
    print(f"hook / true at p50: {report['ratio_p50']}x; decisions: {decisions}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs each for a while on its committed seed
# corpus. Usage: Fuzz/run.sh [SECONDS_PER_TARGET] (default 60). Exits non-zero when a target crashes,
# leaving the crashing input in Fuzz/findings/. Leak detection is off: Swift's lazily initialised globals
# (static lets) are reported as leaks, which they are not.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
targets=(FuzzCEL FuzzRegex FuzzConfiguration FuzzJSON FuzzDiff)

# gold fails on these links (an internal error); the toolchain's lld does not.
flags=(-c debug --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
for target in "${targets[@]}"; do
    swift build "${flags[@]}" --product "$target" >&2
done
bin="$(swift build "${flags[@]}" --show-bin-path)"

mkdir -p findings work
status=0
for target in "${targets[@]}"; do
    # A working copy of the seeds: what the run adds is not committed.
    rm -rf "work/$target"
    mkdir -p "work/$target"
    cp -r "Corpus/$target/." "work/$target/"
    log="findings/$target.log"
    if ASAN_OPTIONS=detect_leaks=0 "$bin/$target" "work/$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
        -artifact_prefix="findings/$target-" -print_final_stats=1 >"$log" 2>&1; then
        runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')"
        echo "fuzz: $target: $runs executions in ${seconds} s, no crash"
    else
        echo "fuzz: $target: CRASHED; input and log in Fuzz/findings/" >&2
        tail -40 "$log" >&2
        status=1
    fi
done
exit "$status"

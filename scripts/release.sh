#!/usr/bin/env bash
# Builds blastwall for Linux with Swift's runtime linked in (--static-swift-stdlib), so that it runs on a
# machine without Swift, and writes it with its SHA-256 checksum:
#
#   dist/blastwall-VERSION-linux-ARCH
#   dist/blastwall-VERSION-linux-ARCH.sha256      (sha256sum -c reads it)
#
# Usage: scripts/release.sh [--configuration release|debug] [--output DIR]
# BLASTWALL_RELEASE_SCRATCH names the build folder (default .build-release).
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=release
output=dist
while [ $# -gt 0 ]; do
    case "$1" in
        --configuration) configuration=${2:?--configuration needs release or debug}; shift 2 ;;
        --output) output=${2:?--output needs a folder}; shift 2 ;;
        *) echo "release.sh: unknown argument '$1'; see the usage at the top of scripts/release.sh" >&2; exit 2 ;;
    esac
done
case "$configuration" in release | debug) ;; *) echo "release.sh: --configuration is release or debug, not '$configuration'" >&2; exit 2 ;; esac

version=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/blastwall/Blastwall.swift)
[ -n "$version" ] || { echo "release.sh: no version found in Sources/blastwall/Blastwall.swift" >&2; exit 1; }
scratch=${BLASTWALL_RELEASE_SCRATCH:-.build-release}
name="blastwall-$version-linux-$(uname -m)"

swift build -c "$configuration" --product blastwall --static-swift-stdlib --scratch-path "$scratch" >&2
mkdir -p "$output"
cp "$scratch/$configuration/blastwall" "$output/$name"
strip "$output/$name"
(cd "$output" && sha256sum "$name" > "$name.sha256")
echo "$output/$name"

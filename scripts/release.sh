#!/usr/bin/env bash
# Builds blastwall for Linux with Swift's runtime linked in (--static-swift-stdlib), so that it runs on a
# machine without Swift, and writes it with its SHA-256 checksum:
#
#   dist/blastwall-VERSION-linux-ARCH
#   dist/blastwall-VERSION-linux-ARCH.sha256      (sha256sum -c reads it)
#
# Usage: scripts/release.sh [--configuration release|debug] [--output DIR]
#
# release (the default) builds optimised in its own folder, .build-release. debug links the same kind of
# binary from the debug build that `swift build` and `swift test` make in .build, in seconds when that build
# is there: CI tries it on a bare Debian root without building everything a second time.
# BLASTWALL_RELEASE_SCRATCH names the build folder instead.
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
name="blastwall-$version-linux-$(uname -m)"

if [ "$configuration" = release ]; then
    scratch=${BLASTWALL_RELEASE_SCRATCH:-.build-release}
    swift build -c release --product blastwall --static-swift-stdlib --scratch-path "$scratch" >&2
else
    scratch=${BLASTWALL_RELEASE_SCRATCH:-.build}
    # Objects compiled for the shared runtime do not name the static Foundation's own libraries (a build made
    # with --static-swift-stdlib from the start does), so the link names them.
    libraries=()
    for library in Foundation CoreFoundation _FoundationICU _FoundationCShims _FoundationCollections \
        FoundationEssentials FoundationInternationalization; do
        libraries+=(-Xlinker "-l$library")
    done
    swift build -c debug --product blastwall --static-swift-stdlib --scratch-path "$scratch" "${libraries[@]}" >&2
fi
mkdir -p "$output"
cp "$scratch/$configuration/blastwall" "$output/$name"
strip "$output/$name"
(cd "$output" && sha256sum "$name" > "$name.sha256")
echo "$output/$name"

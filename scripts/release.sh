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
# binary from the objects of the debug build that `swift build` and `swift test` make in .build, in seconds
# when that build is there: CI tries it on a bare Debian root without building everything a second time.
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

mkdir -p "$output"
if [ "$configuration" = release ]; then
    scratch=${BLASTWALL_RELEASE_SCRATCH:-.build-release}
    swift build -c release --product blastwall --static-swift-stdlib --scratch-path "$scratch" >&2
    cp "$scratch/release/blastwall" "$output/$name"
else
    scratch=${BLASTWALL_RELEASE_SCRATCH:-.build}
    swift build -c debug --product blastwall --scratch-path "$scratch" >&2
    bin=$(swift build -c debug --scratch-path "$scratch" --show-bin-path)
    objects="$bin/blastwall.product/Objects.LinkFileList"
    [ -f "$objects" ] || { echo "release.sh: $objects is missing; this SwiftPM lays out its build differently" >&2; exit 1; }
    # Linked again with Swift's runtime in it, as --static-swift-stdlib links; building with that flag here
    # would leave objects in the shared folder that the ordinary build can no longer link. The objects were
    # compiled for the shared runtime, so they do not name the static Foundation's own libraries: named here.
    libraries=()
    for library in Foundation CoreFoundation _FoundationICU _FoundationCShims _FoundationCollections \
        FoundationEssentials FoundationInternationalization; do
        libraries+=("-l$library")
    done
    swiftc -static-stdlib -emit-executable -module-name blastwall -o "$output/$name" "@$objects" -L "$bin" \
        -Xlinker --defsym -Xlinker main=blastwall_main -lstdc++ -lm -lz -ldl "${libraries[@]}" 2> >(grep -v "mktemp" >&2)
fi
strip "$output/$name"
(cd "$output" && sha256sum "$name" > "$name.sha256")
echo "$output/$name"

#!/usr/bin/env bash
# Builds bench/nio-floor (release, its own scratch path .build-nio-floor) and prints the binary's path
# (build output goes to stderr).   bench/loadtest-vs-wrk --nio-floor
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
flags=(-c release --package-path bench/nio-floor --scratch-path .build-nio-floor)
swift build "${flags[@]}" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/nio-floor"

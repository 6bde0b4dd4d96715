#!/usr/bin/env bash
# Builds the swift-sdk 0.12.1 reference MCP server for `bench/mcp --reference` and prints its path.
# Uses its own scratch path (.build-reference) so it never touches the main .build/.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
package=bench/reference/swift-sdk-server
scratch=.build-reference
swift build -c release --static-swift-stdlib \
    --package-path "$package" --scratch-path "$scratch" >&2
bin_dir="$(swift build -c release --static-swift-stdlib \
    --package-path "$package" --scratch-path "$scratch" --show-bin-path)"
echo "$bin_dir/swift-sdk-reference-server"

#!/usr/bin/env bash
# Builds the swift-sdk 0.12.1 reference MCP server for `bench/mcp --reference` and prints its path
# (build output goes to stderr). Uses its own scratch path (.build-reference, ignored by .gitignore)
# so it never touches the main .build/.
#
#   bench/mcp --reference "$(bench/reference/build.sh)"
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
package=bench/reference/swift-sdk-server
scratch=.build-reference
flags=(-c release --static-swift-stdlib --package-path "$package" --scratch-path "$scratch")

# The SDK imports FoundationNetworking, which links libcurl: install its -dev package when missing.
if ! dpkg -s libcurl4-openssl-dev >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev >&2
fi

swift build "${flags[@]}" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/swift-sdk-reference-server"

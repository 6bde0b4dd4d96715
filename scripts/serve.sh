#!/usr/bin/env bash
# Installs what is missing, builds the release binary and runs the MCP server on stdin/stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" >&2
# Only our product: the dependencies' example executables would be built and linked too.
swift build -c release --static-swift-stdlib --product senior-backend --package-path "$root" >&2
exec "$root/.build/release/senior-backend" serve "$@"

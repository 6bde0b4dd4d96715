#!/usr/bin/env bash
# Installs what the tests need and runs them all: the Swift suites, then the end-to-end suites
# (the MCP conformance checklist with the official Python SDK, the protocol fuzz test) against the
# release binary. Any failure fails the run; nothing is skipped silently.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Each stage is stamped with the time so that a slow CI run shows where its minutes went.
stage() { echo "== $(date +%T) $*"; }
stage "install what the tests need"
scripts/install-deps.sh --test

# Whatever the build and the tests put in a temporary folder (test fixtures, grill sessions, pytest's
# tmp_path, SwiftPM's scratch folders) goes under one folder, removed when the run ends however it ends.
TMPDIR=$(mktemp -d /tmp/senior-backend-tests.XXXXXX)
chmod 1777 "$TMPDIR"
export TMPDIR
cluster=""
cleanup() {
  if [ -n "$cluster" ]; then scripts/pg-cluster.sh stop "$cluster"; fi
  rm -rf "$TMPDIR"
}
trap cleanup EXIT

stage "swift format lint"
swift format lint --strict --recursive Sources Tests Package.swift

stage "swift build (release)"
# Only our product: the dependencies' example executables (eight more static links) are not needed.
swift build -c release --static-swift-stdlib --product senior-backend
stage "PostgreSQL 15 test cluster"
# Under /tmp itself: the server's Unix socket path must stay short.
cluster=$(mktemp -d /tmp/senior-backend-pg.XXXXXX)
SENIOR_BACKEND_TEST_PG=$(scripts/pg-cluster.sh start "$cluster")
export SENIOR_BACKEND_TEST_PG

stage "swift test"
# The load generator's accuracy suite measures latency to a fraction of a millisecond: it runs alone,
# after the others, so that parallel suites on two cores do not skew what it measures.
swift test --skip LoadEngineTests
stage "swift test: load generator accuracy (alone)"
swift test --filter LoadEngineTests

binary="$root/.build/release/senior-backend"
python="$root/.venv/bin/python"

# The shared checklist beside the checkout is authoritative when present; the vendored copy serves elsewhere.
conformance="$root/../shared/mcp-conformance/test_mcp_protocol.py"
[ -f "$conformance" ] || conformance="$root/Tests/e2e/conformance/test_mcp_protocol.py"

stage "MCP conformance ($conformance)"
export SENIOR_BACKEND_DIAGNOSTICS=1
MCP_SERVER_CMD="$binary serve" MCP_STRICT=1 \
MCP_ECHO_TOOL='{"name": "route_to_specialist", "arguments": {"concern": "slo"}}' \
MCP_SLOW_TOOL='{"name": "diagnostics", "arguments": {"sleep_ms": 2000}}' \
MCP_BIG_TOOL='{"name": "diagnostics", "arguments": {"result_kib": 512}}' \
  "$python" -m pytest -q -p no:cacheprovider -rs "$conformance"

conformance_2026="$root/../shared/mcp-conformance/test_mcp_2026.py"
[ -f "$conformance_2026" ] || conformance_2026="$root/Tests/e2e/conformance/test_mcp_2026.py"

# MCP_INPUT_TOOL: a call that reads and writes files answers input_required (roots/list) to a client that
# declares roots; the suite's client lists none, so the retry ends in a refusal naming the roots.
# MCP_TASK_TOOL: a long call (diagnostics is one) runs as a task for a client that declares the extension.
stage "MCP 2026-07-28 conformance ($conformance_2026)"
MCP_SERVER_CMD="$binary serve" MCP_STRICT=1 \
MCP_ECHO_TOOL='{"name": "route_to_specialist", "arguments": {"concern": "slo"}}' \
MCP_OUTPUT_TOOL='{"name": "route_to_specialist", "arguments": {"concern": "caching"}}' \
MCP_BAD_ARGS_TOOL='{"name": "route_to_specialist", "arguments": {"concern": 42}}' \
MCP_RESOURCE_URI='senior-backend://references/forcing_questions.md' \
MCP_PROMPT='{"name": "backend-review", "arguments": {"problem": "a read-heavy catalogue API for 5 teams"}}' \
MCP_TASK_TOOL='{"name": "diagnostics", "arguments": {"sleep_ms": 1500}}' \
MCP_INPUT_TOOL="{\"name\": \"scaffold\", \"arguments\": {\"spec\": \"Tests/ScaffoldTests/Fixtures/petstore-expanded.yaml\", \"output\": \"$TMPDIR/conformance-scaffold\", \"dry_run\": true}}" \
  "$python" -m pytest -q -p no:cacheprovider -rs "$conformance_2026"

stage "end-to-end suites (Tests/e2e)"
SENIOR_BACKEND_BIN="$binary" "$python" -m pytest -q -p no:cacheprovider -rs --durations=15 "$root/Tests/e2e" \
  --ignore="$root/Tests/e2e/conformance"
stage "done"

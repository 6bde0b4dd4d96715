#!/usr/bin/env bash
# Installs what senior-backend needs on a Debian machine that already has the Swift toolchain.
#   scripts/install-deps.sh          build and run: system libraries only
#   scripts/install-deps.sh --test   also what the tests need: Python venv with the MCP SDK and pytest
# Only missing Debian packages are installed; the venv lives in .venv/ (git-ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

# libpq: PostgreSQL; libzmq: the transport of a Locust master (load-test --locust-master); both opened at
# first use (their -dev packages bring the headers and the libraries); postgresql-client: pg_dump, with
# which plan_migration proves a plan (without it: a model-level check only).
packages=(pkg-config ca-certificates libpq-dev libzmq3-dev postgresql-client)
if $want_test; then
  # A real PostgreSQL 15 cluster with pg_stat_statements (contrib) and hypopg for the analysis tests.
  # nginx-light: the loopback server of the Locust worker tests (stub_status counts the requests).
  # redis-server, node-redis: the generated README's shared rate-limit store, run by test_scaffold_hardening.
  packages+=(python3 postgresql-15 postgresql-contrib postgresql-15-hypopg node-typescript node-express node-jose node-cors
    node-async node-split2 node-xtend node-readable-stream nginx-light redis-server node-redis)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ! python3 -m venv --help >/dev/null 2>&1 && $want_test; then
  missing+=(python3-venv)
fi
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# node-postgres for the from_db end-to-end test. Debian's node-pg depends on node-libpq (native, only
# for pg.native), which cannot install beside a non-Debian nodejs (NodeSource): the pure-JS package is
# then unpacked to /opt/senior-backend/node-pg, which the test adds to NODE_PATH.
node_pg_unpacked=/opt/senior-backend/node-pg
if $want_test && ! dpkg -s node-pg >/dev/null 2>&1 && [ ! -f "$node_pg_unpacked/usr/share/nodejs/pg/package.json" ]; then
  echo "install-deps: installing node-pg" >&2
  if ! $sudo_cmd apt-get install -y -qq --no-install-recommends node-pg >/dev/null 2>&1; then
    download=$(mktemp -d)
    chmod 777 "$download"
    (cd "$download" && apt-get download -qq node-pg)
    $sudo_cmd mkdir -p "$node_pg_unpacked"
    $sudo_cmd dpkg -x "$download"/node-pg_*.deb "$node_pg_unpacked"
    rm -rf "$download"
  fi
fi

if $want_test; then
  venv="$root/.venv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
  fi
  # Always run against the pins (pip does nothing when they are met), so an older .venv is upgraded.
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/Tests/e2e/requirements.txt"
fi

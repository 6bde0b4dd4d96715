"""The migration runner as processes: killed mid-file, and two runners at once."""
from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import time
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
ADMIN = os.environ.get("SENIOR_BACKEND_TEST_PG")


@pytest.fixture
def database():
    assert ADMIN, "SENIOR_BACKEND_TEST_PG is not set: run scripts/test.sh, which starts the test cluster"
    name = "e2e_" + uuid.uuid4().hex[:10]
    subprocess.run(["psql", ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    yield ADMIN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


def sql(url, query):
    return subprocess.run(["psql", url, "-tAc", query], check=True, capture_output=True, text=True).stdout.strip()


def migrate(url, folder, *extra):
    return subprocess.Popen([BIN, "schema", "--connection", url, "--migrate", str(folder), "--allow-lint-errors", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_mid_file_leaves_schema_and_ledger_as_they_were(database, tmp_path):
    (tmp_path / "20260101000000_slow.up.sql").write_text(
        "CREATE TABLE big (id bigint PRIMARY KEY);\n"
        "INSERT INTO big SELECT g FROM generate_series(1, 100000) g;\n"
        "SELECT pg_sleep(30);\n")
    runner = migrate(database, tmp_path)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait until the file is running inside the server
        if sql(database, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()") == "1":
            break
        time.sleep(0.1)
    else:
        runner.kill()
        pytest.fail("the migration never started")
    runner.send_signal(signal.SIGKILL)
    runner.wait(timeout=10)
    assert sql(database, "SELECT to_regclass('big') IS NULL") == "t"
    assert sql(database, "SELECT to_regclass('senior_backend_migrations') IS NULL") == "t"
    # The server notices the dead client and releases the lock: a new run applies the file cleanly.
    (tmp_path / "20260101000000_slow.up.sql").write_text("CREATE TABLE big (id bigint PRIMARY KEY);\n")
    done = migrate(database, tmp_path, "--lock-wait-seconds", "20")
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, (out, err)
    assert sql(database, "SELECT count(*) FROM senior_backend_migrations") == "1"


def test_two_runners_started_together_apply_each_migration_once(database, tmp_path):
    (tmp_path / "20260101000000_a.up.sql").write_text("CREATE TABLE a (id bigint PRIMARY KEY); SELECT pg_sleep(1);")
    (tmp_path / "20260102000000_b.up.sql").write_text("CREATE TABLE b (id bigint PRIMARY KEY);")
    runners = [migrate(database, tmp_path), migrate(database, tmp_path)]
    results = [r.communicate(timeout=60) for r in runners]
    assert [r.returncode for r in runners] == [0, 0], results
    assert sql(database, "SELECT version || ':' || count(*) FROM senior_backend_migrations GROUP BY version ORDER BY 1") \
        == "20260101000000:1\n20260102000000:1"
    outputs = b"".join(out for out, _ in results).decode()
    assert "already-applied" in outputs


def test_dry_run_then_apply_from_the_cli(database, tmp_path):
    (tmp_path / "20260101000000_users.up.sql").write_text("CREATE TABLE users (id bigint PRIMARY KEY);")
    dry = migrate(database, tmp_path, "--dry-run", "--json")
    out, err = dry.communicate(timeout=60)
    assert dry.returncode == 0, err
    assert b'"status":"dry-run"' in out
    assert sql(database, "SELECT to_regclass('users') IS NULL") == "t"
    real = migrate(database, tmp_path)
    real.communicate(timeout=60)
    assert real.returncode == 0
    assert sql(database, "SELECT to_regclass('users') IS NOT NULL") == "t"

"""plan_migration through the CLI, both ways, on the categories of Tests/SchemaDiffTests/Fixtures/own:
the written files, applied with psql, must give a database whose pg_dump is the target's (up) and the
start's (down). The dumps are compared here by a normaliser of our own, not the tool's."""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
ADMIN = os.environ.get("SENIOR_BACKEND_TEST_PG")
FIXTURES = ROOT / "Tests/SchemaDiffTests/Fixtures/own"
CATEGORIES = ["identity_add", "identity_alter", "storage_parameters", "replica_identity", "index_ordering",
              "drop_primary_key", "type_cast_using", "unique_using_index", "index_definition",
              "deferrable_constraints", "concurrent_keys", "partitioned_index", "partition_keys",
              "generated_expression", "sequence_ownership", "column_settings", "extended_statistics",
              "function_calls", "function_schema_move", "cluster_on", "publications",
              "partition_existing_children", "table_rework", "policy_comments", "view_options", "default_privileges",
              "partition_row_security", "enum_label_used", "readded_column_index", "partition_local_keys",
              "partition_index_attach", "partition_attach_index_apart", "fk_unique_index", "check_function",
              "composite_types", "domain_functions"]
PG_DUMP = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"


def create(script: pathlib.Path | None = None) -> str:
    assert ADMIN, "SENIOR_BACKEND_TEST_PG is not set: run scripts/test.sh, which starts the test cluster"
    name = "e2e_plan_" + uuid.uuid4().hex[:10]
    subprocess.run(["psql", ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    url = ADMIN.rsplit("/", 1)[0] + "/" + name
    if script:
        psql(url, script)
    return url


def drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    subprocess.run(["psql", ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


def psql(url: str, path: pathlib.Path, single_transaction: bool = False) -> None:
    args = ["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)] + (["-1"] if single_transaction else [])
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, f"{path.name}: {done.stderr}"


def dump(url: str) -> dict[str, list[str]]:
    """pg_dump --schema-only, as a map from each entry's header to its lines; column lines sorted."""
    text = subprocess.run([PG_DUMP, "--schema-only", "--no-owner", url], check=True, capture_output=True,
                          text=True).stdout
    entries: dict[str, list[str]] = {}
    for block in re.split(r"^--\n-- Name: ", text, flags=re.M)[1:]:
        header, _, body = block.partition("\n--\n")
        header = "; ".join(p for p in header.split("; ") if not p.startswith(("Owner:", "Tablespace:")))
        lines = [l for l in body.split("\n") if l and not l.startswith(("SET default_", "\\unrestrict"))
                 and not l.startswith("--")]
        columns = sorted(l.rstrip(",") for l in lines if l.startswith("    ") and lines[0].startswith("CREATE TABLE"))
        rest = [l for l in lines if not (l.startswith("    ") and lines[0].startswith("CREATE TABLE"))]
        entries.setdefault(header, []).extend(rest + columns)
    return entries


def plan(live: str, target: pathlib.Path, output: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "schema", "--connection", live, "--compare", str(target), "--output", str(output),
                           "--allow-destructive", "--json"], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("direction", ["forward", "backward"])
@pytest.mark.parametrize("category", CATEGORIES)
def test_the_written_plan_reaches_the_target_and_comes_back(category, direction, tmp_path):
    start, goal = ("a", "b") if direction == "forward" else ("b", "a")
    live = create(FIXTURES / category / f"{start}.sql")
    target = create(FIXTURES / category / f"{goal}.sql")
    try:
        before, wanted = dump(live), dump(target)
        assert before != wanted
        run = plan(live, FIXTURES / category / f"{goal}.sql", tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr
        assert '"level":"pg_dump"' in run.stdout and '"passed":true' in run.stdout
        ups = sorted(tmp_path.glob("*.up.sql"))
        downs = sorted(tmp_path.glob("*.down.sql"), reverse=True)
        assert ups and len(ups) == len(downs)
        for path in ups:
            psql(live, path, single_transaction=not path.name.endswith("_concurrent.up.sql"))
        assert dump(live) == wanted
        for path in downs:
            psql(live, path, single_transaction=not path.name.endswith("_concurrent.down.sql"))
        assert dump(live) == before
    finally:
        drop(live)
        drop(target)


def test_a_difference_the_tool_cannot_plan_is_not_reported_as_matching(tmp_path):
    live = create()
    target = tmp_path / "target.sql"
    target.write_text("CREATE TABLE t (id int, x int);\nGRANT SELECT (x) ON t TO PUBLIC;\n")
    try:
        subprocess.run(["psql", live, "-qc", "CREATE TABLE t (id int, x int)"], check=True, capture_output=True)
        run = subprocess.run([BIN, "schema", "--connection", live, "--compare", str(target)],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 1
        assert "proof FAILED" in run.stdout and "already matches" not in run.stdout
        assert "GRANT SELECT(x) ON TABLE public.t TO PUBLIC" in run.stdout
        password = ADMIN.split("://", 1)[1].split("@", 1)[0].partition(":")[2]
        assert password and password not in run.stdout + run.stderr
    finally:
        drop(live)


def test_without_pg_dump_the_cli_says_model_level_only_and_writes_nothing(tmp_path):
    live = create()
    target = tmp_path / "target.sql"
    target.write_text("CREATE TABLE t (id int);\n")
    try:
        env = dict(os.environ, SENIOR_BACKEND_PG_DUMP_PATH=str(tmp_path / "no-pg-dump-here"))
        run = subprocess.run([BIN, "schema", "--connection", live, "--compare", str(target), "--output",
                              str(tmp_path / "out")], capture_output=True, text=True, timeout=300, env=env)
        assert run.returncode == 1
        assert "model-level check only, not proven" in run.stdout
        assert "proof passed" not in run.stdout
        assert not (tmp_path / "out").exists()
    finally:
        drop(live)

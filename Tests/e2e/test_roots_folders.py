"""The client's roots confine the files an agent call finds by itself, not only its arguments: a scaffold
spec's external $refs, the .sql files of a plan_migration target folder, the migrations of an
apply_migration folder. A file outside the roots, or a symbolic link inside them that leads out, is refused
with the roots named; the same layout wholly inside the roots is accepted. Official Python client (mcp
2.3.0) in both eras; the PostgreSQL tools run against the test cluster (SENIOR_BACKEND_TEST_PG).
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import ListRootsResult, Root

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
MULTI_FILE = ROOT / "Tests/ScaffoldTests/Fixtures/multi-file"
ERAS = [("auto", "2026-07-28"), ("legacy", "2025-11-25")]


@pytest.fixture
def layout(tmp_path):
    """`project` is the client's only root; `elsewhere` is outside it."""
    inside, outside = tmp_path / "project", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    return inside, outside


def calls(tmp_path, mode, inside, batch):
    """Runs (tool, arguments) pairs in one session whose client lists `inside` as its root; the results."""
    env = {k: v for k, v in os.environ.items() if k != "SENIOR_BACKEND_FILE_ROOTS"} | {"TMPDIR": str(tmp_path)}

    async def list_roots(context):
        return ListRootsResult(roots=[Root(uri=inside.as_uri(), name="project")])

    async def main():
        server = StdioServerParameters(command=BIN, args=["serve"], env=env, cwd=str(ROOT))
        with anyio.fail_after(120):
            async with Client(server, mode=mode, read_timeout_seconds=60, list_roots_callback=list_roots) as c:
                assert c.protocol_version == dict(ERAS)[mode]
                return [await c.call_tool(name, arguments) for name, arguments in batch]

    return anyio.run(main)


def refused(result, path) -> None:
    text = result.content[0].text
    assert result.is_error, text
    assert "outside the folders this call may read" in text and "the client's roots" in text, text
    assert str(path) in text, text


@pytest.mark.parametrize("mode,version", ERAS)
def test_a_spec_s_external_refs_stay_inside_the_roots(tmp_path, layout, mode, version):
    inside, outside = layout
    shutil.copytree(MULTI_FILE, inside / "ok")
    # The same spec whose schemas folder is a link to a copy outside the roots.
    shutil.copytree(MULTI_FILE, inside / "linked")
    shutil.move(inside / "linked/schemas", outside / "schemas")
    (inside / "linked/schemas").symlink_to(outside / "schemas")
    # And one whose $ref climbs out of the roots.
    shutil.copytree(MULTI_FILE, inside / "climbing")
    shutil.copytree(MULTI_FILE / "parameters", outside / "parameters")
    spec = inside / "climbing/openapi.yaml"
    spec.write_text(spec.read_text().replace("parameters/common.yaml", "../../elsewhere/parameters/common.yaml"))

    def scaffold(folder):
        return ("scaffold", {"spec": str(inside / folder / "openapi.yaml"), "output": str(inside / "api"),
                             "dry_run": True})

    ok, linked, climbing = calls(tmp_path, mode, inside, [scaffold("ok"), scaffold("linked"), scaffold("climbing")])
    assert not ok.is_error, ok.content[0].text
    refused(linked, outside / "schemas/animal.yaml")
    assert "$ref" in linked.content[0].text
    refused(climbing, "elsewhere/parameters/common.yaml")


@pytest.mark.parametrize("mode,version", ERAS)
def test_a_sql_folder_s_files_stay_inside_the_roots(tmp_path, layout, database, mode, version):
    inside, outside = layout
    target = inside / "schema"
    target.mkdir()
    (target / "01_account.sql").write_text("CREATE TABLE account (id bigint PRIMARY KEY);\n")
    migrations = inside / "migrations"
    migrations.mkdir()
    (migrations / "20260101000000_note.up.sql").write_text("CREATE TABLE note (id bigint PRIMARY KEY);\n")
    batch = [
        ("plan_migration", {"connection": database, "target": str(target)}),
        ("apply_migration", {"connection": database, "files": [str(migrations)]}),
    ]
    plan_ok, apply_ok = calls(tmp_path, mode, inside, batch)
    assert not plan_ok.is_error, plan_ok.content[0].text
    assert not apply_ok.is_error, apply_ok.content[0].text

    # A file of each folder becomes a link to a file outside the roots.
    (outside / "02_secret.sql").write_text("CREATE TABLE secret (id bigint PRIMARY KEY);\n")
    (target / "02_secret.sql").symlink_to(outside / "02_secret.sql")
    (outside / "20260102000000_secret.up.sql").write_text("CREATE TABLE secret (id bigint PRIMARY KEY);\n")
    (migrations / "20260102000000_secret.up.sql").symlink_to(outside / "20260102000000_secret.up.sql")
    plan_refused, apply_refused = calls(tmp_path, mode, inside, batch)
    refused(plan_refused, target / "02_secret.sql")
    refused(apply_refused, migrations / "20260102000000_secret.up.sql")
    assert "resolves to" in apply_refused.content[0].text

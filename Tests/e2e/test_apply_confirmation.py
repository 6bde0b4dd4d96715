"""`apply_migration` asks the person before destructive statements, through the official Python client's
elicitation callback (mcp 2.3.0) in both eras: legacy sends `elicitation/create`; 2026-07-28 answers
input_required with a signed requestState and the client retries. Confirmed: the DROP runs. Declined, or
the box left unticked: nothing is applied and the result says so. A client without forms, a dry run, and a
run with nothing destructive are not asked. Runs against the test cluster (SENIOR_BACKEND_TEST_PG), one
throw-away database per test.
"""
from __future__ import annotations

import os
import pathlib
import subprocess

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import ElicitResult

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
ERAS = [("auto", "2026-07-28"), ("legacy", "2025-11-25")]


def sql(url: str, query: str) -> str:
    return subprocess.run(["psql", url, "-Atqc", query], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def migrations(tmp_path, database):
    """A folder whose first migration is applied (a table with a row) and whose second drops that table."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "20260101000000_note.up.sql").write_text(
        "CREATE TABLE note (id bigint PRIMARY KEY, body text);\nINSERT INTO note VALUES (1, 'kept');\n")
    (folder / "20260101000000_note.down.sql").write_text("DROP TABLE note;\n")
    first = apply(tmp_path, "legacy", {"connection": database, "files": [str(folder)], "dry_run": False})
    assert first.structured_content["status"] == "applied", first.content[0].text
    (folder / "20260102000000_drop_note.up.sql").write_text("DROP TABLE note;\n")
    (folder / "20260102000000_drop_note.down.sql").write_text("CREATE TABLE note (id bigint PRIMARY KEY);\n")
    return folder


def apply(tmp_path, mode, arguments, **extra):
    """One apply_migration call in a fresh session; the result."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    server = StdioServerParameters(command=BIN, args=["serve"], env=env, cwd=str(ROOT))

    async def main():
        with anyio.fail_after(60):
            async with Client(server, mode=mode, read_timeout_seconds=60, **extra) as c:
                assert c.protocol_version == dict(ERAS)[mode]
                return await c.call_tool("apply_migration", arguments)

    return anyio.run(main)


def drop_arguments(database, migrations) -> dict:
    # The DROP is a lint error (ban-drop-table): the agent passed allow_lint_errors; the person still decides.
    return {"connection": database, "files": [str(migrations)], "dry_run": False, "allow_lint_errors": True}


def applied_versions(database) -> list[str]:
    return sql(database, "SELECT version FROM senior_backend_migrations ORDER BY version").split()


@pytest.mark.parametrize("mode,version", ERAS)
@pytest.mark.parametrize("answer", [ElicitResult(action="decline"), ElicitResult(action="cancel"),
                                    ElicitResult(action="accept", content={"confirm": False})],
                         ids=["decline", "cancel", "unticked"])
def test_not_confirmed_nothing_is_applied(tmp_path, database, migrations, mode, version, answer):
    forms = []

    async def person(context, params):
        forms.append((params.message, params.requested_schema))
        return answer

    result = apply(tmp_path, mode, drop_arguments(database, migrations), elicitation_callback=person)
    text = result.content[0].text
    assert not result.is_error, text
    out = result.structured_content
    assert out["status"] == "declined" and out["steps"] == [] and not out["dry_run"], out
    assert "nothing was applied" in out["next_step"] and "DROP TABLE note" in out["next_step"], out
    assert text.startswith("**Migration declined"), text
    assert len(forms) == 1, forms
    message, schema = forms[0]
    assert "DROP TABLE note" in message and "20260102000000_drop_note.up.sql #1" in message, message
    assert schema["properties"]["confirm"]["type"] == "boolean" and schema["required"] == ["confirm"]
    assert sql(database, "SELECT body FROM note") == "kept"
    assert applied_versions(database) == ["20260101000000"]


@pytest.mark.parametrize("mode,version", ERAS)
def test_confirmed_the_destructive_migration_runs(tmp_path, database, migrations, mode, version):
    forms = []

    async def person(context, params):
        forms.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})

    result = apply(tmp_path, mode, drop_arguments(database, migrations), elicitation_callback=person)
    assert not result.is_error, result.content[0].text
    assert result.structured_content["status"] == "applied", result.structured_content
    assert len(forms) == 1
    assert sql(database, "SELECT to_regclass('note') IS NULL") == "t"
    assert applied_versions(database) == ["20260101000000", "20260102000000"]


@pytest.mark.parametrize("mode,version", ERAS)
def test_rollback_for_real_asks_too(tmp_path, database, migrations, mode, version):
    (migrations / "20260102000000_drop_note.up.sql").unlink()  # the last applied version is the note table
    forms = []

    async def person(context, params):
        forms.append(params.message)
        return ElicitResult(action="decline")

    arguments = {"connection": database, "files": [str(migrations)], "dry_run": False, "rollback": True}
    result = apply(tmp_path, mode, arguments, elicitation_callback=person)
    assert result.structured_content["status"] == "declined", result.structured_content
    assert len(forms) == 1 and "20260101000000_note.down.sql #1: DROP TABLE note" in forms[0], forms
    assert sql(database, "SELECT body FROM note") == "kept"


@pytest.mark.parametrize("mode,version", ERAS)
def test_no_form_without_the_capability_a_dry_run_or_a_harmless_file(tmp_path, database, migrations, mode,
                                                                      version):
    forms = []

    async def person(context, params):
        forms.append(params.message)
        return ElicitResult(action="decline")

    dry = apply(tmp_path, mode, drop_arguments(database, migrations) | {"dry_run": True},
                    elicitation_callback=person)
    assert dry.structured_content["status"] == "dry-run", dry.structured_content
    (migrations / "20260102000000_drop_note.up.sql").write_text("ALTER TABLE note ADD COLUMN seen boolean;\n")
    harmless = apply(tmp_path, mode, drop_arguments(database, migrations), elicitation_callback=person)
    assert harmless.structured_content["status"] == "applied", harmless.structured_content
    assert forms == []
    # A client that cannot show forms gets today's behaviour: the arguments decide.
    (migrations / "20260103000000_drop_note.up.sql").write_text("DROP TABLE note;\n")
    plain = apply(tmp_path, mode, drop_arguments(database, migrations))
    assert plain.structured_content["status"] == "applied", plain.structured_content
    assert sql(database, "SELECT to_regclass('note') IS NULL") == "t"

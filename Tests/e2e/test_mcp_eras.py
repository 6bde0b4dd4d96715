"""The official Python SDK client (mcp 2.3.0) in both eras: `mode="auto"` probes `server/discover` and must
stay in revision 2026-07-28; `mode="legacy"` runs the initialize handshake (2025-11-25). Each connection
calls every tool with cheap arguments, and the client's roots confine the files an agent call touches.

The PostgreSQL tools run against the test cluster (SENIOR_BACKEND_TEST_PG, one throw-away database per
test); the load test reaches a loopback server started here.
"""
from __future__ import annotations

import contextlib
import http.server
import os
import pathlib
import subprocess
import threading
import uuid

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import ListRootsResult, Root

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
ADMIN = os.environ.get("SENIOR_BACKEND_TEST_PG")
SPEC = ROOT / "Tests/ScaffoldTests/Fixtures/petstore-expanded.yaml"
ERAS = [("auto", "2026-07-28"), ("legacy", "2025-11-25")]


@pytest.fixture
def database():
    assert ADMIN, "SENIOR_BACKEND_TEST_PG is not set: run scripts/test.sh, which starts the test cluster"
    name = "eras_" + uuid.uuid4().hex[:10]
    subprocess.run(["psql", ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    yield ADMIN.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


@contextlib.contextmanager
def loopback_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def client(tmp_path, mode, **extra) -> Client:
    # Without the diagnostics tool (scripts/test.sh turns it on for the conformance suites): the eight tools.
    env = {k: v for k, v in os.environ.items() if k != "SENIOR_BACKEND_DIAGNOSTICS"} | {"TMPDIR": str(tmp_path)}
    return Client(StdioServerParameters(command=BIN, args=["serve"], env=env, cwd=str(ROOT)), mode=mode,
                  read_timeout_seconds=60, **extra)


def every_tool_call(tmp_path, database, url):
    target = tmp_path / "target.sql"
    target.write_text("CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);\n")
    migration = tmp_path / "migrations"
    migration.mkdir(exist_ok=True)
    (migration / "20260101000000_init.up.sql").write_text("CREATE TABLE note (id bigint PRIMARY KEY);\n")
    (migration / "20260101000000_init.down.sql").write_text("DROP TABLE note;\n")
    return {
        "decide_profile": {"team_size": 8, "qps_p99": 50, "read_write_ratio": 20, "tenancy": "shared-multi-tenant",
                           "data_sensitivity": "pii", "pattern": "modular-monolith",
                           "language_preference": "typescript"},
        "grill_next_question": {"session": "eras-" + uuid.uuid4().hex[:8]},
        "route_to_specialist": {"concern": "slo"},
        "analyze_schema": {"connection": database},
        "plan_migration": {"connection": database, "target": str(target)},
        "apply_migration": {"connection": database, "files": [str(migration)], "dry_run": True},
        "load_test": {"url": url, "requests": 20, "concurrency": 2},
        "scaffold": {"spec": str(SPEC), "output": str(tmp_path / "api"), "dry_run": True},
    }


@pytest.mark.parametrize("mode,version", ERAS)
def test_every_tool_in_each_era(tmp_path, database, mode, version):
    async def main():
        with loopback_server() as url:
            calls = every_tool_call(tmp_path, database, url)
            async with client(tmp_path, mode) as c:
                assert c.protocol_version == version
                tools = (await c.list_tools()).tools
                assert {t.name for t in tools} == set(calls)
                for name, arguments in calls.items():
                    result = await c.call_tool(name, arguments)
                    text = result.content[0].text
                    assert not result.is_error, (name, text)
                    assert result.structured_content is not None, name
                    assert len(text.split()) <= 200, name
                resource = await c.read_resource("senior-backend://references/forcing_questions.md")
                assert "Q1" in resource.contents[0].text or "load" in resource.contents[0].text.lower()
                prompt = await c.get_prompt("backend-review", {"problem": "a catalogue API"})
                assert "a catalogue API" in prompt.messages[0].content.text

    anyio.run(main)


@pytest.mark.parametrize("mode,version", ERAS)
def test_the_clients_roots_confine_file_arguments(tmp_path, mode, version):
    inside = tmp_path / "project"
    inside.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (inside / "escape").symlink_to(outside)
    spec = inside / "openapi.yaml"
    spec.write_bytes(SPEC.read_bytes())
    asked = []

    async def list_roots(context):
        asked.append(True)
        return ListRootsResult(roots=[Root(uri=inside.as_uri(), name="project")])

    def scaffold(output, source=spec):
        return {"spec": str(source), "output": str(output), "dry_run": True}

    async def main():
        async with client(tmp_path, mode, list_roots_callback=list_roots) as c:
            assert c.protocol_version == version
            ok = await c.call_tool("scaffold", scaffold(inside / "api"))
            assert not ok.is_error, ok.content[0].text
            for path in (outside / "api", inside / "escape" / "api"):
                refused = await c.call_tool("scaffold", scaffold(path))
                assert refused.is_error
                text = refused.content[0].text
                assert "outside the folders this call may write" in text and str(inside) in text, text
            # Reading is confined as writing is: the repository's copy of the spec is outside the roots.
            refused = await c.call_tool("scaffold", scaffold(inside / "api", source=SPEC))
            assert refused.is_error and "`spec`" in refused.content[0].text, refused.content[0].text

    anyio.run(main)
    assert asked, "the client was never asked for its roots"

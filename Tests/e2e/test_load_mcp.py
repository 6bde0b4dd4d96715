"""`load_test` over MCP with the official Python SDK client, against loopback HTTP servers started here.

Covers a closed-model run whose figures match what the server answered (every structured result is also
checked against schemas/load_test.output.json, error results included, which the SDK does not validate),
progress notifications during a run, the allow-list refusal, an expect_status mismatch, cancellation
stopping the traffic, and a secret header kept out of the result. Only 127.0.0.1 is ever loaded.
"""
from __future__ import annotations

import contextlib
import http.server
import json
import os
import pathlib
import sys
import threading
import time

import anyio
import jsonschema
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
OUTPUT_SCHEMA = json.loads((ROOT / "schemas/load_test.output.json").read_text())
SECRET = "sk-test-0123456789abcdef"
CALL_LIMIT_S = 30  # every MCP exchange here is bounded by this


class QuietServer(http.server.ThreadingHTTPServer):
    """Connections the load generator drops mid-reply (a cancelled run) are expected, not worth a traceback."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class CountingServer:
    """A loopback HTTP/1.1 keep-alive server that answers 200 to everything and counts what it answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answered = 0
        self.authorizations: set[str] = set()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

            def do_GET(self):  # noqa: N802
                owner._count(self.headers.get("Authorization"))
                body = b'{"ok":true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self._httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def _count(self, authorization: str | None) -> None:
        with self._lock:
            self._answered += 1
            if authorization is not None:
                self.authorizations.add(authorization)

    @property
    def answered(self) -> int:
        with self._lock:
            return self._answered

    @contextlib.contextmanager
    def running(self):
        thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join(timeout=5)


@pytest.fixture
def server():
    with CountingServer().running() as running:
        yield running


def client(tmp_path) -> Client:
    """The server over stdio, with no SENIOR_BACKEND_LOAD_* variable: loopback only, default caps."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SENIOR_BACKEND_LOAD_")}
    env["TMPDIR"] = str(tmp_path)
    return Client(StdioServerParameters(command=BIN, args=["serve"], env=env), mode="auto",
                  read_timeout_seconds=CALL_LIMIT_S)


def load_test(tmp_path, progress_callback=None, **arguments):
    """One `load_test` call in a fresh session; the result."""
    async def main():
        with anyio.fail_after(CALL_LIMIT_S):
            async with client(tmp_path) as c:
                return await c.call_tool("load_test", arguments, progress_callback=progress_callback)

    return anyio.run(main)


def digest(result) -> str:
    return result.content[0].text


def structured(result) -> dict:
    """The structured result, checked against the tool's output schema file."""
    assert result.structured_content is not None, digest(result)
    jsonschema.validate(result.structured_content, OUTPUT_SCHEMA)
    return result.structured_content


def test_closed_model_run_counts_what_the_server_answered(server, tmp_path):
    result = load_test(tmp_path, url=f"{server.url}/users", duration=1, concurrency=2)
    assert not result.is_error, digest(result)
    assert len(digest(result).split()) <= 200
    sc = structured(result)
    metrics = sc["metrics"]
    assert sc["passed"] and sc["status"] == "passed" and sc["model"] == "closed"
    assert metrics["requests"] > 0 and metrics["failed"] == 0
    assert metrics["status_counts"] == [{"status": 200, "count": metrics["requests"]}]
    # Every answer the tool got was counted; only requests it reports as unfinished may be missing.
    assert metrics["requests"] <= server.answered <= metrics["requests"] + metrics["unfinished"], \
        (server.answered, metrics["requests"], metrics["unfinished"])


def test_progress_notifications_rise_during_a_run(server, tmp_path):
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    result = load_test(tmp_path, progress_callback=on_progress, url=server.url, duration=2.5, concurrency=2)
    assert not result.is_error, digest(result)
    structured(result)
    assert len(seen) >= 2, seen
    assert all(earlier < later for earlier, later in zip(seen, seen[1:])), seen


def test_a_host_outside_the_allow_list_is_refused_before_any_connection(tmp_path):
    result = load_test(tmp_path, url="http://192.0.2.1:9/", duration=1, concurrency=1)
    assert result.is_error
    assert "SENIOR_BACKEND_LOAD_ALLOW" in digest(result), digest(result)


def test_expect_status_mismatch_is_an_error_with_the_counts_per_status(server, tmp_path):
    result = load_test(tmp_path, url=server.url, requests=10, concurrency=2, expect_status=201)
    assert result.is_error, digest(result)
    sc = structured(result)
    assert not sc["passed"] and sc["status"] == "failed"
    assert sc["metrics"]["status_counts"] == [{"status": 200, "count": 10}]
    assert [check["passed"] for check in sc["expectations"]] == [False], sc["expectations"]


def test_cancelling_the_call_stops_the_traffic(server, tmp_path):
    concurrency = 2

    async def main():
        with anyio.fail_after(CALL_LIMIT_S):
            async with client(tmp_path) as c:
                # Leaving this scope cancels call_tool, and the SDK sends notifications/cancelled.
                with anyio.move_on_after(1) as call:
                    await c.call_tool("load_test", {"url": server.url, "duration": 20, "concurrency": concurrency})
                assert call.cancelled_caught, "the 20 s run returned before it was cancelled"
                assert server.answered > 0, "no traffic before the cancel"
                await anyio.sleep(0.25)  # the cancel crosses the pipe and the loops close their connections
                before = server.answered
                await anyio.sleep(0.5)
                after = server.answered
                assert await c.list_tools()  # the session, and so the server process, is still alive
                return before, after

    started = time.monotonic()
    before, after = anyio.run(main)
    assert after - before <= concurrency, (before, after)
    assert time.monotonic() - started < 10


def test_a_secret_header_stays_out_of_the_result(server, tmp_path):
    result = load_test(tmp_path, url=server.url, requests=5, concurrency=1,
                       headers=[f"Authorization: Bearer {SECRET}"])
    assert not result.is_error, digest(result)
    assert server.authorizations == {f"Bearer {SECRET}"}  # it was sent
    sc = structured(result)
    assert any(line.startswith("Authorization:") for line in sc["headers"]), sc["headers"]
    assert SECRET not in digest(result)
    assert SECRET not in json.dumps(sc)

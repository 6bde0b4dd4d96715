"""Tasks over raw JSON-RPC (the Python SDK has no tasks support): a `load_test` against a loopback server
started here becomes a task whose status, result and cancellation are checked in both eras.

2025-11-25: the call carries `task`; the server declares `tasks` at initialize and marks the long tools
with `execution.taskSupport`; `tasks/get`, `tasks/result` (waits), `tasks/list`, `tasks/cancel`; progress
notifications keep coming under the call's progressToken and name the task. Wire shapes are validated with
the SDK's own 2025-11-25 models (mcp_types). 2026-07-28: the request declares the extension
`io.modelcontextprotocol/tasks`; `resultType: "task"`, `tasks/get` with the result inline, `tasks/cancel`
acknowledged; the progress shows in the task's statusMessage (the extension sends no progress notifications
for tasks). A cancelled task stops its traffic. Every wait is bounded.
"""
from __future__ import annotations

import json
import os
import pathlib
import queue
import subprocess
import threading
import time

import pytest
from mcp_types import _v2025_11_25 as v2025

from test_load_mcp import CountingServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
TASKS = "io.modelcontextprotocol/tasks"
WAIT_S = 30  # no single exchange here waits longer


class Server:
    """`senior-backend serve` over stdio: requests by id, notifications collected as they come."""

    def __init__(self, tmp_path):
        # Loopback only, default caps; without the diagnostics tool (scripts/test.sh lists it for the
        # conformance suites): the long tools are the three of the catalog.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SENIOR_BACKEND_LOAD_") and k != "SENIOR_BACKEND_DIAGNOSTICS"}
        self.process = subprocess.Popen([BIN, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env | {"TMPDIR": str(tmp_path)})
        self.replies: dict = {}
        self.notifications: list[dict] = []
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.inbox.put(json.loads(line))
        self.inbox.put(None)

    def _pump(self, deadline: float) -> None:
        message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        assert message is not None, "the server closed its output"
        if "method" in message:
            self.notifications.append(message)
        else:
            self.replies[message["id"]] = message

    def send(self, method: str, params: dict) -> int:
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()
        return self.next_id

    def reply(self, request_id: int, timeout: float = WAIT_S) -> dict:
        deadline = time.monotonic() + timeout
        while request_id not in self.replies:
            self._pump(deadline)
        return self.replies.pop(request_id)

    def call(self, method: str, params: dict) -> dict:
        return self.reply(self.send(method, params))

    def drain_notifications(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self._pump(deadline)
            except queue.Empty:
                break

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=WAIT_S)


@pytest.fixture
def target():
    with CountingServer().running() as running:
        yield running


@pytest.fixture
def legacy(tmp_path):
    server = Server(tmp_path)
    init = server.call("initialize", {"protocolVersion": "2025-11-25", "capabilities": {"tasks": {}},
                                      "clientInfo": {"name": "tasks-test", "version": "1"}})["result"]
    assert init["capabilities"]["tasks"]["requests"]["tools"]["call"] == {}, init["capabilities"]
    server.send("notifications/initialized", {})
    yield server
    server.close()


@pytest.fixture
def modern(tmp_path):
    server = Server(tmp_path)
    yield server
    server.close()


def meta(extensions: bool = True) -> dict:
    capabilities = {"extensions": {TASKS: {}}} if extensions else {}
    return {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": capabilities}


def poll(server: Server, task_id: str, until: set[str], params_meta: dict | None = None) -> dict:
    """tasks/get until the status is one of `until` (bounded)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        params = {"taskId": task_id} | ({"_meta": params_meta} if params_meta else {})
        task = server.call("tasks/get", params)["result"]
        if task["status"] in until or time.monotonic() > deadline:
            return task
        time.sleep(0.1)


# ----------------------------------------------------------------------------------------------- 2025-11-25

def test_legacy_tools_list_marks_the_long_tools(legacy):
    tools = {t["name"]: t for t in legacy.call("tools/list", {})["result"]["tools"]}
    long_running = {name for name, tool in tools.items() if tool.get("execution", {}).get("taskSupport") == "optional"}
    assert long_running == {"load_test", "plan_migration", "apply_migration"}, long_running


def test_legacy_task_status_progress_and_result(legacy, target):
    created = legacy.call("tools/call", {
        "name": "load_test", "arguments": {"url": target.url, "duration": 3, "concurrency": 2},
        "task": {"ttl": 60000}, "_meta": {"progressToken": "load-1"}})["result"]
    task = v2025.CreateTaskResult.model_validate(created).task
    assert task.status == "working" and task.ttl == 60000 and task.task_id

    working = legacy.call("tasks/get", {"taskId": task.task_id})["result"]
    assert v2025.GetTaskResult.model_validate(working).status in ("working", "completed")
    listed = legacy.call("tasks/list", {})["result"]["tasks"]
    assert [t["taskId"] for t in listed] == [task.task_id]

    # tasks/result waits for the end of the run, then answers what tools/call would have answered.
    result = legacy.reply(legacy.send("tasks/result", {"taskId": task.task_id}))["result"]
    assert result["_meta"]["io.modelcontextprotocol/related-task"] == {"taskId": task.task_id}
    assert not result["isError"], result["content"][0]["text"]
    metrics = result["structuredContent"]["metrics"]
    assert metrics["requests"] > 0
    assert metrics["requests"] <= target.answered <= metrics["requests"] + metrics["unfinished"]

    progress = [n["params"] for n in legacy.notifications if n["method"] == "notifications/progress"]
    assert len(progress) >= 2, progress
    assert all(p["progressToken"] == "load-1" for p in progress)
    assert all(p["_meta"]["io.modelcontextprotocol/related-task"]["taskId"] == task.task_id for p in progress)
    values = [p["progress"] for p in progress]
    assert values == sorted(values) and len(set(values)) == len(values), values

    done = v2025.GetTaskResult.model_validate(legacy.call("tasks/get", {"taskId": task.task_id})["result"])
    assert done.status == "completed"
    refused = legacy.call("tasks/cancel", {"taskId": task.task_id})
    assert refused["error"]["code"] == -32602 and "completed" in refused["error"]["message"], refused


def test_legacy_cancel_stops_the_traffic(legacy, target):
    created = legacy.call("tools/call", {
        "name": "load_test", "arguments": {"url": target.url, "duration": 20, "concurrency": 2},
        "task": {}})["result"]
    task_id = created["task"]["taskId"]
    waiting = legacy.send("tasks/result", {"taskId": task_id})
    deadline = time.monotonic() + WAIT_S
    while target.answered == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert target.answered > 0, "no traffic before the cancel"

    cancelled = v2025.CancelTaskResult.model_validate(legacy.call("tasks/cancel", {"taskId": task_id})["result"])
    assert cancelled.status == "cancelled"
    # The waiting tasks/result ends with an error: a cancelled call has no result.
    assert legacy.reply(waiting)["error"]["code"] == -32602
    time.sleep(0.25)  # the loops close their connections
    before = target.answered
    time.sleep(0.5)
    assert target.answered - before <= 2, (before, target.answered)
    assert legacy.call("tasks/get", {"taskId": task_id})["result"]["status"] == "cancelled"


def test_legacy_task_on_a_short_tool_and_unknown_ids_are_refused(legacy):
    refused = legacy.call("tools/call", {"name": "route_to_specialist", "arguments": {"concern": "slo"},
                                         "task": {}})
    assert refused["error"]["code"] == -32601 and "taskSupport" in refused["error"]["message"], refused
    for method in ("tasks/get", "tasks/result", "tasks/cancel"):
        unknown = legacy.call(method, {"taskId": "no-such-task"})
        assert unknown["error"]["code"] == -32602, (method, unknown)
    # Without `task` a long tool answers as always.
    plain = legacy.call("tools/call", {"name": "load_test",
                                       "arguments": {"url": "http://192.0.2.1:9/", "requests": 1}})["result"]
    assert "task" not in plain and plain["isError"]


# ----------------------------------------------------------------------------------------------- 2026-07-28

def test_modern_discover_declares_the_extension(modern):
    discovered = modern.call("server/discover", {"_meta": meta(extensions=False)})["result"]
    assert discovered["capabilities"]["extensions"] == {TASKS: {}}
    assert "tasks" not in discovered["capabilities"]


def test_modern_task_status_progress_and_result(modern, target):
    created = modern.call("tools/call", {"name": "load_test", "_meta": meta(),
                                         "arguments": {"url": target.url, "duration": 3, "concurrency": 2}})["result"]
    assert created["resultType"] == "task" and created["status"] == "working", created
    assert isinstance(created["ttlMs"], int) and created["pollIntervalMs"] > 0
    task_id = created["taskId"]

    messages = []
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        got = modern.call("tasks/get", {"taskId": task_id, "_meta": meta()})["result"]
        assert got["resultType"] == "complete" and got["taskId"] == task_id
        if got["status"] != "working":
            break
        messages.append(got.get("statusMessage"))
        time.sleep(0.3)
    assert got["status"] == "completed", got
    assert any(m and m.startswith("working: ") and "responses" in m for m in messages), messages
    result = got["result"]
    assert not result["isError"], result["content"][0]["text"]
    metrics = result["structuredContent"]["metrics"]
    assert metrics["requests"] > 0
    assert metrics["requests"] <= target.answered <= metrics["requests"] + metrics["unfinished"]
    assert not [n for n in modern.notifications if n["method"] == "notifications/progress"]
    # A finished task is acknowledged again, and stays completed.
    assert modern.call("tasks/cancel", {"taskId": task_id, "_meta": meta()})["result"] == \
        {"resultType": "complete", "_meta": created["_meta"]}
    assert modern.call("tasks/get", {"taskId": task_id, "_meta": meta()})["result"]["status"] == "completed"


def test_modern_cancel_stops_the_traffic(modern, target):
    created = modern.call("tools/call", {"name": "load_test", "_meta": meta(),
                                         "arguments": {"url": target.url, "duration": 20, "concurrency": 2}})["result"]
    task_id = created["taskId"]
    deadline = time.monotonic() + WAIT_S
    while target.answered == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert target.answered > 0, "no traffic before the cancel"
    ack = modern.call("tasks/cancel", {"taskId": task_id, "_meta": meta()})["result"]
    assert set(ack) <= {"resultType", "_meta"} and ack["resultType"] == "complete", ack
    time.sleep(0.25)
    before = target.answered
    time.sleep(0.5)
    assert target.answered - before <= 2, (before, target.answered)
    got = poll(modern, task_id, {"cancelled", "completed", "failed"}, meta())
    assert got["status"] == "cancelled" and "result" not in got, got


def test_modern_without_the_extension_no_task(modern, target):
    plain = modern.call("tools/call", {"name": "load_test", "_meta": meta(extensions=False),
                                       "arguments": {"url": target.url, "requests": 5, "concurrency": 1}})["result"]
    assert plain["resultType"] == "complete" and not plain["isError"], plain
    refused = modern.call("tasks/get", {"taskId": "anything", "_meta": meta(extensions=False)})
    assert refused["error"]["code"] == -32021, refused
    assert TASKS in refused["error"]["data"]["requiredCapabilities"]["extensions"]
    unknown = modern.call("tasks/cancel", {"taskId": "no-such-task", "_meta": meta()})
    assert unknown["error"]["code"] == -32602, unknown


# ------------------------------------------------------------- a task that asks the person (apply_migration)

@pytest.fixture
def drop_migration(tmp_path, database):
    """A database with a table, and a pending migration that drops it (run for real: the person is asked)."""
    url = database
    subprocess.run(["psql", url, "-qc", "CREATE TABLE note (id bigint)"], check=True, capture_output=True)
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "20260101000000_drop_note.up.sql").write_text("DROP TABLE note;\n")
    return url, {"connection": url, "files": [str(folder)], "dry_run": False, "allow_lint_errors": True}


def table_exists(url: str) -> bool:
    out = subprocess.run(["psql", url, "-Atqc", "SELECT to_regclass('note') IS NOT NULL"], check=True,
                         capture_output=True, text=True).stdout.strip()
    return out == "t"


@pytest.mark.parametrize("action,kept", [("decline", True), ("accept", False)])
def test_modern_task_waits_for_the_person_then_goes_on(modern, drop_migration, action, kept):
    url, arguments = drop_migration
    caps = meta()
    caps["io.modelcontextprotocol/clientCapabilities"]["elicitation"] = {"form": {}}
    created = modern.call("tools/call", {"name": "apply_migration", "arguments": arguments, "_meta": caps})["result"]
    assert created["resultType"] == "task", created
    waiting = poll(modern, created["taskId"], {"input_required", "completed", "failed", "cancelled"}, caps)
    assert waiting["status"] == "input_required", waiting
    [(key, request)] = waiting["inputRequests"].items()
    assert request["method"] == "elicitation/create" and "DROP TABLE note" in request["params"]["message"]
    assert table_exists(url)
    response = {"action": action} | ({"content": {"confirm": True}} if action == "accept" else {})
    ack = modern.call("tasks/update", {"taskId": created["taskId"], "inputResponses": {key: response},
                                       "_meta": caps})["result"]
    assert ack["resultType"] == "complete"
    done = poll(modern, created["taskId"], {"completed", "failed", "cancelled"}, caps)
    assert done["status"] == "completed", done
    status = done["result"]["structuredContent"]["status"]
    assert status == ("declined" if kept else "applied"), done["result"]
    assert table_exists(url) == kept


@pytest.mark.parametrize("then", ["decline", "cancel the task"])
def test_legacy_task_shows_input_required_while_the_person_decides(tmp_path, drop_migration, then):
    url, arguments = drop_migration
    server = Server(tmp_path)
    try:
        server.call("initialize", {"protocolVersion": "2025-11-25", "capabilities": {"elicitation": {}},
                                   "clientInfo": {"name": "tasks-test", "version": "1"}})
        created = server.call("tools/call", {"name": "apply_migration", "arguments": arguments,
                                             "task": {}})["result"]
        task_id = created["task"]["taskId"]
        deadline = time.monotonic() + WAIT_S
        asked = None
        while asked is None and time.monotonic() < deadline:
            server.drain_notifications(0.2)
            asked = next((m for m in server.notifications if m.get("method") == "elicitation/create"), None)
        assert asked is not None, server.notifications
        assert asked["params"]["_meta"]["io.modelcontextprotocol/related-task"] == {"taskId": task_id}
        assert server.call("tasks/get", {"taskId": task_id})["result"]["status"] == "input_required"
        if then == "decline":
            answer = {"jsonrpc": "2.0", "id": asked["id"], "result": {"action": "decline"}}
            server.process.stdin.write((json.dumps(answer) + "\n").encode())
            server.process.stdin.flush()
            result = server.call("tasks/result", {"taskId": task_id})["result"]
            assert result["structuredContent"]["status"] == "declined", result
        else:
            # The run stops waiting for the person at once, not after the form's 600 s: close() below
            # waits at most 30 s for the server to exit.
            assert server.call("tasks/cancel", {"taskId": task_id})["result"]["status"] == "cancelled"
            assert server.call("tasks/result", {"taskId": task_id})["error"]["code"] == -32602
            assert server.call("tasks/get", {"taskId": task_id})["result"]["status"] == "cancelled"
        assert table_exists(url)
    finally:
        server.close()

"""The CLI as a person runs it: reports, --json, exit codes, and `serve` over regular files."""
from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))


def run(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, timeout=30,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("args,code,needle", [
    (["route", "slo"], 0, "slo-architect owns slo"),
    (["route", "rename a column on a big table without downtime", "--answered", "1,2,3,7"], 0, "migration-architect"),
    (["route", "which React component library should we use"], 0, "cs-frontend-engineer"),
    (["route", "the office coffee machine is broken"], 1, "Nothing matches"),
    (["route", "our API returns 500s under load"], 0, "Answer with load_test"),
    (["route", "we are about to drop a column on a 200M-row table in production"], 0,
     "Answer with plan_migration, then apply_migration"),
    (["route", "slo", "--answered", "9"], 2, "not a forcing question"),
    (["route", "slo", "--answered", "x"], 2, "question numbers 1-7"),
    (["route"], 2, "Missing expected argument"),
    (["no-such-command"], 2, "Unexpected argument"),
    (["--version"], 0, "0."),
])
def test_route_reports_and_exit_codes(args, code, needle):
    done = run(*args)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert needle in (done.stdout + done.stderr).decode()


def test_json_output_is_the_structured_result():
    done = run("route", "zero-downtime-migrations", "--answered", "7", "--json")
    assert done.returncode == 0
    result = json.loads(done.stdout)
    assert result["match"]["concern_id"] == "zero-downtime-migrations"
    assert [s["concern_id"] for s in result["order"]][-1] == "zero-downtime-migrations"
    assert "slo" not in [s["concern_id"] for s in result["order"]]


def test_serve_reads_and_writes_regular_files(tmp_path):
    """epoll refuses regular files: `serve < requests.jsonl > replies.jsonl` must still work."""
    requests = tmp_path / "requests.jsonl"
    replies = tmp_path / "replies.jsonl"
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"name": "route_to_specialist", "arguments": {"concern": "observability"}}},
        {"jsonrpc": "2.0", "id": 3, "method": "ping"},
    ]
    requests.write_text("\n".join(json.dumps(m) for m in lines))  # no final newline: the last line still counts
    with requests.open("rb") as fin, replies.open("wb") as fout:
        done = subprocess.run([BIN, "serve"], stdin=fin, stdout=fout, stderr=subprocess.PIPE, timeout=30)
    assert done.returncode == 0, done.stderr
    got = {m["id"]: m for m in map(json.loads, replies.read_text().splitlines())}
    assert set(got) == {1, 2, 3}
    assert got[2]["result"]["structuredContent"]["match"]["concern_id"] == "observability"


def test_stray_stdout_never_reaches_the_protocol_stream():
    """Everything on stdout is JSON-RPC; the server's own logs go to stderr."""
    done = run("serve", stdin=b'{"jsonrpc":"2.0","id":1,"method":"ping"}\nnot json\n',
               env={"SENIOR_BACKEND_LOG_LEVEL": "debug"})
    assert done.returncode == 0
    out = done.stdout.decode().splitlines()
    assert all(json.loads(line)["jsonrpc"] == "2.0" for line in out)
    assert len(out) == 2
    assert b"request ping" in done.stderr


def test_secrets_in_arguments_do_not_come_back():
    done = run("route", "our postgres://app:hunter2secret@db/prod database needs indexes")
    assert done.returncode == 0
    assert b"hunter2secret" not in done.stdout + done.stderr


@pytest.mark.parametrize("stdin_null,stdout_null", [(True, False), (False, True), (True, True)])
def test_serve_survives_dev_null(stdin_null, stdout_null, tmp_path):
    """/dev/null is a character device that epoll refuses (EPERM); it once crashed the server."""
    request = tmp_path / "r.jsonl"
    request.write_text('{"jsonrpc":"2.0","id":1,"method":"ping"}\n')
    with open(os.devnull if stdin_null else request, "rb") as fin, \
         open(os.devnull, "wb") if stdout_null else open(tmp_path / "o.jsonl", "wb") as fout:
        done = subprocess.run([BIN, "serve"], stdin=fin, stdout=fout, stderr=subprocess.PIPE, timeout=30)
    assert done.returncode == 0, done.stderr
    assert b"Fatal error" not in done.stderr


SAMPLE = ["--team-size", "8", "--qps-p99", "50", "--read-write-ratio", "20", "--tenancy", "shared-multi-tenant",
          "--data-sensitivity", "pii", "--pattern", "modular-monolith", "--language-preference", "typescript"]


@pytest.mark.parametrize("args,code,needle", [
    (["decide", *SAMPLE], 0, "## node-express"),
    (["decide", "--sample"], 0, "Runner-up: fastapi-python"),
    (["decide", *SAMPLE[:-1], "python", "--output", "json"], 0, '"profile":"fastapi-python"'),
    (["decide", "--team-size", "5", "--qps-p99", "20", "--read-write-ratio", "3", "--tenancy", "shared-multi-tenant",
      "--data-sensitivity", "internal", "--pattern", "microservices", "--language-preference", "go",
      "--platform-team", "false"], 1, "microservices-no-platform-team"),
    (["decide", "--team-size", "5"], 2, "Missing facts"),
    (["decide", *SAMPLE[2:], "--team-size", "0"], 2, "team_size must be at least 1"),
    (["decide", *SAMPLE, "--pattern", "monolithic"], 2, "monolithic"),
    (["decide", "--list-profiles"], 0, "go-or-rust-microservice"),
    (["decide", "--sample", "--profiles-dir", "/nonexistent"], 2, "does not exist"),
])
def test_decide_reports_and_exit_codes(args, code, needle):
    done = run(*args)
    assert done.returncode == code, (done.stdout[-500:], done.stderr[-500:])
    assert needle in (done.stdout + done.stderr).decode()


def test_decide_json_names_unapproved_approvers():
    done = run("decide", "--sample", "--json")
    result = json.loads(done.stdout)
    approvers = [a for gate in result["recommendation"]["approvals"] for a in gate["approvers"]]
    assert approvers and not any(a["approved"] for a in approvers)
    assert {"tech lead", "on-call engineer", "DBA"} <= {a["role"] for a in approvers}


def test_decide_reads_profiles_from_the_environment(tmp_path):
    (tmp_path / "broken.json").write_text('{"name": "x"}')
    done = run("decide", "--list-profiles", env={"SENIOR_BACKEND_PROFILES": str(tmp_path)})
    assert done.returncode == 0
    assert b"broken.json" in done.stdout and b"profile.description" in done.stdout

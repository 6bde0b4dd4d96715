"""The seven-question walk over MCP with the official Python SDK client (which also checks each
structured result against the tool's outputSchema), and the grill and decide CLI."""
from __future__ import annotations

import json
import os
import pathlib
import subprocess

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))

WALK = [
    {"qps_p99": 50, "read_write_ratio": 20},
    {"tenancy": "shared-multi-tenant"},
    {"communication_style": "sync"},
    {"data_sensitivity": "pii"},
    {"pattern": "modular-monolith", "team_size": 8, "platform_team": False, "language_preference": "typescript",
     "needs_admin_panel": False},
    {"rpo_minutes": 60, "rto_minutes": 240},
    {"slo_availability": 0.999, "slo_p99_ms": 500, "error_budget_owner": "Priya, tech lead"},
]


def client(tmp_path) -> Client:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    return Client(StdioServerParameters(command=BIN, args=["serve"], env=env), mode="auto", read_timeout_seconds=30)


def test_full_walk_over_mcp_one_question_per_call(tmp_path):
    async def main():
        async with client(tmp_path) as c:
            first = await c.call_tool("grill_next_question", {"session": "mcp-walk"})
            assert not first.is_error
            assert first.structured_content["question"]["number"] == 1
            seen = [1]
            result = first
            for number, answers in enumerate(WALK, start=1):
                result = await c.call_tool("grill_next_question", {"session": "mcp-walk", **answers})
                assert not result.is_error, result.content[0].text
                sc = result.structured_content
                if number < 7:
                    assert sc["status"] == "asking"
                    assert sc["question"]["number"] == number + 1  # exactly one question, the next
                    seen.append(sc["question"]["number"])
                    text = result.content[0].text
                    assert text.count("of 7:") == 1 and "Recommended:" in text and "Canon:" in text
            assert seen == [1, 2, 3, 4, 5, 6, 7]
            sc = result.structured_content
            assert sc["status"] == "complete"
            assert sc["decision"]["recommendation"]["profile"] == "node-express"
            assert sc["next_specialist"]["specialist"] == "slo-architect"
            # The team asks 99.9% and 500 ms p99: more than node-express's floor (99.5%, 600 ms).
            verdicts = {c["metric"]: c["verdict"] for c in sc["decision"]["slo_check"]}
            assert verdicts["uptime"] == "exceeds-floor" and verdicts["p99_ms"] == "exceeds-floor"
            digest = result.content[0].text
            assert len(digest.split()) <= 200
            for needle in ("node-express", "p50 80 ms", "p95 250 ms", "p99 600 ms", "uptime 99.5%", "RPO 60",
                           "RTO 240", "DBA", "slo-architect"):
                assert needle in digest, (needle, digest)
            state = pathlib.Path(sc["state_file"])
            assert state.parent == tmp_path and oct(state.stat().st_mode & 0o777) == "0o600"
            assert "## Q7. SLO and error budget (answered)" in state.read_text()

    anyio.run(main)


def test_kill_over_mcp_is_an_error_result_with_the_resolution(tmp_path):
    async def main():
        async with client(tmp_path) as c:
            result = await c.call_tool("grill_next_question",
                                       {"session": "mcp-kill", "pattern": "microservices", "team_size": 6})
            assert result.is_error
            assert result.structured_content["kill"]["question"] == 5
            assert "stopped at Q5" in result.content[0].text
            bad = await c.call_tool("grill_next_question", {"session": "../etc/passwd"})
            assert bad.is_error and "session" in bad.content[0].text

    anyio.run(main)


def run(*args, env=None):
    return subprocess.run([BIN, *args], capture_output=True, timeout=30, env={**os.environ, **(env or {})})


def test_grill_cli_walks_and_exits_by_status(tmp_path):
    env = {"TMPDIR": str(tmp_path)}
    assert run("grill", "--session", "cli", "--qps-p99", "50", "--read-write-ratio", "20", env=env).returncode == 0
    done = run("grill", "--session", "cli", "--tenancy", "single-tenant", "--enterprise-pricing", "false", env=env)
    assert done.returncode == 1 and b"stopped at Q2" in done.stdout
    done = run("grill", "--session", "cli", "--enterprise-pricing", "true", "--json", env=env)
    assert done.returncode == 0 and json.loads(done.stdout)["question"]["number"] == 3
    assert run("grill", "--session", "a/b", env=env).returncode == 2
    assert run("grill", "--session", "cli", "--team-size", "-1", env=env).returncode == 2

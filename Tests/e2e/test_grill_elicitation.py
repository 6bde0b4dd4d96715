"""`grill_next_question` with a client that shows forms (elicitation), through the official Python client
(mcp 2.3.0) in both eras: legacy sends `elicitation/create`; 2026-07-28 returns an input-required result
whose signed `requestState` the client echoes on its retry. A walk answered through the callback ends in a
recommendation with every answer in the state file; a declined form leaves the session file as it was and
returns the question for the agent. Raw JSON-RPC checks that a tampered `requestState` is refused.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import uuid

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import ElicitResult

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
ERAS = [("auto", "2026-07-28"), ("legacy", "2025-11-25")]

# What the person answers, by form field.
PERSON = {
    "qps_p99": 50, "read_write_ratio": 20, "tenancy": "shared-multi-tenant", "communication_style": "sync",
    "data_sensitivity": "pii", "pattern": "modular-monolith", "team_size": 8, "platform_team": False,
    "language_preference": "typescript", "needs_admin_panel": False, "rpo_minutes": 60, "rto_minutes": 240,
    "slo_availability": 0.999, "slo_p99_ms": 300, "error_budget_owner": "platform lead",
}


def client(tmp_path, mode, **extra) -> Client:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    return Client(StdioServerParameters(command=BIN, args=["serve"], env=env, cwd=str(ROOT)), mode=mode,
                  read_timeout_seconds=60, **extra)


def state_answers(path: str) -> dict:
    text = pathlib.Path(path).read_text()
    block = re.search(r"```json\n(.*?)\n```", text, re.S)
    assert block, text
    return json.loads(block.group(1))["answers"]


@pytest.mark.parametrize("mode,version", ERAS)
def test_a_walk_answered_through_forms_ends_in_a_recommendation(tmp_path, mode, version):
    forms = []

    async def person(context, params):
        schema = params.requested_schema
        forms.append((params.message, schema))
        return ElicitResult(action="accept", content={name: PERSON[name] for name in schema["properties"]})

    async def main():
        async with client(tmp_path, mode, elicitation_callback=person, input_required_max_rounds=25) as c:
            assert c.protocol_version == version
            result = await c.call_tool("grill_next_question", {"session": "walk-" + uuid.uuid4().hex[:8]})
            return result

    result = anyio.run(main)
    text = result.content[0].text
    out = result.structured_content
    assert not result.is_error, text
    assert out["status"] == "complete", text
    assert out["decision"] is not None and out["answered"] == [1, 2, 3, 4, 5, 6, 7]
    # One form per question, each with the question's own fields; fixed choices are enums.
    assert [re.search(r"Q(\d) of 7", message).group(1) for message, _ in forms] == list("1234567")
    by_field = {name: prop for _, schema in forms for name, prop in schema["properties"].items()}
    assert set(by_field) == set(PERSON)
    for field in ("tenancy", "data_sensitivity", "pattern", "communication_style", "language_preference"):
        assert by_field[field]["type"] == "string" and PERSON[field] in by_field[field]["enum"], field
    assert by_field["qps_p99"]["type"] == "number" and by_field["error_budget_owner"]["type"] == "string"
    assert state_answers(out["state_file"]) == PERSON


@pytest.mark.parametrize("mode,version", ERAS)
def test_a_declined_form_leaves_the_session_as_it_was(tmp_path, mode, version):
    session = "decline-" + uuid.uuid4().hex[:8]
    asked = []

    async def refuses(context, params):
        asked.append(params.message)
        return ElicitResult(action="decline")

    async def main():
        # The agent answers Q1 without forms: today's behaviour, the state file as the baseline.
        async with client(tmp_path, mode) as c:
            first = await c.call_tool("grill_next_question", {"session": session, "qps_p99": 50,
                                                              "read_write_ratio": 20})
        path = pathlib.Path(first.structured_content["state_file"])
        before = path.read_bytes()
        async with client(tmp_path, mode, elicitation_callback=refuses) as c:
            assert c.protocol_version == version
            declined = await c.call_tool("grill_next_question", {"session": session})
        return first, declined, before, path.read_bytes()

    first, declined, before, after = anyio.run(main)
    assert first.structured_content["question"]["number"] == 2
    assert asked and "Q2 of 7" in asked[0]
    assert not declined.is_error, declined.content[0].text
    assert declined.structured_content["status"] == "asking"
    assert declined.structured_content["question"]["number"] == 2
    assert declined.structured_content["missing_fields"] == ["tenancy"]
    assert after == before


def rpc(process, message) -> dict:
    process.stdin.write((json.dumps(message) + "\n").encode())
    process.stdin.flush()
    while True:
        line = process.stdout.readline()
        assert line, "the server closed its output"
        reply = json.loads(line)
        if reply.get("id") == message["id"]:
            return reply


def test_a_tampered_request_state_is_refused(tmp_path):
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {"elicitation": {"form": {}}}}
    arguments = {"session": "tamper-" + uuid.uuid4().hex[:8]}
    process = subprocess.Popen([BIN, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        call = {"name": "grill_next_question", "arguments": arguments, "_meta": meta}
        first = rpc(process, {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": call})["result"]
        assert first["resultType"] == "input_required"
        form = first["inputRequests"]["elicitation"]
        assert form["method"] == "elicitation/create" and "Q1 of 7" in form["params"]["message"]
        state = first["requestState"]
        answer = {"elicitation": {"action": "accept", "content": {"qps_p99": 50, "read_write_ratio": 20}}}
        flipped = state[:-1] + ("0" if state[-1] != "0" else "1")
        other_tool = state.replace("grill_next_question", "decide_profile")
        for tampered in (flipped, other_tool, state + "00", "v1|grill_next_question|" + "0" * 64 + "|" + "0" * 64):
            reply = rpc(process, {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                  "params": {**call, "inputResponses": answer, "requestState": tampered}})
            assert reply["error"]["code"] == -32602 and "requestState" in reply["error"]["message"], reply
        # An answer without the state that binds it to its form is refused too.
        reply = rpc(process, {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                              "params": {**call, "inputResponses": answer}})
        assert reply["error"]["code"] == -32602, reply
        # The untouched state is accepted: Q1 is recorded and the form for Q2 comes back.
        second = rpc(process, {"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                               "params": {**call, "inputResponses": answer, "requestState": state}})["result"]
        assert second["resultType"] == "input_required", second
        assert "Q2 of 7" in second["inputRequests"]["elicitation"]["params"]["message"]
        assert second["inputRequests"]["elicitation"]["params"]["requestedSchema"]["properties"]["tenancy"]["enum"]
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def test_without_the_capability_the_question_goes_to_the_agent(tmp_path):
    process = subprocess.Popen([BIN, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {"roots": {}}}
        call = {"name": "grill_next_question", "arguments": {"session": "plain-modern"}, "_meta": meta}
        modern = rpc(process, {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": call})["result"]
        assert modern["resultType"] == "complete" and modern["structuredContent"]["question"]["number"] == 1
        rpc(process, {"jsonrpc": "2.0", "id": 2, "method": "initialize",
                      "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                                 "clientInfo": {"name": "t", "version": "1"}}})
        call = {"name": "grill_next_question", "arguments": {"session": "plain-legacy"}}
        legacy = rpc(process, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": call})["result"]
        assert legacy["structuredContent"]["question"]["number"] == 1 and "resultType" not in legacy
    finally:
        process.stdin.close()
        process.wait(timeout=30)

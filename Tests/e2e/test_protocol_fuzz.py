"""End-to-end protocol fuzz of `senior-backend serve` (JSON-RPC 2.0 + MCP over newline-delimited stdio).

10,000 deterministic lines (valid requests of every method, bad envelopes, bad params, notifications,
garbage, deep nesting, huge strings, one 16 MiB message) go through one server process; every line's
expected outcome is derived from JSON-RPC 2.0 and MCP and checked against what came back.

Run: /tmp/venv/bin/python -m pytest Tests/e2e/test_protocol_fuzz.py   (binary: $SENIOR_BACKEND_BIN)
"""

import base64
import json
import os
import pathlib
import random
import subprocess
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
# A page size of 1 makes the server issue real cursors for tools/list and resources/list.
ENV = {**os.environ, "SENIOR_BACKEND_DIAGNOSTICS": "1", "SENIOR_BACKEND_PAGE_SIZE": "1"}
SEED, LINES, MIB = 20261125, 10_000, 1 << 20
CRASH_MARKERS = ("Fatal error", "Segmentation", "Illegal instruction")
LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]


class Num(str):
    """A JSON number kept as its exact text (ids such as 2**53+1 must be echoed exactly)."""


class Raw(str):
    """JSON text to splice into a message as is."""


@dataclass(frozen=True)
class Expect:
    """What one line must produce. id: ("s", text) / ("n", number text), or None for an id-null error.
    want: an error code, "result", "tool_ok", "tool_error", or "silent" (no reply at all).
    detail: result member / message substring / structuredContent subset, depending on want."""
    id: tuple | None
    want: int | str
    detail: object = ""


def loads(text):
    def reject(constant):
        raise ValueError(f"non-JSON constant {constant}")
    return json.loads(text, parse_int=Num, parse_float=Num, parse_constant=reject)


def id_key(value):
    if value is None:
        return None
    return ("n", str(value)) if isinstance(value, Num) else ("s", value) if isinstance(value, str) else ("?", repr(value))


@dataclass
class Gen:
    """Generation state: the seeded rng, a counter that keeps every id unique, what the server issued."""
    rng: random.Random
    cursors: dict
    uris: list
    n: int = 100_000

    def next(self):
        self.n += 1
        return self.n

    def new_id(self):
        """A fresh valid id of a random type, as (JSON text, key)."""
        n, kind = self.next(), self.rng.randrange(8)
        if kind <= 2:
            text = [f"req-{n}", f"ид-{n}-日本語-🚀", f'q"\\/\t\u0000{n}-🚀'][kind]
            return json.dumps(text, ensure_ascii=self.rng.random() < 0.5), ("s", text)
        raw = [str(n), str(-n), str(2**53 + 2 * n + 1), f"{n}.5", f"{n}e3"][kind - 3]
        return raw, ("n", raw)

    def dumps(self, value):
        if isinstance(value, Raw):
            return value
        return json.dumps(value, ensure_ascii=self.rng.random() < 0.5, separators=self.rng.choice([(",", ":"), (", ", ": ")]))

    def message(self, members):
        """A JSON object from (name, value) pairs in random order; values are Raw text or Python data."""
        members = list(members)
        self.rng.shuffle(members)
        return "{" + ",".join(f"{json.dumps(k)}:{self.dumps(v)}" for k, v in members) + "}"

    def request(self, method, params=None, want="result", detail="", id_raw=None, jsonrpc=Raw('"2.0"')):
        raw, key = (id_raw, id_key(loads(id_raw))) if id_raw is not None else self.new_id()
        members = [("id", Raw(raw)), ("method", method)]
        members += [("jsonrpc", jsonrpc)] if jsonrpc is not None else []
        members += [("params", params)] if params is not None else []
        return self.message(members), Expect(key, want, detail)


# ---- case generators: each takes a Gen and returns (line, Expect) ----

def c_initialize(g):
    version = g.rng.choice(["2025-11-25", "2025-06-18", "2024-11-05", "1999-01-01"])
    good = {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}}
    bad = g.rng.choice([{}, {"protocolVersion": 20250618}, {"capabilities": {}}])
    return g.request("initialize", good, "result", "protocolVersion") if g.rng.random() < 0.7 else g.request("initialize", bad, -32602)


def c_ping(g):
    return g.request("ping", g.rng.choice([None, {}, {"_meta": {"note": "ok"}}]), "result")


LISTS = {"tools/list": "tools", "resources/list": "resources", "prompts/list": "prompts", "resources/templates/list": "resourceTemplates"}


def c_list(g):
    method = g.rng.choice(list(LISTS))
    cursor = g.rng.choice([None] + g.cursors.get(method, []))
    return g.request(method, None if cursor is None else {"cursor": cursor}, "result", LISTS[method])


def c_bad_cursor(g):
    method = g.rng.choice(["tools/list", "resources/list", "prompts/list"])
    foreign = [c for m, cs in g.cursors.items() if m != method for c in cs]
    cursor = g.rng.choice(foreign + ["", "bm9wZQ==", "%%%not-base64", f"cursor-{g.next()}", 5, True, {}, ["x"]]
                          + [c + "x" for c in g.cursors.get(method, [])])
    return g.request(method, {"cursor": cursor}, -32602)


def c_read(g):
    roll = g.rng.random()
    if roll < 0.5:
        return g.request("resources/read", {"uri": g.rng.choice(g.uris)}, "result", "contents")
    if roll < 0.8:
        uri = g.rng.choice([f"senior-backend://references/nope-{g.next()}.md", "file:///etc/passwd", "", "senior-backend://"])
        return g.request("resources/read", {"uri": uri}, -32002)
    return g.request("resources/read", g.rng.choice([{}, {"uri": 5}, {"uri": None}, {"url": g.uris[0]}]), -32602)


def c_prompt(g):
    problem = g.rng.choice(["Orders API p99 is 2s under load.", "多租户 Postgres schema? 🚀", "x" * 500])
    good = {"name": "backend-review", "arguments": {"problem": problem}}
    if g.rng.random() < 0.5:
        return g.request("prompts/get", good, "result", "messages")
    bad, detail = g.rng.choice([({"name": "backend-review"}, "problem"), ({"name": "backend-review", "arguments": {}}, "problem"),
                                ({"name": "backend-review", "arguments": {"problem": 5}}, "problem"),
                                ({"name": f"no-prompt-{g.next()}"}, ""), ({}, ""), ({"name": 7}, "")])
    return g.request("prompts/get", bad, -32602, detail)


def c_set_level(g):
    if g.rng.random() < 0.6:
        return g.request("logging/setLevel", {"level": g.rng.choice(LEVELS)}, "result")
    return g.request("logging/setLevel", g.rng.choice([{"level": "verbose"}, {"level": "WARNING"}, {"level": 3}, {}]), -32602)


def c_call_ok(g):
    meta = {"_meta": {"progressToken": f"tok-{g.next()}"}} if g.rng.random() < 0.2 else {}
    if g.rng.random() < 0.5:
        args = {"concern": g.rng.choice(["slo", "api-contract", "our p99 latency keeps breaching", "zzqx",
                                         "the office coffee machine is broken", "ошибка базы данных 🚀"])}
        if g.rng.random() < 0.5:
            args["answered_questions"] = g.rng.sample(range(1, 8), g.rng.randint(0, 7))
        return g.request("tools/call", {"name": "route_to_specialist", "arguments": args, **meta}, "tool_ok")
    if g.rng.random() < 0.1:  # every diagnostics argument is optional
        return g.request("tools/call", {"name": "diagnostics", **meta}, "tool_ok", {"payload_bytes": 0})
    payload, sleep = "".join(g.rng.choice("ab€🚀\n\"\\\u0000") for _ in range(g.rng.randint(0, 64))), g.rng.randint(0, 20)
    args = {"sleep_ms": sleep, "result_kib": g.rng.randint(0, 8), "payload": payload}
    return g.request("tools/call", {"name": "diagnostics", "arguments": args, **meta}, "tool_ok",
                     {"payload_bytes": len(payload.encode()), "slept_ms": sleep})


BAD_ARGUMENTS = [  # (tool, arguments, text the isError content must contain)
    ("route_to_specialist", {"concern": 5}, "concern"), ("route_to_specialist", {"concern": ""}, "concern"),
    ("route_to_specialist", {"concern": None}, "concern"), ("route_to_specialist", {"concern": ["slo"]}, "concern"),
    ("route_to_specialist", {}, "concern"), ("route_to_specialist", {"concern": "x" * 2001}, "concern"),
    ("route_to_specialist", {"concern": "slo", "answered_questions": [0]}, "answered_questions"),
    ("route_to_specialist", {"concern": "slo", "answered_questions": [8]}, "answered_questions"),
    ("route_to_specialist", {"concern": "slo", "answered_questions": [1, 1]}, "answered_questions"),
    ("route_to_specialist", {"concern": "slo", "answered_questions": [1.5]}, "answered_questions"),
    ("route_to_specialist", {"concern": "slo", "answered_questions": "1,2"}, "answered_questions"),
    ("route_to_specialist", {"concern": "slo", "extra_field": 1}, "extra_field"),
    ("diagnostics", {"sleep_ms": -1}, "sleep_ms"), ("diagnostics", {"sleep_ms": 60001}, "sleep_ms"),
    ("diagnostics", {"sleep_ms": "10"}, "sleep_ms"), ("diagnostics", {"result_kib": 65537}, "result_kib"),
    ("diagnostics", {"result_kib": 0.5}, "result_kib"), ("diagnostics", {"payload": 7}, "payload"),
    ("diagnostics", {"bogus": True}, "bogus"),
] + [(tool, bad, "object") for tool in ("route_to_specialist", "diagnostics") for bad in ("x", [], 5, None, True)]


def c_call_bad_args(g):
    tool, args, needle = g.rng.choice(BAD_ARGUMENTS)
    return g.request("tools/call", {"name": tool, "arguments": args}, "tool_error", needle)


def c_call_bad_params(g):
    params = g.rng.choice([{}, {"arguments": {"concern": "slo"}}, {"name": 5}, {"name": None},
                           {"name": f"no_such_tool_{g.next()}", "arguments": {}}, {"name": "Route_To_Specialist"}])
    return g.request("tools/call", params, -32602)


def c_params_not_object(g):
    method = g.rng.choice(["ping", "initialize", "tools/list", "tools/call", "resources/read", "prompts/get", "logging/setLevel"])
    return g.request(method, Raw(g.rng.choice(["[]", '["route_to_specialist"]', '"x"', "5", "true", "null"])), -32602)


def c_unknown_method(g):
    method = g.rng.choice(["", "foo", "tools/List", "rpc.discover", "notifications/initialized", "resources/subscribe",
                           "completion/complete", "sampling/createMessage", "ping ", "ünïcødé/方法", f"x/{g.next()}"])
    return g.request(method, g.rng.choice([None, {}]), -32601)


def c_notification(g):
    method, params = g.rng.choice([
        ("notifications/initialized", None), ("notifications/progress", {"progressToken": "t", "progress": 1}),
        ("notifications/cancelled", {"requestId": f"never-sent-{g.next()}"}), ("notifications/cancelled", {"requestId": -10**12 - g.next()}),
        ("notifications/roots/list_changed", {}), ("ping", None), ("tools/call", {"name": "diagnostics"}),
        ("foo/bar", Raw("[1,2]")), ("tools/list", Raw('"x"')), ("", None)])
    members = [("jsonrpc", "2.0"), ("method", method)] + ([("params", params)] if params is not None else [])
    return g.message(members), Expect(None, "silent")


def c_client_response(g):  # a response to a server request: nothing to answer
    raw, key = g.new_id()
    body = g.rng.choice([("result", {}), ("error", {"code": -1, "message": "no"})])
    return g.message([("jsonrpc", "2.0"), ("id", Raw(raw)), body]), Expect(key, "silent")


def c_bad_envelope(g):  # a valid id, so the -32600 must echo it
    if g.rng.random() < 0.5:
        return g.request("ping", None, -32600, jsonrpc=g.rng.choice([None, Raw('"1.0"'), Raw("2.0"), Raw('"2.00"'), Raw("null"), Raw('["2.0"]')]))
    raw, key = g.new_id()
    method = g.rng.choice([[], [("method", 5)], [("method", None)], [("method", {})], [("method", ["ping"])], [("method", True)]])
    return g.message([("jsonrpc", "2.0"), ("id", Raw(raw))] + method), Expect(key, -32600)


def c_invalid_id(g):
    bad = Raw(g.rng.choice(["null", "true", "false", "{}", '{"a":1}', "[]", "[1]"]))
    return g.message([("jsonrpc", "2.0"), ("id", bad), ("method", g.rng.choice(["ping", "tools/list"]))]), Expect(None, -32600)


def c_not_object(g):  # scalars, {} and batches (arrays) are not requests
    inner, _ = c_ping(g)
    line = g.rng.choice(["1", "-2.5e3", '"ping"', "true", "false", "null", "{}", "[]", f"[{inner}]", f"[{inner},{inner}]", "[1,2,3]", "[{}]",
                         '[{"jsonrpc":"2.0","method":"notifications/initialized"}]'])
    return line, Expect(None, -32600)


def c_truncated(g):
    text = g.rng.choice([c_ping, c_initialize, c_call_ok, c_read])(g)[0].encode()
    return text[:g.rng.randint(1, len(text) - 1)], Expect(None, -32700)


def c_trailing(g):
    return c_ping(g)[0] + g.rng.choice(["}", " x", "{}", ",", " 1", "\x00"]), Expect(None, -32700)


NOT_JSON_START = bytes(b for b in range(256) if b not in b' \t\r\n{["tfn-0123456789')


def c_random_bytes(g):
    body = g.rng.randbytes(g.rng.choice([0, 3, 40, 500, 4000])).replace(b"\n", b"\x00")
    return bytes([g.rng.choice(NOT_JSON_START)]) + body, Expect(None, -32700)


def c_bad_string(g):  # invalid UTF-8 or a raw control character inside a string of an otherwise valid request
    text = g.request("ping", {"_meta": {"note": "@@"}})[0].encode()
    bad = g.rng.choice([b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82", b"\x00", b"\x01", b"\t", b"\x1f"])
    return text.replace(b"@@", b"a" + bad + b"z"), Expect(None, -32700)


def c_padded(g):  # JSON whitespace around a message, CRLF line ending
    text, expect = g.rng.choice([c_ping, c_list])(g)
    return g.rng.choice([" ", "\t", " \t "]) + text + g.rng.choice([" ", "\t", "\r", " \r"]), expect


def c_blank(g):  # an empty line carries no message
    return g.rng.choice(["", " ", "\t\t", "\r"]), Expect(None, "silent")


CASES = [  # (name, weight, generator)
    ("initialize", 3, c_initialize), ("ping", 4, c_ping), ("list methods", 6, c_list), ("bad cursor", 3, c_bad_cursor),
    ("resources/read", 4, c_read), ("prompts/get", 4, c_prompt), ("logging/setLevel", 3, c_set_level),
    ("tools/call ok", 6, c_call_ok), ("tools/call bad arguments", 6, c_call_bad_args), ("tools/call bad params", 3, c_call_bad_params),
    ("params not an object", 3, c_params_not_object), ("unknown method", 3, c_unknown_method), ("notification", 5, c_notification),
    ("client response", 1, c_client_response), ("bad jsonrpc/method", 4, c_bad_envelope), ("invalid id", 3, c_invalid_id),
    ("not an object / batch", 3, c_not_object), ("truncated", 4, c_truncated), ("trailing garbage", 2, c_trailing),
    ("random bytes", 5, c_random_bytes), ("bad utf-8 / control char", 3, c_bad_string), ("padded", 2, c_padded), ("blank", 1, c_blank),
]


def nest(depth, inner="0"):
    return "[" * depth + inner + "]" * depth


def nest_objects(depth):
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


ONCE = [  # (name, generator): each placed exactly once, at a random position
    ("id empty string", lambda g: g.request("ping", id_raw='""')), ("id 0", lambda g: g.request("ping", id_raw="0")),
    ("id -1", lambda g: g.request("ping", id_raw="-1")), ("id 2**53+1", lambda g: g.request("tools/list", id_raw=str(2**53 + 1), detail="tools")),
    ("id 1.5", lambda g: g.request("ping", id_raw="1.5")), ("id 1e3", lambda g: g.request("ping", id_raw="1e3")),
    ("id 256 KiB string", lambda g: g.request("ping", id_raw=json.dumps("i" * (256 << 10)))),
    ("depth 100 array", lambda g: (nest(100), Expect(None, -32600))),
    ("depth 100 object", lambda g: (nest_objects(100), Expect(None, -32600))),
    ("depth 100 in params", lambda g: g.request("ping", Raw('{"deep":' + nest(100) + "}"))),
    ("depth 100000 array", lambda g: (nest(100_000), Expect(None, -32700))),
    ("depth 100000 object", lambda g: (nest_objects(100_000), Expect(None, -32700))),
    ("depth 100000 in params", lambda g: (g.request("ping", Raw('{"deep":' + nest(100_000) + "}"))[0], Expect(None, -32700))),
    ("1 MiB concern", lambda g: g.request("tools/call", {"name": "route_to_specialist", "arguments": {"concern": "c" * MIB}}, "tool_error", "concern")),
    ("1 MiB method", lambda g: g.request("m" * MIB, None, -32601)),
    ("1 MiB uri", lambda g: g.request("resources/read", {"uri": "u" * MIB}, -32002)),
    ("4 MiB bare string", lambda g: (json.dumps("s" * 4 * MIB), Expect(None, -32600))),
    ("2 MiB unicode payload", lambda g: g.request("tools/call", {"name": "diagnostics", "arguments": {"payload": "é🚀" * (MIB // 3)}},
                                                  "tool_ok", {"payload_bytes": 6 * (MIB // 3)})),
    ("16 MiB payload", lambda g: g.request("tools/call", {"name": "diagnostics", "arguments": {"payload": "0123456789abcdef" * MIB}},
                                           "tool_ok", {"payload_bytes": 16 * MIB})),
]


def generate(rng, cursors, uris):
    g = Gen(rng, cursors, uris)
    names, weights, makers = zip(*CASES)
    plan = list(rng.choices(range(len(CASES)), weights=weights, k=LINES - len(ONCE)))
    for position, index in zip(sorted(rng.sample(range(LINES), len(ONCE))), range(len(ONCE))):
        plan.insert(position, -1 - index)
    lines, expects, labels = [], [], []
    for entry in plan:
        label, maker = ONCE[-1 - entry] if entry < 0 else (names[entry], makers[entry])
        line, expect = maker(g)
        line = line if isinstance(line, bytes) else line.encode()
        assert b"\n" not in line, label
        lines.append(line), expects.append(expect), labels.append(label)
    return lines, expects, labels


# ---- the server process ----

class Server:
    def __init__(self, tmp_path, watchdog_s):
        assert os.access(BIN, os.X_OK), f"no server binary at {BIN} (set SENIOR_BACKEND_BIN)"
        self.stderr_path = tmp_path / "stderr.txt"
        with open(self.stderr_path, "wb") as stderr:
            self.proc = subprocess.Popen([BIN, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=ENV)
        self.watchdog = threading.Timer(watchdog_s, self.proc.kill)  # a hang becomes EOF, not a stuck test
        self.watchdog.start()

    def send(self, line):
        self.proc.stdin.write(line + b"\n")
        self.proc.stdin.flush()

    def rpc(self, method, params=None):
        """One request while nothing else is in flight."""
        self.send(json.dumps({"jsonrpc": "2.0", "id": "setup", "method": method, **({"params": params} if params else {})}).encode())
        reply = json.loads(self.proc.stdout.readline())
        assert reply.get("id") == "setup" and "result" in reply, reply
        return reply["result"]

    def close(self):
        """Closes stdin; returns the remaining stdout lines, the exit code and the seconds it took to exit."""
        start = time.monotonic()
        self.proc.stdin.close()
        rest = self.proc.stdout.readlines()
        code = self.proc.wait(timeout=10)
        return rest, code, time.monotonic() - start

    def stop(self):
        self.watchdog.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")


def handshake(server):
    """initialize, then walk every list to learn the cursors and resource URIs the server issues."""
    assert "protocolVersion" in server.rpc("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}})
    server.send(b'{"jsonrpc":"2.0","method":"notifications/initialized"}')
    cursors, items = {}, {}
    for method, key in LISTS.items():
        cursors[method], items[key], cursor = [], [], None
        while True:
            page = server.rpc(method, {"cursor": cursor} if cursor else None)
            items[key] += page[key]
            if not (cursor := page.get("nextCursor")):
                break
            cursors[method].append(cursor)
    assert {t["name"] for t in items["tools"]} == {"route_to_specialist", "diagnostics"}
    assert cursors["tools/list"], "page size 1 should paginate tools/list"
    return cursors, [r["uri"] for r in items["resources"]]


def parse_stdout(raw_lines, failures):
    """Validates every stdout line; returns replies by id key and the id-null error codes in order."""
    by_id, null_codes = defaultdict(list), []
    for raw in raw_lines:
        try:
            assert raw.endswith(b"\n"), "unterminated line"
            msg = loads(raw.decode("utf-8"))
            assert isinstance(msg, dict) and msg.get("jsonrpc") == "2.0", "not a JSON-RPC 2.0 object"
            if "id" not in msg:  # a server notification (progress, log)
                assert isinstance(msg.get("method"), str) and msg["method"].startswith("notifications/"), "notification without method"
                continue
            assert ("result" in msg) != ("error" in msg), "needs exactly one of result/error"
            if "error" in msg:
                error = msg["error"]
                assert isinstance(error.get("code"), Num) and isinstance(error.get("message"), str), "malformed error object"
        except (AssertionError, ValueError) as problem:
            failures.append(f"stdout line {raw[:200]!r}: {problem}")
            continue
        if msg["id"] is None:
            null_codes.append(int(msg["error"]["code"]) if "error" in msg else "result")
        else:
            by_id[id_key(msg["id"])].append(msg)
    return by_id, null_codes


def check(expect, msg):
    """None when msg fits expect, else what is wrong."""
    if isinstance(expect.want, int):
        if "error" not in msg:
            return f"expected error {expect.want}, got a result"
        code, message = int(msg["error"]["code"]), msg["error"]["message"]
        if code != expect.want:
            return f"expected error {expect.want}, got {code}: {message[:200]}"
        return None if expect.detail in message else f"error message lacks {expect.detail!r}: {message[:200]}"
    if "result" not in msg:
        return f"expected {expect.want}, got error {msg['error']['code']}: {msg['error']['message'][:200]}"
    result = msg["result"]
    if not isinstance(result, dict):
        return "result is not an object"
    if expect.want == "result":
        return None if not expect.detail or expect.detail in result else f"result lacks {expect.detail!r}"
    text = " ".join(c.get("text", "") for c in result.get("content", []) if isinstance(c, dict))
    if expect.want == "tool_error":
        ok = result.get("isError") is True and expect.detail in text
        return None if ok else f"expected isError naming {expect.detail!r}, got isError={result.get('isError')}: {text[:200]}"
    if result.get("isError") is not False or not text:
        return f"expected a successful tool result, got isError={result.get('isError')}: {text[:200]}"
    got = {k: int(v) for k, v in result.get("structuredContent", {}).items() if k in (expect.detail or {})}
    return None if got == (expect.detail or {}) else f"structuredContent {got} != {expect.detail}"


def assert_clean_exit(server, code, seconds):
    assert code == 0 and seconds < 5, f"exit code {code} after {seconds:.1f}s"
    crashes = [m for m in CRASH_MARKERS if m in server.stderr()]
    assert not crashes, f"stderr shows a crash: {crashes}\n{server.stderr()[-2000:]}"


def test_protocol_fuzz(tmp_path):
    server = Server(tmp_path, watchdog_s=100)
    try:
        lines, expects, labels = generate(random.Random(SEED), *handshake(server))
        assert len(lines) == LINES and sum(len(x) > 16 * MIB for x in lines) == 1
        final = b'{"jsonrpc":"2.0","id":"final-ping","method":"ping"}'
        write_errors = []

        def write():
            try:
                for line in lines:
                    server.proc.stdin.write(line + b"\n")
                server.send(final)
            except OSError as error:
                write_errors.append(error)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        out, pinged = [], False
        while raw := server.proc.stdout.readline():  # the main thread reads until the final ping is answered
            out.append(raw)
            if b'"final-ping"' in raw and (reply := json.loads(raw)).get("id") == "final-ping":
                pinged = reply.get("result") == {}
                break
        writer.join(timeout=30)
        assert not write_errors, f"writing to the server failed: {write_errors}"
        assert pinged, f"no reply to the final ping; last stdout lines: {out[-3:]}"
        out.pop()
        rest, code, seconds = server.close()
        failures = []
        by_id, null_codes = parse_stdout(out + rest, failures)

        expected_null = []
        for index, (expect, label) in enumerate(zip(expects, labels)):
            where = f"line {index} [{label}] {lines[index][:120]!r}"
            if expect.id is None:
                if expect.want != "silent":
                    expected_null.append((expect.want, where))
                continue
            replies = by_id.pop(expect.id, [])
            if expect.want == "silent":
                if replies:
                    failures.append(f"{where}: expected no reply, got {replies[0]}")
            elif len(replies) != 1:
                failures.append(f"{where}: expected one reply with id {expect.id[1][:60]!r}, got {len(replies)}")
            elif problem := check(expect, replies[0]):
                failures.append(f"{where}: {problem}")
        failures += [f"reply to an id never sent: {key[1][:60]!r} -> {msgs[0]}" for key, msgs in by_id.items()]

        if Counter(code for code, _ in expected_null) != Counter(null_codes):
            # The spec does not order replies, but this server answers id-null errors inline and in order,
            # so the first mismatch in sequence names the line most likely at fault.
            first = next((i for i, (e, g) in enumerate(zip(expected_null, null_codes)) if e[0] != g), min(len(expected_null), len(null_codes)))
            culprit = expected_null[first][1] if first < len(expected_null) else "(extra replies)"
            failures.append(f"id-null replies: expected {len(expected_null)} {dict(Counter(c for c, _ in expected_null))}, "
                            f"got {len(null_codes)} {dict(Counter(null_codes))}; first divergence at {culprit}, got "
                            f"{null_codes[first] if first < len(null_codes) else 'nothing'}")
        assert not failures, f"{len(failures)} failure(s):\n" + "\n".join(failures[:25])
        assert_clean_exit(server, code, seconds)
    finally:
        server.stop()


def test_oversized_line_is_rejected_and_server_keeps_working(tmp_path):
    server = Server(tmp_path, watchdog_s=60)
    try:
        garbage = random.Random(SEED).randbytes(40 * MIB).replace(b"\n", b"#")
        writer = threading.Thread(target=lambda: (server.send(garbage), server.send(b'{"jsonrpc":"2.0","id":7,"method":"ping"}')), daemon=True)
        writer.start()
        first, second = (loads(server.proc.stdout.readline().decode()) for _ in range(2))
        writer.join(timeout=30)
        assert first.get("id") is None and "id" in first and int(first["error"]["code"]) == -32600, first
        assert "limit" in first["error"]["message"], first
        assert second == {"jsonrpc": "2.0", "id": "7", "result": {}} and isinstance(second["id"], Num), second
        rest, code, seconds = server.close()
        assert rest == [], f"unexpected output after the ping: {rest[:3]}"
        assert_clean_exit(server, code, seconds)
    finally:
        server.stop()

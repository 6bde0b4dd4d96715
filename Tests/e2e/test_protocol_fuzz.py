"""Protocol fuzz of `senior-backend serve` (JSON-RPC 2.0 + MCP, one message per line on stdio).

10,000 deterministic lines (every method, valid and not, bad envelopes and params, notifications, garbage,
deep nesting, huge strings, one 16 MiB message) go through one server process; the outcome each line must
have under JSON-RPC 2.0 and MCP is computed beside it and checked against what came back.
"""
from __future__ import annotations

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
# Page size 1 makes the server issue real cursors for tools/list and resources/list.
ENV = {**os.environ, "SENIOR_BACKEND_DIAGNOSTICS": "1", "SENIOR_BACKEND_PAGE_SIZE": "1"}
SEED, LINES, MIB = 20261125, 10_000, 1 << 20
FINAL_PING = b'{"jsonrpc":"2.0","id":"final","method":"ping"}'
CRASH_MARKERS = ("Fatal error", "Segmentation", "Illegal instruction")
ROUTE, DIAG = "route_to_specialist", "diagnostics"
LISTS = {"tools/list": "tools", "resources/list": "resources", "prompts/list": "prompts",
         "resources/templates/list": "resourceTemplates"}


class Num(str):
    """A JSON number kept as its exact text: an id such as 2**53+1 must come back digit for digit."""


class Raw(str):
    """JSON text spliced into a message as is."""


@dataclass(frozen=True)
class Expect:
    """What one line must produce. id: ("s", text) or ("n", number text); None means an id-null error.
    want: an error code, "result", "tool_ok", "tool_error" or "silent" (no reply at all).
    detail: member the result holds / text the error names / structuredContent subset of a tool result."""
    id: tuple | None
    want: int | str
    detail: object = ""


def loads(text):
    def reject(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_int=Num, parse_float=Num, parse_constant=reject)


def id_key(value):
    if value is None:
        return None
    return ("n", str(value)) if isinstance(value, Num) else ("s", value) if isinstance(value, str) else ("?", repr(value))


BAD_ARGUMENTS = [  # (tool, arguments, text the isError result must contain)
    (ROUTE, {"concern": 5}, "concern"), (ROUTE, {"concern": ""}, "concern"), (ROUTE, {"concern": None}, "concern"),
    (ROUTE, {"concern": ["slo"]}, "concern"), (ROUTE, {}, "concern"), (ROUTE, {"concern": "x" * 2001}, "concern"),
    *[(ROUTE, {"concern": "slo", "answered_questions": bad}, "answered_questions") for bad in ([0], [8], [1, 1], [1.5], "1,2")],
    (ROUTE, {"concern": "slo", "extra_field": 1}, "extra_field"), (DIAG, {"bogus": True}, "bogus"),
    (DIAG, {"sleep_ms": -1}, "sleep_ms"), (DIAG, {"sleep_ms": 60001}, "sleep_ms"), (DIAG, {"sleep_ms": "10"}, "sleep_ms"),
    (DIAG, {"result_kib": 65537}, "result_kib"), (DIAG, {"result_kib": 0.5}, "result_kib"), (DIAG, {"payload": 7}, "payload"),
    *[(tool, bad, "object") for tool in (ROUTE, DIAG) for bad in ("x", [], 5, None, True)],  # arguments not an object
]
BAD_CALL_PARAMS = [{}, {"arguments": {"concern": "slo"}}, {"name": 5}, {"name": None}, {"name": "Route_To_Specialist"},
                   {"name": "no_such_tool", "arguments": {}}]
UNKNOWN_METHODS = ["", "foo", "tools/List", "rpc.discover", "notifications/initialized", "resources/subscribe",
                   "completion/complete", "sampling/createMessage", "ping ", "ünïcødé/方法"]
NOTIFICATIONS = [  # (method, params): no id, so no reply whatever the method or params
    ("notifications/initialized", None), ("notifications/progress", {"progressToken": "t", "progress": 1}),
    ("notifications/cancelled", {"requestId": "never-sent"}), ("notifications/cancelled", {"requestId": -10**12}),
    ("notifications/roots/list_changed", {}), ("ping", None), ("tools/call", {"name": DIAG}), ("foo/bar", Raw("[1,2]")),
    ("tools/list", Raw('"x"')), ("", None)]
NOT_OBJECT_PARAMS = ["[]", '["route_to_specialist"]', '"x"', "5", "true", "null"]
BAD_JSONRPC = [None, Raw('"1.0"'), Raw("2.0"), Raw('"2.00"'), Raw("null"), Raw('["2.0"]')]
BAD_METHOD = [[], [("method", 5)], [("method", None)], [("method", {})], [("method", ["ping"])]]
BAD_IDS = ["null", "true", "false", "{}", '{"a":1}', "[]", "[1]"]
BATCHED = '{"jsonrpc":"2.0","id":"in-batch","method":"ping"}'  # must get no reply: the batch is rejected whole
NOT_REQUESTS = ["1", "-2.5e3", '"ping"', "true", "false", "null", "{}", "[]", "[1,2,3]", "[{}]", f"[{BATCHED}]",
                f"[{BATCHED},{BATCHED}]", '[{"jsonrpc":"2.0","method":"notifications/initialized"}]']
BAD_STRING_BYTES = [b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82",
                    b"\x00", b"\x01", b"\t", b"\x1f"]  # invalid UTF-8, raw control characters
NOT_JSON_START = bytes(b for b in range(256) if b not in b' \t\r\n{["tfn-0123456789')


@dataclass
class Gen:
    """Generation state: the seeded rng, a counter that keeps every id unique, what the server issued."""
    rng: random.Random
    cursors: dict
    uris: list
    n: int = 100_000

    def pick(self, options):
        return self.rng.choice(options)

    def next(self):
        self.n += 1
        return self.n

    def new_id(self):
        """A fresh valid id of a random type, as (JSON text, key)."""
        n, kind = self.next(), self.rng.randrange(8)
        if kind < 3:
            text = [f"req-{n}", f"ид-{n}-日本語-🚀", f'q"\\/\t\u0000{n}-🚀'][kind]
            return json.dumps(text, ensure_ascii=self.rng.random() < 0.5), ("s", text)
        raw = [str(n), str(-n), str(2**53 + 2 * n + 1), f"{n}.5", f"{n}e3"][kind - 3]
        return raw, ("n", raw)

    def message(self, members):
        """A JSON object from (name, value) pairs in random order and spacing; Raw values go in as they are."""
        members, colon = list(members), self.pick([":", ": "])
        self.rng.shuffle(members)
        ascii_only = self.rng.random() < 0.5
        return "{" + ",".join(f"{json.dumps(k)}{colon}{v if isinstance(v, Raw) else json.dumps(v, ensure_ascii=ascii_only)}"
                              for k, v in members) + "}"

    def request(self, method, params=None, want="result", detail="", id_raw=None, jsonrpc=Raw('"2.0"')):
        raw, key = (id_raw, id_key(loads(id_raw))) if id_raw is not None else self.new_id()
        members = [("id", Raw(raw)), ("method", method)] + ([("jsonrpc", jsonrpc)] if jsonrpc is not None else [])
        return self.message(members + ([("params", params)] if params is not None else [])), Expect(key, want, detail)

    # ---- case generators: each returns (line, Expect) ----

    def c_initialize(self):
        if self.rng.random() < 0.3:
            return self.request("initialize", self.pick([{}, {"protocolVersion": 20250618}, {"capabilities": {}}]), -32602)
        version = self.pick(["2025-11-25", "2025-06-18", "2024-11-05", "1999-01-01"])
        params = {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}}
        return self.request("initialize", params, "result", "protocolVersion")

    def c_ping(self):
        return self.request("ping", self.pick([None, {}, {"_meta": {"note": "ok"}}]))

    def c_list(self):
        method = self.pick(list(LISTS))
        cursor = self.pick([None] + self.cursors[method])
        return self.request(method, None if cursor is None else {"cursor": cursor}, "result", LISTS[method])

    def c_bad_cursor(self):  # never issued, issued for another list, mangled, or not a string
        method = self.pick(["tools/list", "resources/list", "prompts/list"])
        foreign = [c for m, cs in self.cursors.items() if m != method for c in cs] + [c + "x" for c in self.cursors[method]]
        cursor = self.pick(foreign + ["", "bm9wZQ==", "%%%", f"cursor-{self.next()}", 5, True, {}, ["x"]])
        return self.request(method, {"cursor": cursor}, -32602)

    def c_read(self):
        roll = self.rng.random()
        if roll < 0.5:
            return self.request("resources/read", {"uri": self.pick(self.uris)}, "result", "contents")
        if roll < 0.8:
            uri = self.pick([f"senior-backend://references/no-{self.next()}.md", "file:///etc/passwd", "", "senior-backend://"])
            return self.request("resources/read", {"uri": uri}, -32002)
        return self.request("resources/read", self.pick([{}, {"uri": 5}, {"uri": None}, {"url": self.uris[0]}]), -32602)

    def c_prompt(self):
        if self.rng.random() < 0.5:
            problem = self.pick(["Orders API p99 is 2s under load.", "多租户 Postgres schema? 🚀", "x" * 500])
            params = {"name": "backend-review", "arguments": {"problem": problem}}
            return self.request("prompts/get", params, "result", "messages")
        params, detail = self.pick([
            ({"name": "backend-review"}, "problem"), ({"name": "backend-review", "arguments": {}}, "problem"),
            ({"name": "backend-review", "arguments": {"problem": 5}}, "problem"),
            ({"name": f"no-prompt-{self.next()}"}, ""), ({}, ""), ({"name": 7}, "")])
        return self.request("prompts/get", params, -32602, detail)

    def c_set_level(self):
        if self.rng.random() < 0.6:
            return self.request("logging/setLevel", {"level": self.pick(["debug", "info", "warning", "critical", "emergency"])})
        return self.request("logging/setLevel", self.pick([{"level": "verbose"}, {"level": "WARNING"}, {"level": 3}, {}]), -32602)

    def c_call_ok(self):
        meta = {"_meta": {"progressToken": f"tok-{self.next()}"}} if self.rng.random() < 0.2 else {}
        if self.rng.random() < 0.5:
            args = {"concern": self.pick(["slo", "api-contract", "our p99 latency keeps breaching", "zzqx",
                                       "the office coffee machine is broken", "ошибка базы данных 🚀"])}
            if self.rng.random() < 0.5:
                args["answered_questions"] = self.rng.sample(range(1, 8), self.rng.randint(0, 7))
            return self.request("tools/call", {"name": ROUTE, "arguments": args, **meta}, "tool_ok")
        if self.rng.random() < 0.1:  # every diagnostics argument is optional
            return self.request("tools/call", {"name": DIAG, **meta}, "tool_ok", {"payload_bytes": 0})
        payload = "".join(self.pick("ab€🚀\n\"\\\u0000") for _ in range(self.rng.randint(0, 64)))
        sleep = self.rng.randint(0, 20)
        args = {"sleep_ms": sleep, "result_kib": self.rng.randint(0, 8), "payload": payload}
        return self.request("tools/call", {"name": DIAG, "arguments": args, **meta}, "tool_ok",
                         {"payload_bytes": len(payload.encode()), "slept_ms": sleep})

    def c_call_bad_args(self):
        tool, args, needle = self.pick(BAD_ARGUMENTS)
        return self.request("tools/call", {"name": tool, "arguments": args}, "tool_error", needle)

    def c_notification(self):
        method, params = self.pick(NOTIFICATIONS)
        members = [("jsonrpc", "2.0"), ("method", method)] + ([("params", params)] if params is not None else [])
        return self.message(members), Expect(None, "silent")

    def c_bad_envelope(self):  # wrong or missing jsonrpc / method, valid id: -32600 echoing the id
        if self.rng.random() < 0.5:
            return self.request("ping", None, -32600, jsonrpc=self.pick(BAD_JSONRPC))
        raw, key = self.new_id()
        return self.message([("jsonrpc", "2.0"), ("id", Raw(raw))] + self.pick(BAD_METHOD)), Expect(key, -32600)

    def c_client_response(self):  # a response to a request the server never sent: nothing to answer
        raw, key = self.new_id()
        body = self.pick([("result", {}), ("error", {"code": -1, "message": "no"})])
        return self.message([("jsonrpc", "2.0"), ("id", Raw(raw)), body]), Expect(key, "silent")

    def c_truncated(self):  # a proper prefix of an object is never valid JSON
        text = self.pick([Gen.c_ping, Gen.c_initialize, Gen.c_call_ok, Gen.c_read])(self)[0].encode()
        return text[:self.rng.randint(1, len(text) - 1)], Expect(None, -32700)

    def c_padded(self):  # JSON whitespace around a message, CRLF line ending
        text, expect = self.pick([Gen.c_ping, Gen.c_list])(self)
        return self.pick([" ", "\t", " \t "]) + text + self.pick([" ", "\t", "\r", " \r"]), expect


CASES = [  # (name, weight, generator)
    ("initialize", 3, Gen.c_initialize), ("ping", 4, Gen.c_ping), ("list methods", 6, Gen.c_list),
    ("bad cursor", 3, Gen.c_bad_cursor), ("resources/read", 4, Gen.c_read), ("prompts/get", 4, Gen.c_prompt),
    ("logging/setLevel", 3, Gen.c_set_level), ("tools/call ok", 6, Gen.c_call_ok), ("tools/call bad arguments", 6, Gen.c_call_bad_args),
    ("tools/call bad params", 3, lambda g: g.request("tools/call", g.pick(BAD_CALL_PARAMS), -32602)),
    ("params not an object", 3, lambda g: g.request(
        g.pick(["ping", "initialize", "tools/list", "tools/call", "resources/read", "prompts/get", "logging/setLevel"]),
        Raw(g.pick(NOT_OBJECT_PARAMS)), -32602)),
    ("unknown method", 3, lambda g: g.request(g.pick(UNKNOWN_METHODS), g.pick([None, {}]), -32601)),
    ("notification", 5, Gen.c_notification), ("client response", 1, Gen.c_client_response),
    ("bad jsonrpc/method", 4, Gen.c_bad_envelope),
    ("invalid id", 3, lambda g: (g.message([("jsonrpc", "2.0"), ("id", Raw(g.pick(BAD_IDS))), ("method", "ping")]),
                                 Expect(None, -32600))),
    ("not an object / batch", 3, lambda g: (g.pick(NOT_REQUESTS), Expect(None, -32600))),
    ("truncated", 4, Gen.c_truncated),
    ("trailing garbage", 2, lambda g: (Gen.c_ping(g)[0] + g.pick(["}", " x", "{}", ",", " 1", "\x00"]), Expect(None, -32700))),
    ("random bytes", 5, lambda g: (bytes([g.pick(NOT_JSON_START)]) + g.rng.randbytes(g.pick([0, 3, 40, 500, 4000]))
                                   .replace(b"\n", b"\x00"), Expect(None, -32700))),
    ("bad utf-8 / control char", 3, lambda g: (g.request("ping", {"_meta": {"note": "@@"}})[0].encode()
                                               .replace(b"@@", b"a" + g.pick(BAD_STRING_BYTES) + b"z"), Expect(None, -32700))),
    ("padded", 2, Gen.c_padded),
    ("blank", 1, lambda g: (g.pick(["", " ", "\t\t", "\r"]), Expect(None, "silent"))),  # an empty line is no message
]


def nest(depth, opening="[", closing="]", inner="0"):
    return opening * depth + inner + closing * depth


ONCE = [  # (name, generator): each placed exactly once, at a random position
    *[(f"id {raw}", lambda g, raw=raw: g.request("ping", id_raw=raw)) for raw in ['""', "0", "-1", "1.5", "1e3"]],
    ("id 2**53+1", lambda g: g.request("tools/list", id_raw=str(2**53 + 1), detail="tools")),
    ("id 256 KiB string", lambda g: g.request("ping", id_raw=json.dumps("i" * (256 << 10)))),
    ("depth 100 array", lambda g: (nest(100), Expect(None, -32600))),
    ("depth 100 object", lambda g: (nest(99, '{"a":', "}", "{}"), Expect(None, -32600))),
    ("depth 100 in params", lambda g: g.request("ping", Raw(nest(1, '{"deep":', "}", nest(100))))),
    # Past the parser's nesting bound the text cannot be parsed, so its id cannot be known: -32700, id null.
    ("depth 100000 array", lambda g: (nest(100_000), Expect(None, -32700))),
    ("depth 100000 object", lambda g: (nest(99_999, '{"a":', "}", "{}"), Expect(None, -32700))),
    ("depth 100000 in params", lambda g: (g.request("ping", Raw(nest(1, '{"deep":', "}", nest(100_000))))[0],
                                          Expect(None, -32700))),
    ("1 MiB concern", lambda g: g.request("tools/call", {"name": ROUTE, "arguments": {"concern": "c" * MIB}},
                                          "tool_error", "concern")),
    ("1 MiB method", lambda g: g.request("m" * MIB, None, -32601)),
    ("1 MiB uri", lambda g: g.request("resources/read", {"uri": "u" * MIB}, -32002)),
    ("4 MiB bare string", lambda g: (json.dumps("s" * 4 * MIB), Expect(None, -32600))),
    ("2 MiB unicode payload", lambda g: g.request("tools/call", {"name": DIAG, "arguments": {"payload": "é🚀" * (MIB // 3)}},
                                                  "tool_ok", {"payload_bytes": 6 * (MIB // 3)})),
    ("16 MiB payload", lambda g: g.request("tools/call", {"name": DIAG, "arguments": {"payload": "0123456789abcdef" * MIB}},
                                           "tool_ok", {"payload_bytes": 16 * MIB})),
]


def generate(rng, cursors, uris):
    g = Gen(rng, cursors, uris)
    plan = rng.choices(CASES, weights=[w for _, w, _ in CASES], k=LINES - len(ONCE))
    for position, (name, maker) in zip(sorted(rng.sample(range(LINES), len(ONCE))), ONCE):
        plan.insert(position, (name, 0, maker))
    lines, expects, labels = [], [], []
    for name, _, maker in plan:
        line, expect = maker(g)
        line = line if isinstance(line, bytes) else line.encode()
        assert b"\n" not in line, name
        lines.append(line), expects.append(expect), labels.append(name)
    return lines, expects, labels


class Server:
    def __init__(self, tmp_path, watchdog_s):
        assert os.access(BIN, os.X_OK), f"no server binary at {BIN} (set SENIOR_BACKEND_BIN)"
        self.stderr_path, self.watchdog_s, self.killed = tmp_path / "stderr.txt", watchdog_s, False
        with open(self.stderr_path, "wb") as stderr:
            self.proc = subprocess.Popen([BIN, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=ENV)
        # A hang ends as EOF on stdout, not as a stuck test.
        self.watchdog = threading.Timer(watchdog_s, lambda: (setattr(self, "killed", True), self.proc.kill()))
        self.watchdog.start()

    def send(self, line):
        self.proc.stdin.write(line + b"\n")
        self.proc.stdin.flush()

    def rpc(self, method, params=None):
        """One request while nothing else is in flight; returns its result."""
        self.send(json.dumps({"jsonrpc": "2.0", "id": "setup", "method": method, "params": params or {}}).encode())
        reply = json.loads(self.proc.stdout.readline())
        assert reply.get("id") == "setup" and "result" in reply, reply
        return reply["result"]

    def stream(self, lines):
        """Writes lines, then FINAL_PING, from a thread while this thread reads stdout.
        Returns the stdout lines before the ping's reply, and that reply (None if it never came)."""
        def write():
            try:
                for line in lines + [FINAL_PING]:
                    self.send(line)
            except OSError:
                pass  # the server is gone; the missing replies tell
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        out = []
        while raw := self.proc.stdout.readline():
            if b'"final"' in raw and (reply := json.loads(raw)).get("id") == "final":
                writer.join()
                return out, reply
            out.append(raw)
        return out, None

    def close(self):
        """Closes stdin; returns the remaining stdout lines and any problem with the exit or stderr."""
        start = time.monotonic()
        try:
            self.proc.stdin.close()
        except OSError:
            pass  # the server is gone already
        rest, code = self.proc.stdout.readlines(), self.proc.wait(timeout=10)
        seconds, stderr = time.monotonic() - start, self.stderr_path.read_text(errors="replace")
        problems = [f"stderr shows a crash ({m}): {stderr[-1500:]}" for m in CRASH_MARKERS if m in stderr]
        return rest, problems + ([] if code == 0 and seconds < 5 else [f"exit code {code} {seconds:.1f}s after stdin closed"])

    def stop(self):
        self.watchdog.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def handshake(server):
    """initialize, then walk every list to learn the cursors and resource URIs the server issues."""
    server.rpc("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "0"}})
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
    assert {ROUTE, DIAG} <= {t["name"] for t in items["tools"]} and cursors["tools/list"]
    return cursors, [r["uri"] for r in items["resources"]]


def parse_stdout(raw_lines, failures):
    """Checks each stdout line is one JSON-RPC 2.0 object; returns replies by id key and id-null error codes in order."""
    by_id, null_codes = defaultdict(list), []
    for raw in raw_lines:
        try:
            assert raw.endswith(b"\n"), "unterminated line"
            msg = loads(raw.decode("utf-8"))
            assert isinstance(msg, dict) and msg.get("jsonrpc") == "2.0", "not a JSON-RPC 2.0 object"
            if "id" not in msg:  # a notification from the server (progress, log)
                assert str(msg.get("method")).startswith("notifications/"), "neither a response nor a notification"
                continue
            assert ("result" in msg) != ("error" in msg), "needs exactly one of result and error"
            error = msg.get("error", {"code": Num(0), "message": ""})
            assert isinstance(error.get("code"), Num) and isinstance(error.get("message"), str), "malformed error"
        except (AssertionError, ValueError) as problem:
            failures.append(f"stdout line {raw[:200]!r}: {problem}")
            continue
        if msg["id"] is None:
            null_codes.append(int(msg["error"]["code"]) if "error" in msg else "result")
        else:
            by_id[id_key(msg["id"])].append(msg)
    return by_id, null_codes


def check(expect, msg):
    """None when the reply fits the expectation, else what is wrong."""
    if isinstance(expect.want, int):
        if "error" not in msg:
            return f"expected error {expect.want}, got a result"
        code, message = int(msg["error"]["code"]), msg["error"]["message"]
        ok = code == expect.want and expect.detail in message
        return None if ok else f"expected error {expect.want} naming {expect.detail!r}, got {code}: {message[:200]}"
    if "result" not in msg:
        return f"expected {expect.want}, got error {msg['error']['code']}: {msg['error']['message'][:200]}"
    result = msg["result"]
    if not isinstance(result, dict) or expect.want == "result":
        ok = isinstance(result, dict) and (not expect.detail or expect.detail in result)
        return None if ok else f"result lacks {expect.detail!r}: {str(result)[:200]}"
    text = " ".join(c.get("text", "") for c in result.get("content", []) if isinstance(c, dict))
    if expect.want == "tool_error":
        ok = result.get("isError") is True and expect.detail in text
        return None if ok else f"expected isError naming {expect.detail!r}, got isError={result.get('isError')}: {text[:200]}"
    if result.get("isError") is not False or not text:
        return f"expected a successful tool result, got isError={result.get('isError')}: {text[:200]}"
    want = expect.detail or {}
    got = {k: int(v) for k, v in result.get("structuredContent", {}).items() if k in want}
    return None if got == want else f"structuredContent {got} != {want}"


def test_protocol_fuzz(tmp_path):
    server = Server(tmp_path, watchdog_s=60)
    try:
        lines, expects, labels = generate(random.Random(SEED), *handshake(server))
        assert len(lines) == LINES and sum(len(line) > 16 * MIB for line in lines) == 1
        out, ping = server.stream(lines)
        rest, failures = server.close()
        by_id, null_codes = parse_stdout(out + rest, failures)
        expected_null, unanswered = [], []
        for index, (expect, label) in enumerate(zip(expects, labels)):
            where = f"line {index} [{label}] {lines[index][:100]!r}"
            if expect.id is None:
                expected_null += [] if expect.want == "silent" else [(expect.want, where)]
                continue
            replies = by_id.pop(expect.id, [])
            if expect.want == "silent":
                failures += [f"{where}: expected no reply, got {str(replies[0])[:200]}"] if replies else []
            elif len(replies) != 1:
                failures.append(f"{where}: expected one reply with id {expect.id[1][:40]!r}, got {len(replies)}")
                unanswered += [] if expect.want in ("tool_ok", "tool_error") else [where]
            elif problem := check(expect, replies[0]):
                failures.append(f"{where}: {problem}")
        failures += [f"reply with an id never sent: {key[1][:60]!r}: {str(msgs[0])[:200]}" for key, msgs in by_id.items()]
        want_codes = [code for code, _ in expected_null]
        if Counter(want_codes) != Counter(null_codes):
            # Replies are unordered in general, but this server answers id-null errors inline, in line order,
            # so where the two sequences first differ hints at the line at fault.
            i = next((i for i, (a, b) in enumerate(zip(want_codes, null_codes)) if a != b), min(len(want_codes), len(null_codes)))
            failures.append(f"id-null replies: expected {len(want_codes)} {dict(Counter(want_codes))}, got {len(null_codes)} "
                            f"{dict(Counter(null_codes))}; first difference near {(expected_null + [(0, 'the end')])[i][1]}")
        if ping != {"jsonrpc": "2.0", "id": "final", "result": {}}:
            # Tool calls answer from tasks; the first unanswered line that is not one bounds where the server stalled.
            failures.insert(0, f"the ping after the fuzz lines got {ping}" + (
                f" (killed after {server.watchdog_s}s); it stalled at or after {unanswered[:1]}" if server.killed else ""))
        assert not failures, f"{len(failures)} failure(s):\n" + "\n".join(failures[:25])
    finally:
        server.stop()


def test_oversized_line_is_rejected_and_server_keeps_working(tmp_path):
    server = Server(tmp_path, watchdog_s=40)
    try:
        out, ping = server.stream([random.Random(SEED).randbytes(40 * MIB).replace(b"\n", b"#")])
        assert len(out) == 1, f"expected one reply to the 40 MiB line, got {out}"
        error = loads(out[0].decode())
        assert "id" in error and error["id"] is None, error
        assert int(error["error"]["code"]) == -32600 and "limit" in error["error"]["message"], error
        assert ping == {"jsonrpc": "2.0", "id": "final", "result": {}}, ping
        rest, problems = server.close()
        assert rest == [] and not problems, (rest, problems)
    finally:
        server.stop()

"""`scaffold`: the generated Express service is hardened by default, checked end to end under node.

Tokens are signed here with a throw-away RSA key pair (Python `cryptography`); the server verifies them
with Debian's node-jose. Rate limits are then probed with `senior-backend load-test`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from test_scaffold_express import (BIN, FIXTURES, NODE_PATH, Server, compile_project, free_port, require_node_tools,
                                  scaffold)

ISSUER = "https://issuer.test"
AUDIENCE = "orders-api"
PARTNER_KEY = "partner-key-7f3c9a"  # the key a client sends; the server is given only its SHA-256

HANDLERS = {
    "listOrders": """\
import type { ListOrdersRequest } from "../generated/operations";
import { ok, type HandlerResult } from "../generated/runtime";

export async function listOrders(request: ListOrdersRequest): Promise<HandlerResult> {
  const subject: string = request.auth.subject;
  return ok({ orders: [], subject, scopes: request.auth.scopes });
}
""",
    "getMe": """\
import type { GetMeRequest } from "../generated/operations";
import { ok, type HandlerResult } from "../generated/runtime";

export async function getMe(request: GetMeRequest): Promise<HandlerResult> {
  return ok({ subject: request.auth.subject, scheme: request.auth.scheme });
}
""",
    "partnerReport": """\
import type { PartnerReportRequest } from "../generated/operations";
import { ok, type HandlerResult } from "../generated/runtime";

export async function partnerReport(request: PartnerReportRequest): Promise<HandlerResult> {
  return ok({ subject: request.auth.subject });
}
""",
    "login": """\
import type { LoginRequest } from "../generated/operations";
import { fail, type HandlerResult } from "../generated/runtime";

export async function login(request: LoginRequest): Promise<HandlerResult> {
  void request;
  return fail(401, "INVALID_CREDENTIALS", "wrong email or password");
}
""",
    "getStatus": """\
import type { GetStatusRequest } from "../generated/operations";
import { ok, type HandlerResult } from "../generated/runtime";

// Slow on purpose when asked (?slow), so that a shutdown finds a request in flight.
const host = globalThis as unknown as { setTimeout(callback: () => void, ms: number): void; console: { log(line: string): void } };

export async function getStatus(request: GetStatusRequest): Promise<HandlerResult> {
  const slow = typeof request.raw.query.slow === "string";
  if (slow) {
    host.console.log("slow request in flight");
    await new Promise<void>((resolve) => host.setTimeout(resolve, 1500));
  }
  return ok({ status: "up", slow });
}
""",
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Keys:
    def __init__(self):
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_pem = self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def jwks(self, kid: str) -> dict:
        numbers = self.private.public_key().public_numbers()

        def b64int(value: int) -> str:
            return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))

        return {"keys": [{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64int(numbers.n),
                          "e": b64int(numbers.e)}]}

    def token(self, alg: str = "RS256", kid: str | None = None, **overrides) -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-42", "iat": now, "exp": now + 3600,
                  "scope": "orders:read profile"}
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        header = {"alg": alg, "typ": "JWT", **({} if kid is None else {"kid": kid})}
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
        data = signing_input.encode()
        if alg == "RS256":
            signature = self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "HS256":  # the classic confusion: the public key used as an HMAC secret
            signature = hmac.new(self.public_pem.encode(), data, hashlib.sha256).digest()
        else:  # "none"
            signature = b""
        return f"{signing_input}.{b64(signature)}"


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> pathlib.Path:
    require_node_tools()
    root = tmp_path_factory.mktemp("hardened")
    for name, text in HANDLERS.items():
        handler = root / f"src/handlers/{name}.ts"
        handler.parent.mkdir(parents=True, exist_ok=True)
        handler.write_text(text)
    result = scaffold(FIXTURES / "hardened.yaml", root)
    assert result["required_configuration"] == ["AUTH_BEARER_AUTH_JWKS_URL or AUTH_BEARER_AUTH_PUBLIC_KEY",
                                                 "AUTH_PARTNER_KEY_KEYS"], result
    compile_project(root)
    return root


def configured_env(keys: Keys, **extra: str) -> dict:
    return {"AUTH_BEARER_AUTH_PUBLIC_KEY": keys.public_pem, "AUTH_BEARER_AUTH_ISSUER": ISSUER,
            "AUTH_BEARER_AUTH_AUDIENCE": AUDIENCE,
            "AUTH_PARTNER_KEY_KEYS": hashlib.sha256(PARTNER_KEY.encode()).hexdigest(), **extra}


@pytest.fixture(scope="module")
def server(project, keys):
    # The default limit is raised here so that only the login route's own limit (x-rate-limit) applies.
    running = Server(project, env=configured_env(keys, RATE_LIMIT_MAX="1000000"))
    yield running
    running.stop()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_valid_token_reaches_the_handler_with_its_principal(server, keys):
    status, headers, body = server.request("GET", "/api/v1/orders", headers=bearer(keys.token()))
    assert status == 200, body
    assert body == {"orders": [], "subject": "user-42", "scopes": ["orders:read", "profile"]}
    status, _, body = server.request("GET", "/api/v1/me", headers=bearer(keys.token(scope=None)))
    assert (status, body) == (200, {"subject": "user-42", "scheme": "bearerAuth"})


# Times are taken when the test runs, not when pytest collects it: a long suite ran this one 16 minutes after
# collection, when "600 s from now" had passed and the token was valid.
@pytest.mark.parametrize("case, overrides", [
    ("expired beyond the leeway", lambda now: {"exp": now - 120}),
    ("not yet valid", lambda now: {"nbf": now + 600}),
    ("another audience", lambda now: {"aud": "billing-api"}),
    ("another issuer", lambda now: {"iss": "https://evil.test"}),
    ("no expiry", lambda now: {"exp": None}),
])
def test_bad_claims_get_401(server, keys, case, overrides):
    token = keys.token(**overrides(int(time.time())))
    status, headers, body = server.request("GET", "/api/v1/me", headers=bearer(token))
    assert status == 401, (case, body)
    assert body["error"]["code"] == "UNAUTHENTICATED" and body["meta"]["requestId"]
    assert headers.get("WWW-Authenticate") == "Bearer"


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_unsigned_and_hmac_with_the_public_key_get_401(server, keys, alg):
    status, _, body = server.request("GET", "/api/v1/me", headers=bearer(keys.token(alg=alg)))
    assert status == 401, (alg, body)


def test_a_token_from_another_key_gets_401(server):
    status, _, _ = server.request("GET", "/api/v1/me", headers=bearer(Keys().token()))
    assert status == 401


def test_a_missing_scope_gets_403_naming_it(server, keys):
    status, _, body = server.request("GET", "/api/v1/orders", headers=bearer(keys.token(scope="profile")))
    assert status == 403, body
    assert body["error"]["code"] == "FORBIDDEN"
    assert "orders:read" in body["error"]["message"]


@pytest.mark.parametrize("key, expected", [(PARTNER_KEY, 200), ("partner-key-7f3c9b", 401), ("", 401), (None, 401)])
def test_api_keys_are_checked_against_their_hashes(server, key, expected):
    headers = {} if key is None else {"X-API-Key": key}
    status, _, body = server.request("GET", "/api/v1/partner/report", headers=headers)
    assert status == expected, body
    if expected == 200:
        assert body == {"subject": "key#1"}


def test_responses_carry_security_headers_and_the_request_id(server):
    status, headers, body = server.request("GET", "/api/v1/status", headers={"X-Request-Id": "trace-abc.123"})
    assert status == 200
    assert headers["X-Request-Id"] == "trace-abc.123"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    for name in ("Content-Security-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Opener-Policy",
                 "Cross-Origin-Resource-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert headers.get(name), name
    assert "X-Powered-By" not in headers
    assert "Access-Control-Allow-Origin" not in headers  # CORS is off unless CORS_ORIGINS is set
    # A malformed id is replaced; errors carry the same id in the envelope.
    status, headers, body = server.request("GET", "/api/v1/nothing", headers={"X-Request-Id": "bad id; DROP"})
    assert status == 404 and headers["X-Request-Id"] != "bad id; DROP"
    assert body["meta"]["requestId"] == headers["X-Request-Id"]
    status, headers, body = server.request("POST", "/api/v1/subscriptions", b'{"email": "x"}',
                                           {"Content-Type": "application/json", "X-Request-Id": "r-1"})
    assert status == 400 and body["meta"]["requestId"] == "r-1" and headers["X-Request-Id"] == "r-1"


def test_health_routes_live_outside_the_base_path(server):
    assert server.request("GET", "/healthz")[0] == 200
    status, _, body = server.request("GET", "/readyz")
    assert (status, body) == (200, {"status": "ready"})
    assert server.request("GET", "/api/v1/healthz")[0] == 404


def test_the_login_route_is_rate_limited_with_standard_headers(project, keys):
    # RATE_LIMIT_MAX empty: the built-in default (100 per 900 s), which Server otherwise raises.
    server = Server(project, env=configured_env(keys, RATE_LIMIT_MAX=""))
    try:
        body = json.dumps({"email": "a@example.com", "password": "correct horse"}).encode()
        replies = [server.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
                   for _ in range(6)]
        assert [status for status, _, _ in replies] == [401] * 5 + [429]
        first_headers = replies[0][1]
        assert first_headers["RateLimit-Policy"] == '"default";q=100;w=900, "login";q=5;w=60'
        assert first_headers["RateLimit"].startswith('"login";r=4;t=')
        status, headers, body = replies[5]
        assert body["error"]["code"] == "RATE_LIMITED" and body["meta"]["requestId"]
        assert 1 <= int(headers["Retry-After"]) <= 60
        # Another client (a principal, not this address) has its own window.
        status, _, _ = server.request("GET", "/api/v1/me", headers=bearer(keys.token()))
        assert status == 200
    finally:
        server.stop()


def load_test(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "load-test", *args, "--json"], capture_output=True, timeout=120)


def test_load_test_sees_the_limit_on_login_only(server):
    base = f"http://127.0.0.1:{server.port}/api/v1"
    credentials = '{"email": "a@example.com", "password": "correct horse"}'
    limited = load_test(f"{base}/auth/login", "--method", "POST", "--body", credentials, "--expect-rate-limit",
                        "--requests", "40", "--concurrency", "2")
    assert limited.returncode == 0, limited.stdout.decode()[-2000:] + limited.stderr.decode()[-2000:]
    unlimited = load_test(f"{base}/status", "--expect-rate-limit", "--requests", "40", "--concurrency", "2")
    assert unlimited.returncode == 1, unlimited.stdout.decode()[-2000:]
    bad_body = load_test(f"{base}/subscriptions", "--method", "POST", "--body", '{"email": "not-an-email"}',
                         "--expect-status", "400", "--requests", "40", "--concurrency", "2")
    assert bad_body.returncode == 0, bad_body.stdout.decode()[-2000:]


def test_unconfigured_schemes_fail_closed_and_are_named_at_start(project, keys):
    server = Server(project, env={"RATE_LIMIT_MAX": "1000000"})
    try:
        assert server.request("GET", "/api/v1/me", headers=bearer(keys.token()))[0] == 401
        assert server.request("GET", "/api/v1/partner/report", headers={"X-API-Key": PARTNER_KEY})[0] == 401
        assert server.request("GET", "/api/v1/status")[0] == 200
    finally:
        server.stop()
    log = server.process.stdout.read().decode()
    assert "bearerAuth: set AUTH_BEARER_AUTH_JWKS_URL or AUTH_BEARER_AUTH_PUBLIC_KEY" in log, log
    assert "partnerKey: set AUTH_PARTNER_KEY_KEYS" in log, log


@pytest.mark.parametrize("variable, value, message", [
    ("AUTH_BEARER_AUTH_ALGORITHMS", "HS256", "'HS256' is refused"),
    ("AUTH_BEARER_AUTH_ALGORITHMS", "none", "'none' is refused"),
    ("AUTH_PARTNER_KEY_KEYS", "not-a-digest", "entry 1 is not a SHA-256 hex digest"),
    ("RATE_LIMIT_MAX", "many", "RATE_LIMIT_MAX must be a whole number"),
])
def test_unusable_configuration_stops_the_start_with_the_variable_named(project, keys, variable, value, message):
    env = {**os.environ, **configured_env(keys), variable: value, "NODE_PATH": NODE_PATH, "PORT": "0"}
    done = subprocess.run(["node", "dist/server.js"], cwd=project, env=env, capture_output=True, timeout=30)
    assert done.returncode == 1
    assert message in done.stderr.decode(), done.stderr.decode()


def test_the_access_log_has_one_json_line_per_request_and_no_secrets(project, keys):
    server = Server(project, env=configured_env(keys, RATE_LIMIT_MAX="1000000"))
    token = keys.token()
    try:
        server.request("GET", "/api/v1/me", headers={**bearer(token), "X-Request-Id": "log-1"})
        server.request("GET", f"/api/v1/partner/report?key={PARTNER_KEY}", headers={"X-API-Key": PARTNER_KEY,
                                                                                   "X-Request-Id": "log-2"})
    finally:
        server.stop()
    log = server.process.stdout.read().decode()
    entries = [json.loads(line) for line in log.splitlines() if line.startswith("{") and '"msg":"request"' in line]
    by_id = {entry["requestId"]: entry for entry in entries}
    assert by_id["log-1"]["status"] == 200 and by_id["log-1"]["principal"] == "bearerAuth:user-42"
    assert by_id["log-2"]["path"] == "/api/v1/partner/report" and by_id["log-2"]["principal"] == "partnerKey:key#1"
    for secret in (token, token.split(".")[2], PARTNER_KEY):
        assert secret not in log


def test_sigterm_drains_the_request_in_flight_then_exits(project, keys):
    server = Server(project, env=configured_env(keys, RATE_LIMIT_MAX="1000000"))
    reply: dict = {}

    def slow_request() -> None:
        reply["value"] = server.request("GET", "/api/v1/status?slow=1")

    worker = threading.Thread(target=slow_request)
    worker.start()
    for _ in range(100):  # the handler says when it has the request; bounded
        line = server.process.stdout.readline().decode()
        if "slow request in flight" in line or line == "":
            break
    assert "slow request in flight" in line
    server.process.terminate()
    worker.join(timeout=30)
    assert server.process.wait(timeout=30) == 0
    assert reply["value"][0] == 200 and reply["value"][2] == {"status": "up", "slow": True}


def test_keys_from_a_jwks_url(project, keys):
    document = json.dumps(keys.jwks("k1")).encode()

    class Jwks(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args) -> None:
            pass

    issuer = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=issuer.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{issuer.server_address[1]}/.well-known/jwks.json"
    server = Server(project, env={"AUTH_BEARER_AUTH_JWKS_URL": url, "AUTH_BEARER_AUTH_AUDIENCE": AUDIENCE})
    try:
        status, _, body = server.request("GET", "/api/v1/me", headers=bearer(keys.token(kid="k1")))
        assert status == 200, body
        assert server.request("GET", "/api/v1/me", headers=bearer(Keys().token(kid="k1")))[0] == 401
        assert server.request("GET", "/api/v1/me", headers=bearer(keys.token(kid="k2")))[0] == 401
    finally:
        server.stop()
        issuer.shutdown()


def test_cors_allows_only_the_listed_origins(project, keys):
    server = Server(project, env={"CORS_ORIGINS": "https://app.example.com, https://admin.example.com"})
    try:
        for origin, allowed in [("https://app.example.com", True), ("https://evil.example.com", False)]:
            preflight = {"Origin": origin, "Access-Control-Request-Method": "POST",
                         "Access-Control-Request-Headers": "content-type"}
            status, headers, _ = server.request("OPTIONS", "/api/v1/subscriptions", headers=preflight)
            assert status == 204, (origin, status)
            assert headers.get("Access-Control-Allow-Origin") == (origin if allowed else None), (origin, headers)
            _, headers, _ = server.request("GET", "/api/v1/status", headers={"Origin": origin})
            assert headers.get("Access-Control-Allow-Origin") == (origin if allowed else None), (origin, headers)
            if allowed:
                assert "X-Request-Id" in headers["Access-Control-Expose-Headers"]
    finally:
        server.stop()


def test_generate_spec_reads_the_limits_and_security_back(project, tmp_path):
    output = tmp_path / "roundtrip.json"
    done = subprocess.run([BIN, "scaffold", str(project / "src"), "--generate-spec", "--output", str(output), "--json"],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    spec = json.loads(output.read_text())
    assert spec["paths"]["/auth/login"]["post"]["x-rate-limit"] == {"max": 5, "windowSeconds": 60}
    assert "x-rate-limit" not in spec["paths"]["/status"]["get"]
    assert spec["paths"]["/orders"]["get"]["security"] == [{"bearerAuth": ["orders:read"]}]
    assert spec["components"]["securitySchemes"]["partnerKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}


class Redis:
    """Debian's redis-server on a free loopback port, without persistence."""

    def __init__(self):
        if shutil.which("redis-server") is None or not pathlib.Path(NODE_PATH, "redis").is_dir():
            pytest.fail("the shared-store test needs Debian's redis-server and node-redis: "
                        "apt-get install -y redis-server node-redis (scripts/install-deps.sh --test)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        for _ in range(200):  # bounded: 10 s
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start listening")

    def cli(self, *command: str) -> str:
        done = subprocess.run(["redis-cli", "-p", str(self.port), *command], capture_output=True, timeout=10)
        return done.stdout.decode().strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def test_the_readmes_redis_store_shares_the_limits_between_instances(tmp_path, keys):
    """The generated README's Redis recipe, copied as a user would, makes two instances share one limit."""
    require_node_tools()
    redis = Redis()
    servers: list[Server] = []
    try:
        project = tmp_path / "shared"
        scaffold(FIXTURES / "hardened.yaml", project)
        store, wiring = re.findall(r"```ts\n(.*?)```", (project / "README.md").read_text(), re.S)
        assert store.startswith("// src/redis-store.ts\n")
        (project / "src/redis-store.ts").write_text(store)
        app = project / "src/app.ts"
        text, count = re.subn(r"  const rateLimiter = new RateLimiter\(new MemoryRateLimitStore\(\), .*\n",
                              "".join("  " + line + "\n" for line in wiring.splitlines()), app.read_text())
        assert count == 1
        app.write_text('import { redisRateLimitStore } from "./redis-store";\n' + text)
        modules = project / "node_modules"  # what `npm install redis` would leave
        modules.mkdir()
        for package in ("redis", "@redis"):
            (modules / package).symlink_to(pathlib.Path(NODE_PATH, package))
        compile_project(project)
        env = configured_env(keys, RATE_LIMIT_MAX="", REDIS_URL=redis.url)
        servers = [Server(project, env=env), Server(project, env=env)]
        body = json.dumps({"email": "a@example.com", "password": "correct horse"}).encode()
        replies = [servers[index % 2].request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
                   for index in range(6)]
        # Alternating instances: each saw 3 requests, so only a shared count reaches the limit of 5.
        assert [status for status, _, _ in replies] == [501] * 5 + [429], replies
        assert replies[5][1]["RateLimit"].startswith('"login";r=0;t=')
        assert 1 <= int(replies[5][1]["Retry-After"]) <= 60
        assert redis.cli("GET", "ratelimit:login|ip:127.0.0.1") == "6"
        assert 0 < int(redis.cli("PTTL", "ratelimit:login|ip:127.0.0.1")) <= 60_000
    finally:
        for server in servers:
            server.stop()
        redis.stop()

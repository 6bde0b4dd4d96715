"""`scaffold` end to end: the generated Express project compiles with Debian's tsc and serves real requests.

Needs Debian's node-typescript, node-express, node-cors and node-jose (scripts/install-deps.sh --test); the
generated app runs with NODE_PATH=/usr/share/nodejs and listens on 127.0.0.1 only.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
FIXTURES = ROOT / "Tests/ScaffoldTests/Fixtures"
NODE_PATH = "/usr/share/nodejs"


def require_node_tools() -> None:
    missing = [tool for tool in ("tsc", "node") if shutil.which(tool) is None]
    if missing or not all(pathlib.Path(NODE_PATH, module).is_dir() for module in ("express", "cors", "jose")):
        pytest.fail("scaffold e2e needs Debian's node-typescript, node-express, node-cors and node-jose: "
                    "apt-get install -y node-typescript node-express node-cors node-jose "
                    "(scripts/install-deps.sh --test)")


def scaffold(spec: pathlib.Path, output: pathlib.Path, *extra: str) -> dict:
    done = subprocess.run([BIN, "scaffold", str(spec), "--framework", "express", "--output", str(output),
                           "--json", *extra], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def compile_project(project: pathlib.Path) -> None:
    done = subprocess.run(["tsc", "-p", "."], cwd=project, capture_output=True, timeout=300)
    assert done.returncode == 0, (done.stdout + done.stderr).decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`node dist/server.js` of a compiled project on a free loopback port; `env` adds variables.

    The default rate limit (100 requests per 15 min per client) is raised unless `env` sets it: these
    suites send more than that from one address; test_scaffold_hardening checks the limit itself.
    """

    def __init__(self, project: pathlib.Path, node_path: str = NODE_PATH, env: dict | None = None):
        self.project = project
        self.port = free_port()
        env = {**os.environ, "RATE_LIMIT_MAX": "1000000", **(env or {}), "NODE_PATH": node_path,
               "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.process = subprocess.Popen(["node", "dist/server.js"], cwd=project, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.process.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("server did not start listening")

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, dict | None]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, reply_headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, raw = error.code, dict(error.headers), error.read()
        return status, reply_headers, (json.loads(raw) if raw else None)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def expect_validation_error(reply: tuple[int, dict, dict | None], field: str) -> None:
    status, _, body = reply
    assert status == 400, reply
    assert body["error"]["code"] == "VALIDATION_ERROR", body
    assert field in [detail["field"] for detail in body["error"]["details"]], body
    assert body["meta"]["requestId"]


FIND_PET_HANDLER = """\
import type { FindPetByIdRequest } from "../generated/operations";
import { ok, type HandlerResult } from "../generated/runtime";

export async function findPetById(request: FindPetByIdRequest): Promise<HandlerResult> {
  const id: number = request.path.id;
  return ok({ id, name: "rex", doubled: id * 2 });
}
"""


@pytest.fixture(scope="module")
def petstore(tmp_path_factory):
    require_node_tools()
    project = tmp_path_factory.mktemp("petstore")
    # One implemented handler, written first: scaffold creates handlers only when missing.
    handler = project / "src/handlers/findPetById.ts"
    handler.parent.mkdir(parents=True)
    handler.write_text(FIND_PET_HANDLER)
    result = scaffold(FIXTURES / "petstore-expanded.yaml", project)
    assert {"path": "src/handlers/findPetById.ts", "action": "kept", "generated": False} in result["files"]
    assert handler.read_text() == FIND_PET_HANDLER
    compile_project(project)
    server = Server(project)
    yield server
    server.stop()


def test_valid_request_reaches_the_typed_handler(petstore):
    status, headers, body = petstore.request("GET", "/v2/pets/21")
    assert status == 200, body
    assert body == {"id": 21, "name": "rex", "doubled": 42}
    assert headers.get("X-Request-Id")


def test_unimplemented_handler_answers_501_with_the_envelope(petstore):
    status, _, body = petstore.request("GET", "/v2/pets?limit=5&tags=a&tags=b")
    assert status == 501
    assert body["error"]["code"] == "NOT_IMPLEMENTED"
    assert body["meta"]["requestId"]
    status, _, body = petstore.request("POST", "/v2/pets", json.dumps({"name": "rex", "tag": "dog"}).encode(),
                                       {"Content-Type": "application/json"})
    assert status == 501, body


def test_invalid_path_query_and_body_get_400_naming_the_field(petstore):
    expect_validation_error(petstore.request("GET", "/v2/pets/abc"), "path.id")
    expect_validation_error(petstore.request("GET", "/v2/pets?limit=ten"), "query.limit")
    expect_validation_error(petstore.request("GET", "/v2/pets?limit=1.5"), "query.limit")
    json_header = {"Content-Type": "application/json"}
    expect_validation_error(petstore.request("POST", "/v2/pets", b'{"tag": 5}', json_header), "body.name")
    expect_validation_error(petstore.request("POST", "/v2/pets", b'{"name": "x", "tag": 5}', json_header), "body.tag")
    expect_validation_error(petstore.request("POST", "/v2/pets", b'{"name": ', json_header), "body")
    expect_validation_error(petstore.request("POST", "/v2/pets"), "body")


def test_unknown_path_is_404_in_the_envelope(petstore):
    status, _, body = petstore.request("GET", "/v2/nothing-here")
    assert status == 404 and body["error"]["code"] == "NOT_FOUND"


def test_rerun_keeps_handlers_and_refuses_hand_edits_in_generated(tmp_path):
    require_node_tools()
    spec = FIXTURES / "petstore-expanded.yaml"
    scaffold(spec, tmp_path)
    again = scaffold(spec, tmp_path)
    assert again["counts"]["created"] == 0 and again["counts"]["updated"] == 0
    types = tmp_path / "src/generated/types.ts"
    types.write_text(types.read_text() + "\n// hand edit\n")
    done = subprocess.run([BIN, "scaffold", str(spec), "--output", str(tmp_path)], capture_output=True, timeout=60)
    assert done.returncode == 2 and b"src/generated/types.ts" in done.stderr
    forced = scaffold(spec, tmp_path, "--force")
    assert {"path": "src/generated/types.ts", "action": "updated", "generated": True} in forced["files"]


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    require_node_tools()
    project = tmp_path_factory.mktemp("secured")
    scaffold(FIXTURES / "security.yaml", project, "--error-format", "problem+json")
    # src/app.ts is the user's: give one scheme a hook, as a user would.
    app = project / "src/app.ts"
    text = app.read_text()
    hook = ('  apiKey_header: async (credential) => (credential === "s3cret" ? '
            '{ scheme: "apiKey_header", subject: "tester", scopes: [], claims: {} } : null),\n')
    text, count = re.subn(r"(export const securityHooks: SecurityHooks = \{\n)", r"\1" + hook.replace("\\", "\\\\"),
                          text)
    assert count == 1
    app.write_text(text)
    compile_project(project)
    server = Server(project)
    yield server
    server.stop()


def test_protected_operations_fail_closed_with_401(secured):
    for method, path, headers in [
        ("PUT", "/anything/apiKey", {}),                                   # no credentials
        ("PUT", "/anything/apiKey", {"X-API-KEY": "wrong"}),               # refused by the hook
        ("GET", "/anything/apiKey", {}),                                   # query api key missing
        ("GET", "/anything/apiKey?apiKey=anything", {}),                   # AUTH_API_KEY_QUERY_KEYS unset
        ("POST", "/anything/bearer", {"Authorization": "Bearer abc"}),     # AUTH_BEARER_* unset
        ("POST", "/anything/basic", {"Authorization": "Basic dTpw"}),      # no built-in verifier, no hook
    ]:
        status, reply_headers, body = secured.request(method, path, headers=headers)
        assert status == 401, (method, path, body)
        assert reply_headers["Content-Type"].startswith("application/problem+json")
        assert body["status"] == 401 and body["code"] == "UNAUTHENTICATED" and body["requestId"]
    _, reply_headers, _ = secured.request("POST", "/anything/bearer")
    assert reply_headers.get("WWW-Authenticate") == "Bearer"


@pytest.fixture(scope="module")
def keyed(secured):
    """The secured project with its query and cookie API keys configured (as SHA-256 digests)."""
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    server = Server(secured.project, env={
        "AUTH_API_KEY_QUERY_KEYS": f"{digest('query-key-1')}, {digest('query-key-2')}",
        "AUTH_API_KEY_COOKIE_KEYS": digest("cookie-key")})
    yield server
    server.stop()


@pytest.mark.parametrize("method, path, headers, expected", [
    ("GET", "/anything/apiKey?apiKey=query-key-1", {}, 501),
    ("GET", "/anything/apiKey?apiKey=query-key-2", {}, 501),                 # the second configured key
    ("GET", "/anything/apiKey?apiKey=query-key-3", {}, 401),
    ("GET", "/anything/apiKey?apiKey=", {}, 401),
    ("GET", "/anything/apiKey", {"Cookie": "apiKey=query-key-1"}, 401),      # a query key, sent as a cookie
    ("POST", "/anything/apiKey", {"Cookie": "a=1; api_key=cookie-key; b=2"}, 501),
    ("POST", "/anything/apiKey", {"Cookie": "api_key=cookie-kez"}, 401),
    ("POST", "/anything/apiKey?api_key=cookie-key", {}, 401),                 # a cookie key, sent in the query
])
def test_query_and_cookie_api_keys_are_checked_against_their_hashes(keyed, method, path, headers, expected):
    status, _, body = keyed.request(method, path, headers=headers)
    assert status == expected, body
    assert body["code"] == ("NOT_IMPLEMENTED" if expected == 501 else "UNAUTHENTICATED"), body


def test_accepted_credentials_and_open_operations_reach_the_handler(secured):
    status, _, body = secured.request("PUT", "/anything/apiKey", headers={"X-API-KEY": "s3cret"})
    assert status == 501 and body["code"] == "NOT_IMPLEMENTED", body
    status, _, body = secured.request("POST", "/anything/no-auth")
    assert status == 501, body

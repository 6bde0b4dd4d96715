"""`scaffold` on the shared corpus of real OpenAPI documents, and on a spec served over HTTP.

- Every document except Swagger 2.0 scaffolds for Express, Fastify and Koa, with one handler per operation
  the manifest counts.
- The Express output of every small/, features/ and medium/ document, and of DigitalOcean's multi-file
  spec (multifile/: 659 operations in ~2,900 files, integer bounds beyond 2^53), compiles with Debian's
  tsc (strict). large/ is left out for time; Fastify and Koa output is type-checked in ScaffoldTests.
- A multi-file spec fetched from a loopback HTTP server resolves its relative $refs against the URL.
"""
from __future__ import annotations

import concurrent.futures
import functools
import http.server
import json
import os
import pathlib
import socket
import subprocess
import threading

import pytest

from test_scaffold_express import BIN, FIXTURES, ROOT, compile_project, require_node_tools

CORPUS = FIXTURES / "corpus/openapi"


def manifest() -> list[dict]:
    path = CORPUS / "manifest.json"
    if not path.is_file():
        pytest.fail(f"the shared corpus is missing: {path}")
    return json.loads(path.read_text())


DOCUMENTS = [entry for entry in manifest() if not entry["file"].startswith("swagger2/")]
COMPILED_FOLDERS = ("small", "features", "medium", "multifile")
COMPILED = [entry for entry in DOCUMENTS if entry["file"].split("/")[0] in COMPILED_FOLDERS]


def run_scaffold(spec: str, output: pathlib.Path, framework: str = "express") -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "scaffold", spec, "--framework", framework, "--output", str(output), "--json"],
                          capture_output=True, timeout=120)


FRAMEWORKS = ("express", "fastify", "koa")


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> dict[tuple[str, str], tuple[pathlib.Path, dict]]:
    """Every corpus document scaffolded once per framework, two at a time."""
    root = tmp_path_factory.mktemp("corpus")

    def one(job: tuple[dict, str]) -> tuple[tuple[str, str], tuple[pathlib.Path, dict]]:
        entry, framework = job
        output = root / framework / entry["file"].replace("/", "__")
        done = run_scaffold(str(CORPUS / entry["file"]), output, framework)
        assert done.returncode == 0, f"{entry['file']} ({framework}): {done.stderr.decode()}"
        return (entry["file"], framework), (output, json.loads(done.stdout))

    jobs = [(entry, framework) for entry in DOCUMENTS for framework in FRAMEWORKS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, jobs))


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("entry", DOCUMENTS, ids=lambda entry: entry["file"])
def test_every_operation_gets_a_handler(entry, framework, scaffolded):
    output, result = scaffolded[(entry["file"], framework)]
    assert result["framework"] == framework
    assert len(result["operations"]) == entry["operations"], result["warnings"][:5]
    for operation in result["operations"]:
        assert (output / operation["handler_file"]).is_file(), operation


@functools.cache
def compile_results(outputs: tuple[pathlib.Path, ...]) -> dict[pathlib.Path, str | None]:
    def one(project: pathlib.Path) -> tuple[pathlib.Path, str | None]:
        try:
            compile_project(project)
            return project, None
        except AssertionError as failure:
            return project, str(failure)[:4000]

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, outputs))


@pytest.mark.parametrize("entry", COMPILED, ids=lambda entry: entry["file"])
def test_express_output_compiles_with_strict_tsc(entry, scaffolded):
    require_node_tools()
    outputs = tuple(scaffolded[(item["file"], "express")][0] for item in COMPILED)
    failure = compile_results(outputs)[scaffolded[(entry["file"], "express")][0]]
    assert failure is None, failure


DIGITALOCEAN = "multifile/digitalocean/specification/DigitalOcean-public.v2.yaml"

RECORD_CHECK = """
const { validate } = require("./dist/generated/validation.js");
const { operations } = require("./dist/generated/operations.js");
const create = operations.find((operation) => operation.operationId === "domains_create_record");
const errors = (body) => { const found = []; validate(create.body.schema, body, "body", found); return found; };
console.log(JSON.stringify([
  errors({ type: "A", name: "www", data: "162.10.66.0", ttl: 1800 }),
  errors({ type: "MX", name: "@", data: "mail.example.com", priority: 10 }),
  errors({ type: "B", name: "www", data: "x" }),
]));
"""


def test_digitalocean_record_types_are_told_apart_by_their_mapped_tags(scaffolded):
    """The discriminator's mapping points into another file: tags A and MX pick their record type."""
    require_node_tools()
    project = scaffolded[(DIGITALOCEAN, "express")][0]
    outputs = tuple(scaffolded[(item["file"], "express")][0] for item in COMPILED)
    assert compile_results(outputs)[project] is None
    done = subprocess.run(["node", "-e", RECORD_CHECK], cwd=project, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    a_record, mx_record, unknown = json.loads(done.stdout)
    assert a_record == [] and mx_record == []
    assert unknown[0]["field"] == "body.type" and '"A"' in unknown[0]["message"], unknown


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The multi-file fixture; `/moved/...` redirects to `/...`, `/loop` to itself, `/truncated` lies about
    its length and closes."""

    def do_GET(self) -> None:
        if self.path.startswith("/moved/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/moved"):])
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"openapi: 3.0.3\n")
            self.close_connection = True
        else:
            super().do_GET()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def spec_server():
    handler = functools.partial(QuietHandler, directory=str(FIXTURES / "multi-file"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_spec_over_http_resolves_relative_refs_against_its_url(spec_server, tmp_path):
    done = run_scaffold(f"{spec_server}/openapi.yaml", tmp_path / "remote")
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert sorted(op["operation_id"] for op in result["operations"]) == [
        "addAnimal", "getAnimal", "listAnimals", "plantTree"]
    assert "export type Keeper = " in (tmp_path / "remote/src/generated/types.ts").read_text()


def test_a_missing_remote_spec_is_a_clear_error(spec_server, tmp_path):
    done = run_scaffold(f"{spec_server}/nowhere.yaml", tmp_path / "remote")
    assert done.returncode == 2
    assert "answered HTTP 404" in done.stderr.decode() + done.stdout.decode()
    assert not (tmp_path / "remote").exists()


def test_a_redirected_spec_is_followed_and_its_refs_resolve(spec_server, tmp_path):
    done = run_scaffold(f"{spec_server}/moved/openapi.yaml", tmp_path / "remote")
    assert done.returncode == 0, done.stderr.decode()
    assert len(json.loads(done.stdout)["operations"]) == 4


@pytest.mark.parametrize("path, message", [
    ("/loop", "redirected more than 5 times"),
    ("/truncated", "closed the connection before the answer was complete"),
])
def test_a_broken_remote_spec_is_a_clear_error(spec_server, tmp_path, path, message):
    done = run_scaffold(f"{spec_server}{path}", tmp_path / "remote")
    assert done.returncode != 0
    assert message in done.stderr.decode() + done.stdout.decode()
    assert not (tmp_path / "remote").exists()


def test_an_unreachable_spec_host_is_a_clear_error(tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    done = run_scaffold(f"http://127.0.0.1:{port}/openapi.yaml", tmp_path / "remote")
    assert done.returncode != 0
    assert f"http://127.0.0.1:{port}/openapi.yaml" in done.stderr.decode() + done.stdout.decode()

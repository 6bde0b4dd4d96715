"""`scaffold` end to end under schemathesis: the generated Express app's validation and security layer.

For each document: scaffold with the release binary, replace every handler stub with a test handler
(it answers the operation's first documented 2xx status with an `X-Handler` header and echoes what
it received), give every security scheme a hook that accepts one known credential, compile with
Debian's tsc, run on loopback with Debian's node-express, and drive it with `schemathesis run`:

- positive cases (valid data) must reach the handler: `positive_data_acceptance` (2xx) and
  `handler_reached` (every 2xx carries the handler's header);
- negative cases must be rejected: `negative_data_rejection` with 400 (401 when the mutation drops
  the credentials, 415 for a wrong media type, 404/405 when the mutated path names no operation), and
  every 400 carries VALIDATION_ERROR with field details (`error_envelope`);
- requests without or with wrong credentials get 401 UNAUTHENTICATED (`ignored_auth`, `error_envelope`;
  a hook accepting any credential makes `ignored_auth` fail on every secured operation);
- nothing answers 5xx (`not_a_server_error`); undeclared methods get 405 (`unsupported_method`).

Response body checks (`response_schema_conformance` and friends) are off: the bodies come from the test
handlers, not from the generated code. Bounded and deterministic: fixed seed, deterministic generation,
MAX_EXAMPLES per operation, phases examples, coverage and fuzzing, no example database (about a
minute for the six documents on 2 cores). What schemathesis finds today is listed in KNOWN_FAILURES,
each a strict xfail: a fix turns it into a failure asking to delete the entry.
"""
from __future__ import annotations

import base64
import fnmatch
import json
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

from test_scaffold_express import Server, compile_project, require_node_tools, scaffold

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "ScaffoldTests/Fixtures/corpus/openapi"
SCAFFOLD_FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "ScaffoldTests/Fixtures"
SCHEMATHESIS = pathlib.Path(sys.executable).parent / "schemathesis"
CHECKS = pathlib.Path(__file__).resolve().parent / "schemathesis_checks.py"
SEED = 20261125
MAX_EXAMPLES = 8

API_KEY = "test-api-key"
BEARER = "test-token"
BASIC = ("tester", "s3cret")

# Not ours to judge: the bodies come from the test handlers; the stateful checks need a real backend.
EXCLUDED_CHECKS = [
    "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "use_after_free", "ensure_resource_availability",
    "object_level_authorization",
]

# Corpus documents (Tests/ScaffoldTests/Fixtures/corpus): petstore-expanded and museum, and four features/ ones.
DOCUMENTS = {
    "petstore-expanded": SCAFFOLD_FIXTURES / "petstore-expanded.yaml",
    "museum": FIXTURES / "small/redocly-museum-3.1.yaml",
    "schema-validation": FIXTURES / "features/readme-3.0-schema-validation.yaml",
    "security": SCAFFOLD_FIXTURES / "security.yaml",
    "parameters-style": FIXTURES / "features/readme-3.0-parameters-style.yaml",
    "train-travel": FIXTURES / "features/readme-3.1-train-travel.yaml",
}

# What schemathesis finds today: (document, operation pattern, schemathesis code, reason). Each entry is a
# strict xfail in test_known_failure_is_gone; fix the generated runtime, then delete the entry.
INT64_PRECISION = ("int64 max + 1 (2^63) parses to the same double as int64 max: JSON.parse and Number() "
                   "lose the difference before validation")
STYLE_AMBIGUOUS = ("style text is ambiguous: ',AAA' reads as the object {'': 'AAA'} and ';array=AAA' is both a "
                   "string and a one-item array; schemathesis also sends object values holding ',' or '='")
FORM_BODIES = ("multipart/form-data parts are text: schemathesis' non-string values for string fields (a number "
               "as `primitive`, `true` as an array item) arrive as valid strings, and style form objects are "
               "read as key,value pairs")
JSON_ONLY = "known limitation: only the JSON media type of a body is accepted; application/xml gets 415"
KNOWN_FAILURES = [
    ("petstore-expanded", "GET /pets/{id}", "ST201", INT64_PRECISION),
    ("petstore-expanded", "DELETE /pets/{id}", "ST201", INT64_PRECISION),
    ("parameters-style", "* /anything/form-data*", "ST201", FORM_BODIES),
    ("parameters-style", "* /anything/path/label/*", "ST201", STYLE_AMBIGUOUS),
    ("parameters-style", "* /anything/path/matrix/*", "ST201", STYLE_AMBIGUOUS),
    ("parameters-style", "*", "ST202", STYLE_AMBIGUOUS),
    ("train-travel", "POST /bookings", "ST202", JSON_ONLY),
    ("train-travel", "POST /bookings/{bookingId}/payment", "ST201", INT64_PRECISION),
]

HANDLER = """\
import type {{ HandlerResult }} from "../generated/runtime";

/** Test handler written by test_scaffold_schemathesis.py: reached means the request passed validation. */
export async function {name}(request: {{ path: unknown; query: unknown; headers: unknown; cookies: unknown; body: unknown }}): Promise<HandlerResult> {{
  const echo = {{ operation: "{name}", path: request.path, query: request.query, cookies: request.cookies, body: request.body }};
  return {{ status: {status}, headers: {{ "X-Handler": "{name}" }}, body: {body} }};
}}
"""


def success_status(operation: dict) -> int:
    codes = sorted(str(code) for code in operation.get("responses", {}))
    for code in codes:
        if code.startswith("2") and code.isdigit():
            return int(code)
    return 200


def write_test_handlers(project: pathlib.Path, spec: dict, result: dict) -> None:
    for operation in result["operations"]:
        definition = spec["paths"][operation["path"]][operation["method"].lower()]
        status = success_status(definition)
        name = operation["operation_id"]
        text = HANDLER.format(name=name, status=status, body="undefined" if status == 204 else "echo")
        (project / operation["handler_file"]).write_text(text)


def credentials(schemes: dict) -> tuple[dict[str, str], dict[str, dict]]:
    """The credential each scheme's hook accepts, and schemathesis' `auth.openapi` table sending it."""
    hooks, auth = {}, {}
    for name, scheme in schemes.items():
        kind, http = scheme.get("type"), str(scheme.get("scheme", "")).lower()
        if kind == "apiKey":
            hooks[name], auth[name] = API_KEY, {"api_key": API_KEY}
        elif kind == "http" and http == "basic":
            hooks[name] = base64.b64encode(":".join(BASIC).encode()).decode()
            auth[name] = {"username": BASIC[0], "password": BASIC[1]}
        elif kind in ("oauth2", "openIdConnect") or (kind == "http" and http == "bearer"):
            hooks[name], auth[name] = BEARER, {"bearer": BEARER}
    return hooks, auth


def install_security_hooks(project: pathlib.Path, hooks: dict[str, str]) -> None:
    app = project / "src/app.ts"
    text = app.read_text()
    for name, credential in hooks.items():
        commented = f"  // {json.dumps(name)}: async (credential, context) => null,"
        # The test's principal holds whatever scopes the operation asks for: schemathesis sends no real tokens.
        hook = (f"  {json.dumps(name)}: async (credential, context) => (credential === {json.dumps(credential)} ? "
                f"{{ scheme: {json.dumps(name)}, subject: \"tester\", scopes: context.scopes, claims: {{}} }} : null),")
        assert commented in text, (name, text)
        text = text.replace(commented, hook)
    app.write_text(text)


def toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid TOML basic string


def write_config(path: pathlib.Path, auth: dict[str, dict]) -> None:
    lines = [
        f"hooks = {toml_string(str(CHECKS))}",
        "[generation]",
        'database = "none"',
        "[checks.negative_data_rejection]",
        'expected-statuses = ["400", "401", "404", "405", "415"]',
        "[checks.positive_data_acceptance]",
        'expected-statuses = ["2XX"]',
    ]
    for name, values in auth.items():
        lines.append(f"[auth.openapi.{toml_string(name)}]")
        lines += [f"{key} = {toml_string(value)}" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n")


def failures_in(junit: pathlib.Path) -> dict[tuple[str, str], str]:
    """(operation, failure code) -> schemathesis' text, from its JUnit report (one testcase per operation)."""
    found = {}
    for testcase in ET.parse(junit).getroot().iter("testcase"):
        for failure in list(testcase.iter("failure")) + list(testcase.iter("error")):
            text = failure.text or failure.get("message", "")
            codes = re.findall(r"^- (ST\d+)", text, re.MULTILINE) or [failure.get("message", "error")]
            for code in codes:
                found[(testcase.get("name"), code)] = text
    return found


def run_schemathesis(spec_path: pathlib.Path, workdir: pathlib.Path) -> tuple[dict[tuple[str, str], str], str]:
    require_node_tools()
    spec = yaml.safe_load(spec_path.read_text())
    project = workdir / "project"
    result = scaffold(spec_path, project)
    write_test_handlers(project, spec, result)
    hooks, auth = credentials(spec.get("components", {}).get("securitySchemes", {}))
    install_security_hooks(project, hooks)
    compile_project(project)
    config = workdir / "schemathesis.toml"
    write_config(config, auth)
    junit = workdir / "junit.xml"
    server = Server(project)
    try:
        base = f"http://127.0.0.1:{server.port}{result['base_path'].rstrip('/')}"
        done = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(config), "--no-color", "run", str(spec_path), "--url", base,
             "--phases", "examples,coverage,fuzzing", "--mode", "all", "--max-examples", str(MAX_EXAMPLES),
             "--seed", str(SEED), "--generation-deterministic", "--workers", "1", "--checks", "all",
             "--exclude-checks", ",".join(EXCLUDED_CHECKS), "--request-timeout", "10",
             "--report", "junit", "--report-junit-path", str(junit)],
            capture_output=True, text=True, timeout=300, cwd=workdir)
    finally:
        server.stop()
    assert done.returncode in (0, 1) and junit.exists(), done.stdout[-4000:] + done.stderr[-4000:]
    return failures_in(junit), done.stdout


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Runs schemathesis once per document, on first use."""
    cache = {}

    def outcome(document_id: str):
        if document_id not in cache:
            cache[document_id] = run_schemathesis(DOCUMENTS[document_id], tmp_path_factory.mktemp(document_id))
        return cache[document_id]

    return outcome


def known(document_id: str, operation: str, code: str) -> str | None:
    for entry_document, pattern, entry_code, reason in KNOWN_FAILURES:
        if entry_document == document_id and entry_code == code and fnmatch.fnmatchcase(operation, pattern):
            return reason
    return None


@pytest.mark.parametrize("document_id", list(DOCUMENTS))
def test_schemathesis_finds_nothing_unknown(document_id, outcomes):
    failures, output = outcomes(document_id)
    unexpected = {key: text for key, text in failures.items() if known(document_id, *key) is None}
    report = "\n\n".join(f"{operation} {code}:\n{text}" for (operation, code), text in sorted(unexpected.items()))
    assert not unexpected, report[-20000:] + "\n" + output[-3000:]


@pytest.mark.parametrize(
    "document_id, pattern, code",
    [pytest.param(document_id, pattern, code, id=f"{document_id}-{pattern}-{code}",
                  marks=pytest.mark.xfail(strict=True, reason=reason))
     for document_id, pattern, code, reason in KNOWN_FAILURES])
def test_known_failure_is_gone(document_id, pattern, code, outcomes):
    """Each known failure, still present: xfail. Once fixed this passes, and strict xfail asks to drop the entry."""
    failures, _ = outcomes(document_id)
    present = [key for key in failures if key[1] == code and fnmatch.fnmatchcase(key[0], pattern)]
    assert not present, present

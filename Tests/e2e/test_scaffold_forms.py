"""`scaffold` end to end for form bodies: application/x-www-form-urlencoded reaches the Express handler
with the schema's types, and invalid fields get a 400 naming `body.<field>`.

Uses the corpus' readme-3.0-form-data.yaml and a spec of its own for arrays, booleans and `encoding`.
"""
from __future__ import annotations

import json
import pathlib
import urllib.parse

import pytest

from test_scaffold_express import Server, compile_project, expect_validation_error, require_node_tools, scaffold

CORPUS = pathlib.Path(__file__).resolve().parents[1] / "ScaffoldTests/Fixtures/corpus/openapi/features"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

ECHO_HANDLER = """\
import type {{ {type}Request }} from "../generated/operations";
import {{ ok, type HandlerResult }} from "../generated/runtime";

export async function {name}(request: {type}Request): Promise<HandlerResult> {{
  const body: Record<string, unknown> = {{ ...(request.body ?? {{}}) }};
  const types: Record<string, string> = {{}};
  for (const [key, value] of Object.entries(body)) types[key] = Array.isArray(value) ? "array" : typeof value;
  return ok({{ body, types }});
}}
"""

ORDERS_SPEC = """\
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    post:
      operationId: placeOrder
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: false
              required: [quantity]
              properties:
                quantity: {type: integer, minimum: 1}
                gift: {type: boolean}
                tags: {type: array, items: {type: integer}}
                codes: {type: array, items: {type: string}}
                address: {type: object, properties: {zip: {type: integer}}}
            encoding:
              codes: {style: pipeDelimited, explode: false}
              address: {style: deepObject}
      responses: {'200': {description: ok}}
"""


def start(project: pathlib.Path, spec: pathlib.Path, name: str, type_name: str) -> Server:
    handler = project / f"src/handlers/{name}.ts"
    handler.parent.mkdir(parents=True)
    handler.write_text(ECHO_HANDLER.format(name=name, type=type_name))
    result = scaffold(spec, project)
    assert not any("unvalidated" in warning for warning in result.get("warnings", [])), result
    compile_project(project)
    return Server(project)


@pytest.fixture(scope="module")
def readme_form(tmp_path_factory):
    require_node_tools()
    server = start(tmp_path_factory.mktemp("form-data"), CORPUS / "readme-3.0-form-data.yaml",
                   "demoFormData", "DemoFormData")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    require_node_tools()
    folder = tmp_path_factory.mktemp("orders")
    spec = folder / "orders.yaml"
    spec.write_text(ORDERS_SPEC)
    server = start(folder / "project", spec, "placeOrder", "PlaceOrder")
    yield server
    server.stop()


def post_form(server: Server, path: str, fields) -> tuple[int, dict, dict | None]:
    return server.request("POST", path, urllib.parse.urlencode(fields).encode(), FORM)


def test_a_valid_form_reaches_the_handler_with_coerced_types(readme_form):
    status, _, body = post_form(readme_form, "/anything", {"client_id": "app", "client_secret": "s3", "scope": "7"})
    assert status == 200, body
    assert body["body"] == {"client_id": "app", "client_secret": "s3", "scope": 7}
    assert body["types"]["scope"] == "number"


@pytest.mark.parametrize("fields, field", [
    ({"client_id": "app", "client_secret": "s3", "scope": "seven"}, "body.scope"),
    ({"client_secret": "s3"}, "body.client_id"),
    ([("client_id", "a"), ("client_id", "b"), ("client_secret", "s")], "body.client_id"),
])
def test_an_invalid_form_is_a_400_naming_the_field(readme_form, fields, field):
    expect_validation_error(post_form(readme_form, "/anything", fields), field)


def test_a_media_type_the_operation_does_not_declare_is_a_415(readme_form):
    status, _, body = readme_form.request("POST", "/anything", json.dumps({"client_id": "a"}).encode(),
                                          {"Content-Type": "application/json"})
    assert status == 415, body
    assert body["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert "application/x-www-form-urlencoded" in body["error"]["message"]


def test_the_optional_form_may_be_absent(readme_form):
    status, _, body = readme_form.request("POST", "/anything")
    assert status == 200, body
    assert body["body"] == {}


def test_arrays_booleans_and_encoded_styles_are_coerced(orders):
    fields = [("quantity", "2"), ("gift", "true"), ("tags", "1"), ("tags", "2"), ("codes", "a|b"),
              ("address[zip]", "12345")]
    status, _, body = post_form(orders, "/orders", fields)
    assert status == 200, body
    assert body["body"] == {"quantity": 2, "gift": True, "tags": [1, 2], "codes": ["a", "b"],
                            "address": {"zip": 12345}}
    assert body["types"] == {"quantity": "number", "gift": "boolean", "tags": "array", "codes": "array",
                             "address": "object"}


@pytest.mark.parametrize("fields, field", [
    ([("quantity", "0")], "body.quantity"),
    ([("quantity", "1"), ("gift", "maybe")], "body.gift"),
    ([("quantity", "1"), ("tags", "1"), ("tags", "x")], "body.tags[1]"),
    ([("quantity", "1"), ("address[zip]", "north")], "body.address.zip"),
    ([("quantity", "1"), ("coupon", "FREE")], "body.coupon"),
    ([("gift", "true")], "body.quantity"),
])
def test_invalid_fields_are_named_in_the_400(orders, fields, field):
    expect_validation_error(post_form(orders, "/orders", fields), field)


def test_a_required_form_body_must_be_sent(orders):
    expect_validation_error(orders.request("POST", "/orders"), "body")


UPLOAD_HANDLER = """\
import type {{ {type}Request }} from "../generated/operations";
import {{ ok, type HandlerResult }} from "../generated/runtime";
import {{ UploadedFile }} from "../generated/forms";

/** Echoes fields with their types; files as name, type, size and their first bytes as text. */
export async function {name}(request: {type}Request): Promise<HandlerResult> {{
  const describe = (value: unknown): unknown => value instanceof UploadedFile
    ? {{ filename: value.filename, contentType: value.contentType, size: value.size, text: String.fromCharCode(...value.data.subarray(0, 16)) }}
    : Array.isArray(value) ? value.map(describe) : value;
  const body: Record<string, unknown> = {{}};
  const types: Record<string, string> = {{}};
  for (const [key, value] of Object.entries((request.body ?? {{}}) as Record<string, unknown>)) {{
    body[key] = describe(value);
    types[key] = Array.isArray(value) ? "array" : typeof value;
  }}
  return ok({{ body, types }});
}}
"""


def multipart(parts: list[tuple], boundary: str = "XyZ-boundary") -> tuple[bytes, dict]:
    """parts: (name, text) or (name, filename, content type, bytes)."""
    chunks = []
    for part in parts:
        if len(part) == 2:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{part[0]}"\r\n\r\n'.encode()
                          + part[1].encode() + b"\r\n")
        else:
            name, filename, content_type, data = part
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                          f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture(scope="module")
def uploads(tmp_path_factory):
    require_node_tools()
    project = tmp_path_factory.mktemp("uploads")
    handlers = project / "src/handlers"
    handlers.mkdir(parents=True)
    # POST and PUT /anything/multipart-formdata get generated names: write the echo for both.
    result = scaffold(CORPUS / "readme-3.0-file-uploads.yaml", project, "--dry-run")
    for operation in result["operations"]:
        if operation["path"] == "/anything/multipart-formdata":
            name = operation["operation_id"]
            (project / operation["handler_file"]).write_text(
                UPLOAD_HANDLER.format(name=name, type=name[0].upper() + name[1:]))
    result = scaffold(CORPUS / "readme-3.0-file-uploads.yaml", project)
    assert [w for w in result["warnings"] if "unvalidated" in w and "multipart-formdata" in w] == [], result
    compile_project(project)
    server = Server(project)
    yield server
    server.stop()


def test_a_multipart_form_reaches_the_handler_with_coerced_fields_and_files(uploads):
    data = bytes(range(256)) * 8
    body, headers = multipart([("orderId", "12"), ("userId", "7"),
                               ("documentFile", "report.pdf", "application/pdf", b"%PDF-1.7 hello" + data)])
    status, _, reply = uploads.request("POST", "/anything/multipart-formdata", body, headers)
    assert status == 200, reply
    assert reply["body"] == {"orderId": 12, "userId": 7, "documentFile": {
        "filename": "report.pdf", "contentType": "application/pdf", "size": 14 + len(data), "text": "%PDF-1.7 hello\x00\x01"}}
    assert reply["types"] == {"orderId": "number", "userId": "number", "documentFile": "object"}


def test_several_files_under_one_name_are_an_array(uploads):
    body, headers = multipart([("filename", "a.txt", "text/plain", b"first"),
                               ("filename", "b.txt", "text/plain", b"second")])
    status, _, reply = uploads.request("PUT", "/anything/multipart-formdata", body, headers)
    assert status == 200, reply
    assert [item["filename"] for item in reply["body"]["filename"]] == ["a.txt", "b.txt"]
    assert [item["size"] for item in reply["body"]["filename"]] == [5, 6]


def test_an_invalid_multipart_field_is_a_400_naming_it(uploads):
    body, headers = multipart([("orderId", "twelve")])
    expect_validation_error(uploads.request("POST", "/anything/multipart-formdata", body, headers), "body.orderId")


def test_a_malformed_multipart_body_is_a_400(uploads):
    body, headers = multipart([("orderId", "1")])
    expect_validation_error(uploads.request("POST", "/anything/multipart-formdata", body[:-8], headers), "body")
    _, headers = multipart([])
    expect_validation_error(uploads.request("POST", "/anything/multipart-formdata", b"no parts here", headers), "body")


def test_a_multipart_body_over_the_limit_is_a_413(uploads):
    body, headers = multipart([("documentFile", "big.bin", "application/octet-stream", b"\0" * (10 * 1024 * 1024))])
    status, _, reply = uploads.request("POST", "/anything/multipart-formdata", body, headers)
    assert status == 413, reply
    assert reply["error"]["code"] == "PAYLOAD_TOO_LARGE"

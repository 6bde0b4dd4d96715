"""`scaffold --from-db` end to end: a real schema -> a project that compiles with Debian's tsc and serves
CRUD over HTTP against the same database with node-postgres.

Needs node-typescript, node-express and node-pg (scripts/install-deps.sh --test; where Debian's node-pg
cannot install beside a non-Debian nodejs, the script unpacks it to /opt/senior-backend/node-pg).
"""
from __future__ import annotations

import base64
import json
import os
import pathlib
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from test_scaffold_express import Server as ExpressServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
ADMIN = os.environ.get("SENIOR_BACKEND_TEST_PG")
FIXTURES = ROOT / "Tests/ScaffoldTests/Fixtures/from-db"
NODE_FOLDERS = ["/usr/share/nodejs", "/opt/senior-backend/node-pg/usr/share/nodejs"]
JSON_HEADER = {"Content-Type": "application/json"}


def node_path() -> str:
    folders = [folder for folder in NODE_FOLDERS if pathlib.Path(folder).is_dir()]
    missing = [module for module in ("express", "pg") if not any(pathlib.Path(f, module).is_dir() for f in folders)]
    if missing or shutil.which("tsc") is None or shutil.which("node") is None:
        pytest.fail("scaffold from_db e2e needs Debian's node-typescript, node-express and node-pg "
                    f"(missing: {missing or 'tsc/node'}): run scripts/install-deps.sh --test")
    return ":".join(folders)


def psql(url: str, *arguments: str) -> str:
    done = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qtA", *arguments], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class Server(ExpressServer):
    """The generated CRUD app with its database, and JSON calls."""

    def __init__(self, project: pathlib.Path, database: str, modules: str):
        super().__init__(project, node_path=modules, env={"DATABASE_URL": database})

    def call(self, method: str, path: str, body: object | None = None) -> tuple[int, dict, object | None]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers=JSON_HEADER if data is not None else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
        return status, headers, (json.loads(raw) if raw else None)

    def ok(self, method: str, path: str, body: object | None = None, status: int = 200):
        got, _, reply = self.call(method, path, body)
        assert got == status, (method, path, got, reply)
        return reply


def serve(tmp_path_factory, fixture: pathlib.Path, *extra: str):
    """Loads `fixture` into a fresh database, scaffolds it, compiles, starts the server; drops it all after."""
    modules = node_path()
    assert ADMIN, "SENIOR_BACKEND_TEST_PG is not set: run scripts/test.sh, which starts the test cluster"
    name = "e2e_from_db_" + uuid.uuid4().hex[:10]
    psql(ADMIN, "-c", f"CREATE DATABASE {name}")
    database = ADMIN.rsplit("/", 1)[0] + "/" + name
    server = None
    try:
        psql(database, "-f", str(fixture))
        project = tmp_path_factory.mktemp(fixture.stem)
        done = subprocess.run([BIN, "scaffold", "--from-db", database, "--output", str(project), "--json", *extra],
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        result = json.loads(done.stdout)
        assert result["source"] == "from_db" and (project / "openapi.json").is_file()
        compiled = subprocess.run(["tsc", "-p", "."], cwd=project, capture_output=True, timeout=300)
        assert compiled.returncode == 0, (compiled.stdout + compiled.stderr).decode()
        server = Server(project, database, modules)
        server.database = database
        yield server
    finally:
        if server is not None:
            server.stop()
        psql(ADMIN, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURES / "shop.sql")


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURES / "odd-names.sql", "--db-schema", 'we"ird')


def expect_400(reply, field: str) -> None:
    status, _, body = reply
    assert status == 400, reply
    assert body["error"]["code"] == "VALIDATION_ERROR", body
    assert field in [detail["field"] for detail in body["error"]["details"]], body


def collect_pages(server: Server, first: str) -> tuple[list[dict], int]:
    items, pages, path = [], 0, first
    while path is not None:
        page = server.ok("GET", path)
        items += page["items"]
        pages += 1
        path = page["next"]
        assert pages <= 20, "pagination does not end"
    return items, pages


def test_simple_table_create_get_list_update_delete(shop):
    created = [shop.ok("POST", "/customers", {"email": f"c{i}@example.com", "name": f"Customer {i}"}, 201)
               for i in range(5)]
    first = created[0]
    assert isinstance(first["id"], str) and first["note"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", first["created_at"]), first
    assert first["links"]["self"] == f"/customers/{first['id']}"
    assert first["links"]["orders"] == f"/customers/{first['id']}/orders"
    assert shop.ok("GET", first["links"]["self"]) == first

    items, pages = collect_pages(shop, "/customers?limit=2")
    assert [item["id"] for item in items] == [item["id"] for item in created] and pages == 3
    page = shop.ok("GET", "/customers?limit=2")
    assert page["next"].startswith("/customers?limit=2&cursor=") and page["next_cursor"]
    assert shop.ok("GET", "/customers?" + urllib.parse.urlencode({"email": "c3@example.com"}))["items"] == [created[3]]

    changed = shop.ok("PATCH", f"/customers/{first['id']}", {"note": "prefers mail", "name": "Renamed"})
    assert changed["note"] == "prefers mail" and changed["name"] == "Renamed" and changed["email"] == first["email"]
    shop.ok("DELETE", f"/customers/{created[4]['id']}", status=204)
    assert shop.call("GET", f"/customers/{created[4]['id']}")[0] == 404


def test_composite_key_table_and_nested_links(shop):
    customer = shop.ok("POST", "/customers", {"email": "lines@example.com", "name": "Lines"}, 201)
    shop.ok("POST", "/products", {"sku": "TEA-1", "title": "Green tea", "price": "3.50"}, 201)
    order = shop.ok("POST", "/orders", {"customer_id": customer["id"], "status": "paid", "placed_on": "2026-11-25"}, 201)
    assert order["links"]["customer"] == f"/customers/{customer['id']}" and order["placed_on"] == "2026-11-25"
    lines = [shop.ok("POST", "/order_lines", {"order_id": order["id"], "line_no": n, "sku": "TEA-1", "quantity": n,
                                               "unit_price": "3.50"}, 201) for n in range(1, 6)]
    assert lines[1]["line_total"] == "7.00" and lines[1]["links"]["self"] == f"/order_lines/{order['id']}/2"
    assert lines[1]["links"]["order"] == f"/orders/{order['id']}" and lines[1]["links"]["products"] == "/products/TEA-1"

    got = shop.ok("GET", f"/order_lines/{order['id']}/3")
    assert got == lines[2]
    items, pages = collect_pages(shop, f"/order_lines?limit=2&order_id={order['id']}")
    assert [(item["order_id"], item["line_no"]) for item in items] == [(order["id"], n) for n in range(1, 6)]
    assert pages == 3
    nested, _ = collect_pages(shop, f"/orders/{order['id']}/order_lines?limit=4")
    assert nested == items

    changed = shop.ok("PATCH", f"/order_lines/{order['id']}/3", {"quantity": 10})
    assert changed["quantity"] == 10 and changed["line_total"] == "35.00"
    shop.ok("DELETE", f"/order_lines/{order['id']}/5", status=204)
    assert shop.call("GET", f"/order_lines/{order['id']}/5")[0] == 404
    paid = shop.ok("GET", "/orders?status=paid")["items"]
    assert order["id"] in [item["id"] for item in paid]


def test_types_round_trip(shop):
    photo = base64.b64encode(bytes(range(256)) * 2).decode()
    product = {"sku": "MUG-Ü", "title": "Mug", "price": "1234567890.25", "tags": ["kitchen", "a,b", "{x}"],
               "attributes": {"colour": "blue", "sizes": [1, 2]}, "photo": photo, "active": False}
    created = shop.ok("POST", "/products", product, 201)
    assert {key: created[key] for key in product} == product
    assert created["links"]["self"] == "/products/MUG-%C3%9C"
    assert shop.ok("GET", created["links"]["self"]) == created
    # null is SQL NULL, also for jsonb (not the JSON null value).
    shop.ok("POST", "/products", {"sku": "NUL-1", "title": "None", "price": "0", "attributes": None}, 201)
    assert psql(shop.database, "-c", "SELECT attributes IS NULL FROM products WHERE sku = 'NUL-1'") == "t"
    warehouse = shop.ok("POST", "/warehouses", {"code": "AMS", "city": "Amsterdam"}, 201)
    stock = shop.ok("POST", "/stock", {"warehouse_code": "AMS", "sku": "MUG-Ü", "quantity": 4}, 201)
    assert stock["links"]["warehouses"] == warehouse["links"]["self"]
    assert stock["links"]["self"] == "/stock/AMS/MUG-%C3%9C"


def test_invalid_input_is_400_and_missing_rows_are_404(shop):
    expect_400(shop.call("POST", "/customers", {"name": "no email"}), "body.email")
    expect_400(shop.call("POST", "/customers", {"email": 5, "name": "x"}), "body.email")
    expect_400(shop.call("POST", "/customers", {"id": "7", "email": "x@example.com", "name": "x"}), "body.id")
    expect_400(shop.call("GET", "/orders/abc"), "path.id")
    expect_400(shop.call("GET", "/orders?limit=1000"), "query.limit")
    expect_400(shop.call("GET", "/orders?status=lost"), "query.status")
    expect_400(shop.call("GET", "/orders?cursor=bm90LWEtY3Vyc29y"), "query.cursor")
    expect_400(shop.call("PATCH", "/customers/1", {}), "body")
    # Refused by the database itself: the CHECK constraint on quantity names the request.
    customer = shop.ok("POST", "/customers", {"email": "check@example.com", "name": "C"}, 201)
    order = shop.ok("POST", "/orders", {"customer_id": customer["id"]}, 201)
    shop.ok("POST", "/products", {"sku": "CHK-1", "title": "Check", "price": "1"}, 201)
    status, _, body = shop.call("POST", "/order_lines", {"order_id": order["id"], "line_no": 1, "sku": "CHK-1",
                                                         "quantity": 0, "unit_price": "1"})
    assert status == 400 and "order_lines_quantity_check" in body["error"]["message"], body
    # A foreign key to nothing, a duplicate unique value: 409.
    status, _, body = shop.call("POST", "/orders", {"customer_id": "999999"})
    assert status == 409 and body["error"]["code"] == "CONFLICT", body
    shop.ok("POST", "/customers", {"email": "dup@example.com", "name": "D"}, 201)
    status, _, body = shop.call("POST", "/customers", {"email": "dup@example.com", "name": "D"})
    assert status == 409, body
    for method, path in [("GET", "/customers/999999"), ("DELETE", "/customers/999999"),
                         ("PATCH", "/customers/999999"), ("GET", "/order_lines/424242/1"),
                         ("GET", "/warehouses/ZZZ"), ("GET", "/orders/424242/order_lines")]:
        status, _, body = shop.call(method, path, {"note": "x"} if method == "PATCH" else None)
        assert status == 404 and body["error"]["code"] == "NOT_FOUND", (method, path, body)


def test_odd_names_are_quoted_in_sql_and_sanitised_in_routes(odd):
    # Table "order" in schema we"ird, a column named "select", a unicode table with a unicode key column.
    # A column named "links" keeps its name; the row's links move to "_links".
    order = odd.ok("POST", "/order", {"id": 1, "select": "it's \"quoted\"", "links": "mine"}, 201)
    assert order["select"] == "it's \"quoted\"" and order["links"] == "mine"
    assert order["_links"] == {"self": "/order/1", "unicode": "/order/1/unicode"}
    row = odd.ok("POST", "/unicode", {"Ünïcode id": 7, "name with space": "x", "order_id": 1}, 201)
    assert row["links"] == {"self": "/unicode/7", "order": "/order/1"}
    assert odd.ok("GET", "/order/1/unicode")["items"] == [row]
    assert odd.ok("GET", "/unicode?unicode_id=7")["items"] == [row]
    # A table keyed by a NOT NULL unique column; its column "limit" does not shadow the page size.
    odd.ok("POST", "/a_b_c", {"k": "../etc", "limit": 3}, 201)
    assert odd.ok("GET", "/a_b_c/..%2Fetc")["limit"] == 3
    assert odd.ok("GET", "/a_b_c?limit=1")["items"][0]["k"] == "../etc"
    status, _, body = odd.call("DELETE", "/order/1")
    assert status == 409 and body["error"]["code"] == "CONFLICT", body

"""Checks that schemathesis runs beside its own on the scaffolded Express apps (loaded through the
`hooks` key of the generated schemathesis.toml, see test_scaffold_schemathesis.py).

The test handlers answer a documented 2xx status with an `X-Handler` header; everything else comes
from the generated layer (validation, security, 404), so these checks look at that layer only.
"""
from __future__ import annotations

import json

import schemathesis


def _json(response) -> dict:
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise AssertionError(f"HTTP {response.status_code} without a JSON object body: {response.content[:200]!r}")
    return body


@schemathesis.check
def error_envelope(ctx, response, case):
    """400 is VALIDATION_ERROR naming each failing field; 401 is UNAUTHENTICATED; both carry the request id."""
    if response.status_code not in (400, 401):
        return None
    body = _json(response)
    error = body.get("error") or {}
    if not body.get("meta", {}).get("requestId"):
        raise AssertionError(f"HTTP {response.status_code} without meta.requestId: {body}")
    if response.status_code == 401:
        if error.get("code") != "UNAUTHENTICATED":
            raise AssertionError(f"401 with code {error.get('code')!r}, expected UNAUTHENTICATED: {body}")
        return None
    details = error.get("details")
    if error.get("code") != "VALIDATION_ERROR" or not details:
        raise AssertionError(f"400 without VALIDATION_ERROR details: {body}")
    for detail in details:
        if not (isinstance(detail, dict) and detail.get("field") and detail.get("message")):
            raise AssertionError(f"400 detail without field and message: {detail}")
    return None


@schemathesis.check
def handler_reached(ctx, response, case):
    """Every 2xx to a declared operation comes from its handler (Express answers OPTIONS itself)."""
    if case.method.upper() != case.operation.method.upper():
        return None
    if 200 <= response.status_code < 300 and not response.headers.get("x-handler"):
        raise AssertionError(f"HTTP {response.status_code} that no handler produced")
    return None

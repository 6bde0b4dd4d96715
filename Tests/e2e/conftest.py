"""Fixtures shared by the end-to-end suites."""
from __future__ import annotations

import os
import subprocess
import uuid

import pytest


@pytest.fixture
def database(request):
    """A throw-away database on the test cluster (SENIOR_BACKEND_TEST_PG), dropped after the test; its URL.

    Suites that define their own `database` fixture keep theirs.
    """
    admin = os.environ.get("SENIOR_BACKEND_TEST_PG")
    assert admin, "SENIOR_BACKEND_TEST_PG is not set: run scripts/test.sh, which starts the test cluster"
    name = request.module.__name__.removeprefix("test_")[:16] + "_" + uuid.uuid4().hex[:10]
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    yield admin.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)

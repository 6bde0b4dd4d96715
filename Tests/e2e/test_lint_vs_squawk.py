"""Our migration lint beside squawk (PyPI squawk-cli) on migration files of our own.

Rule names follow squawk's. The differences are listed here, case by case, with the reason; the test
fails when either tool changes its mind, so the list stays true.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
CASES = sorted((pathlib.Path(__file__).parent / "lint_cases").glob("*.sql"))
SQUAWK = shutil.which("squawk") or str(pathlib.Path(os.sys.executable).parent / "squawk")

# Rules only squawk has: statement_timeout is the runner's business (it sets lock_timeout itself and
# runs each file under the caller's statement_timeout).
SQUAWK_ONLY = {"require-statement-timeout"}

# case -> (only squawk reports, only we report), each with its reason.
KNOWN_DIFFERENCES = {
    # squawk flags every integer column; we flag integer keys only, where overflow is the risk.
    "01_add_required_column.sql": ({"prefer-bigint-over-int"}, set()),
    # squawk also reports constraint-missing-not-valid for a foreign key; we report it once, as adding-foreign-key-constraint.
    "03_foreign_key_validated.sql": ({"constraint-missing-not-valid"}, set()),
    # squawk reports constraint-missing-not-valid for ADD UNIQUE as well; UNIQUE has no NOT VALID form.
    "08_unique_constraint.sql": ({"constraint-missing-not-valid"}, set()),
    # With --assume-in-transaction squawk sees CONCURRENTLY and VALIDATE inside one transaction; our runner
    # runs a file with CONCURRENTLY statement by statement, outside any transaction, so neither applies.
    "11_good_practice.sql": ({"ban-concurrent-index-creation-in-transaction", "constraint-missing-not-valid"}, set()),
    # squawk asks for lock_timeout even for a table created in the same file; nothing else can hold its lock.
    "13_new_table_good.sql": ({"require-lock-timeout"}, set()),
}


def ours(path: pathlib.Path) -> set[str]:
    done = subprocess.run([BIN, "schema", "--lint", str(path), "--json"], capture_output=True, text=True, timeout=30)
    assert done.returncode in (0, 1), done.stderr
    return {issue["rule"] for issue in json.loads(done.stdout)}


def squawk(path: pathlib.Path) -> set[str]:
    done = subprocess.run([SQUAWK, "--reporter", "json", "--assume-in-transaction", str(path)],
                          capture_output=True, text=True, timeout=30)
    return {issue["rule_name"] for issue in json.loads(done.stdout or "[]")} - SQUAWK_ONLY


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lint_agrees_with_squawk_except_where_listed(case):
    mine, theirs = ours(case), squawk(case)
    only_squawk, only_ours = KNOWN_DIFFERENCES.get(case.name, (set(), set()))
    assert theirs - mine == only_squawk, f"squawk only: {sorted(theirs - mine)}"
    assert mine - theirs == only_ours, f"ours only: {sorted(mine - theirs)}"

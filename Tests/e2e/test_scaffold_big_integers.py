"""Integer bounds, enums and consts beyond 2^53 in a generated Express project, under node.

The spec (Tests/ScaffoldTests/Fixtures/big-integers.yaml) bounds body properties and a query parameter
by uint64 and int64 limits. Values and bounds are both doubles in the generated runtime (JSON.parse and
the bound's TypeScript literal round to nearest), so the README's rule is: a valid value is never
refused; beyond 2^53 a value that rounds to the bound's double is accepted; the next double beyond the
bound is refused. 2^64 = 18446744073709551616 and the double after it is 2^64 + 4096; the doubles
around 2^63 are 2048 apart.
"""
from __future__ import annotations

import pytest

from test_scaffold_express import FIXTURES, Server, compile_project, expect_validation_error, require_node_tools, \
    scaffold

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def counters(tmp_path_factory):
    require_node_tools()
    project = tmp_path_factory.mktemp("big-integers")
    scaffold(FIXTURES / "big-integers.yaml", project)
    schemas = (project / "src/generated/schemas.ts").read_text()
    assert 'maximum: 18446744073709551615' in schemas, schemas
    assert '"18446744073709551615"' not in schemas, "a bound was written as a string"
    compile_project(project)
    server = Server(project)
    yield server
    server.stop()


ACCEPTED = [
    '{"unsigned": 18446744073709551615}',  # uint64's maximum itself
    '{"unsigned": 0}',
    '{"signed": -9223372036854775808}',
    '{"signed": 9223372036854775807}',
    '{"below": 18446744073709551615}',  # exclusive 2^64: the largest valid value rounds to 2^64
    '{"below": -18446744073709551615}',
    '{"safe": 9007199254740990}',
    '{"safe": -9007199254740991}',
    '{"flag": 18446744073709551615}',
    '{"pinned": -9223372036854775808}',
    '{"padded": 18446744073709551615}',
    '{"seeks": 12345678901234567890}',
]

REFUSED = [
    ('{"unsigned": 18446744073709555712}', "body.unsigned"),  # the next double beyond 2^64
    ('{"unsigned": -1}', "body.unsigned"),
    ('{"signed": -9223372036854777856}', "body.signed"),  # the next double below -2^63
    ('{"signed": 9223372036854777856}', "body.signed"),  # the next double above 2^63
    ('{"below": 18446744073709555712}', "body.below"),
    ('{"below": -18446744073709555712}', "body.below"),
    ('{"safe": 9007199254740991}', "body.safe"),  # an exclusive bound within 2^53 is exact
    ('{"safe": -9007199254740992}', "body.safe"),
    ('{"flag": 1}', "body.flag"),
    ('{"pinned": 0}', "body.pinned"),
    ('{"seeks": 0}', "body.seeks"),
    ('{"seeks": 18446744073709555712}', "body.seeks"),
]


@pytest.mark.parametrize("body", ACCEPTED)
def test_values_within_the_bound_reach_the_handler(counters, body):
    status, _, reply = counters.request("POST", "/counters", body.encode(), JSON)
    assert status == 501, reply  # past validation: the handler is not implemented yet


@pytest.mark.parametrize(("body", "field"), REFUSED)
def test_values_beyond_the_bound_get_400_naming_the_field(counters, body, field):
    expect_validation_error(counters.request("POST", "/counters", body.encode(), JSON), field)


def test_a_query_parameter_is_bounded_the_same_way(counters):
    status, _, reply = counters.request("POST", "/counters?limit=18446744073709551615", b"{}", JSON)
    assert status == 501, reply
    for limit in ("18446744073709555712", "-1"):
        expect_validation_error(counters.request("POST", f"/counters?limit={limit}", b"{}", JSON), "query.limit")

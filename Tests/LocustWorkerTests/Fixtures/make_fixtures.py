"""Writes the fixtures of LocustWorkerTests from Python's msgpack and Locust themselves (run it with the test venv:
.venv/bin/python Tests/LocustWorkerTests/Fixtures/make_fixtures.py). The Swift tests decode and re-encode each case."""
import json
import pathlib

import msgpack
from locust.rpc.protocol import Message
from locust.stats import bucket_response_time

here = pathlib.Path(__file__).parent
cases = {
    "nil": None, "true": True, "false": False, "zero": 0, "fixint": 127, "uint8": 255, "uint16": 65535,
    "uint32": 4294967295, "uint64": 18446744073709551615, "negative fixint": -32, "int8": -128, "int16": -32768,
    "int32": -2147483648, "int64": -9223372036854775808, "double": 1.5, "negative double": -0.001,
    "empty string": "", "fixstr": "heartbeat", "str8": "x" * 200, "str16": "y" * 300, "utf8": "déjà vu ✓",
    "bin8": b"\x00\x01\xff", "bin16": bytes(300), "empty array": [], "array16": list(range(20)),
    "nested": [[1, [2, [3, {"a": [None]}]]]], "map": {"state": "ready", "current_cpu_usage": 12.5},
    "map16": {f"k{i}": i for i in range(20)}, "int keys": {1: 2, 150: 3, 1100: 4},
}
messages = {
    "client_ready": Message("client_ready", "2.47.0", "host_abc").serialize(),
    "heartbeat": Message("heartbeat", {"state": "running", "current_cpu_usage": 3.25,
                                       "current_memory_usage": 123456789}, "host_abc").serialize(),
    "spawn": Message("spawn", {"timestamp": 1765000000.25, "user_classes_count": {"SeniorBackendUser": 10},
                               "host": "http://127.0.0.1:8080", "stop_timeout": None,
                               "parsed_options": {"num_users": 10, "tags": None}}, "host_abc").serialize(),
    "ack": Message("ack", {"index": 0}, "host_abc").serialize(),
    "quit": Message("quit", None, "host_abc").serialize(),
}
values = [0.4, 0.5, 1.5, 2.5, 3.5, 99.4, 99.5, 100.0, 104.9, 105.0, 115.0, 125.0, 994.9, 995.0, 1050.0, 1150.0,
          9949.0, 9950.0, 10500.0, 11500.0, 123456.7]
(here / "msgpack_cases.json").write_text(json.dumps({
    "values": {name: msgpack.packb(value).hex() for name, value in cases.items()},
    "messages": {name: data.hex() for name, data in messages.items()},
    "buckets": [[value, bucket_response_time(value)] for value in values],
}, indent=1) + "\n")

"""`senior-backend load-test --locust-master`: our engine as workers of a real, headless Locust master, against
a loopback nginx with stub_status; the master runs the plugin the CLI prints and writes the merged report."""
from __future__ import annotations

import csv
import json
import math
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import msgpack
import pytest
import zmq

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))
LOCUST = str(pathlib.Path(sys.executable).parent / "locust")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """Debian's nginx (installed by install-deps.sh --test) on loopback: a small static file and stub_status."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(binary), "nginx is missing: run scripts/install-deps.sh --test (nginx-light)"
    workdir = tmp_path_factory.mktemp("nginx")
    (workdir / "www").mkdir()
    (workdir / "logs").mkdir()
    port = free_port()
    conf = workdir / "nginx.conf"
    temp = "".join(f"{name}_temp_path {workdir}/tmp_{name};\n" for name in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    {temp}
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        root {workdir}/www;
        location = /stub_status {{ stub_status; }}
        # Answered from the configuration: nginx's worker (nobody) may not read pytest's private folders.
        location = /index.html {{ default_type text/plain; return 200 "hello\\n"; }}
    }}
}}
""")
    process = subprocess.Popen([binary, "-p", str(workdir), "-c", str(conf), "-e", f"{workdir}/logs/error.log"])
    for _ in range(100):
        try:
            served(port)
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("nginx did not start")
    yield port
    process.terminate()
    process.wait(timeout=10)


def served(port: int) -> int:
    """nginx's request count (stub_status), this request included."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/stub_status", timeout=2).read().decode()
    return int(text.splitlines()[2].split()[2])


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plugin")
    done = subprocess.run([BIN, "load-test", "--print-locust-plugin"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    path = folder / "senior_backend_locust.py"
    path.write_text(done.stdout)
    return path


@pytest.fixture
def processes():
    """Every process a test starts; whatever still runs at its end (a failed assertion) is killed."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def start_master(processes, plugin, tmp_path, nginx_port, run_time="4s", users=4, workers=2, extra=()):
    port = free_port()
    # The plugin beside a locustfile of ours, as users combine them. Locust rewrites its CSV every second until
    # it exits; every 0.1 s here, so that the file also holds the workers' final reports, which come in the half
    # second the master waits after `quit`.
    locustfile = plugin.parent / "locustfile.py"
    locustfile.write_text("import locust.stats\nfrom senior_backend_locust import *  # noqa: F401,F403\n\n"
                          "locust.stats.CSV_STATS_INTERVAL_SEC = 0.1\n")
    command = [LOCUST, "-f", str(locustfile), "--master", "--headless", "--master-bind-host", "127.0.0.1",
               "--master-bind-port", str(port), "--expect-workers", str(workers), "-u", str(users), "-r", "100",
               "--host", f"http://127.0.0.1:{nginx_port}/index.html", "--csv", str(tmp_path / "run"),
               "--senior-backend-report", str(tmp_path / "report"), "--only-summary", *extra]
    if run_time:
        command += ["-t", run_time]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=tmp_path)
    processes.append(process)
    return process, port


def start_worker(processes, master_port, url=None, extra=()):
    command = [BIN, "load-test", *([url] if url else []), "--locust-master", f"127.0.0.1:{master_port}", "--json",
               *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    processes.append(process)
    return process


def finish(process, timeout=60):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


# HdrHistogram's valueAtPercentile, written again here from its definition (not copied from the plugin), over
# merged [lowest, highest, count] buckets with the exact min and max.
def percentile(buckets, count, low, high, p):
    if p >= 100:
        return high
    wanted = max(1, math.ceil(min(max(math.nextafter(p, -math.inf), 0.0), 100.0) * count / 100.0))
    seen = 0
    for _, highest, n in sorted(buckets):
        seen += n
        if seen >= wanted:
            return max(min(highest, high), low)
    raise AssertionError("percentile past the last bucket")


def merge(histograms):
    buckets = {}
    for histogram in histograms:
        for lowest, highest, n in histogram["buckets"]:
            buckets[(lowest, highest)] = buckets.get((lowest, highest), 0) + n
    return ([[lo, hi, n] for (lo, hi), n in sorted(buckets.items())], sum(h["count"] for h in histograms),
            min(h["min"] for h in histograms), max(h["max"] for h in histograms))


def test_two_workers_counts_agree_with_nginx_and_the_report_merges_exactly(nginx, plugin, tmp_path, processes):
    before = served(nginx)
    master, port = start_master(processes, plugin, tmp_path, nginx)
    # One worker loads the master's --host, the other the URL it was given.
    workers = [start_worker(processes, port), start_worker(processes, port, f"http://127.0.0.1:{nginx}/index.html")]
    results = [finish(worker) for worker in workers]
    master_out = master.communicate(timeout=60)[0]
    after = served(nginx)
    for code, out, err in results:
        assert code == 0, f"worker failed ({code}): {err}\n{out}"
    reports = [json.loads(out) for _, out, _ in results]
    assert all(r["status"] == "quit" and r["spawns"] >= 1 for r in reports), reports
    assert all(r["target"] == f"http://127.0.0.1:{nginx}/index.html" for r in reports)
    ours = sum(r["metrics"]["requests"] for r in reports)
    assert all(r["metrics"]["requests"] > 0 and r["metrics"]["failed"] == 0 for r in reports)
    # nginx counted our requests and its two stub_status reads (before's own is in `before`).
    assert after - before - 1 == ours
    assert sum(r["requests_reported"] for r in reports) == ours

    # The master's own summary (printed when it quits) counts what nginx and our workers counted.
    summary = [line.split() for line in master_out.splitlines() if line.strip().startswith("Aggregated")
               and "%)" in line]
    assert summary and int(summary[0][1]) == ours, master_out
    # The master's CSV: its total is ours, and it shows our response times.
    with open(tmp_path / "run_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    assert int(total["Request Count"]) == ours, master_out
    assert int(total["Failure Count"]) == 0
    assert rows["/index.html"]["Type"] == "GET"
    # Min, max and average are the exact figures our workers measured (Locust's percentile columns are its
    # two-significant-digit buckets of them).
    assert float(total["Min Response Time"]) == min(r["histogram"]["min"] for r in reports) / 1000
    assert float(total["Max Response Time"]) == max(r["histogram"]["max"] for r in reports) / 1000
    merged_sum = json.loads((tmp_path / "report" / "load-test.json").read_text())["histogram"]["latency_sum"]
    assert float(total["Average Response Time"]) == pytest.approx(merged_sum / 1000 / ours, rel=1e-9)

    # The plugin's report: the exact merge of the workers' own histograms, a row per worker.
    merged = json.loads((tmp_path / "report" / "load-test.json").read_text())
    assert (tmp_path / "report" / "load-test.html").read_text().count("<tr>") >= 2 + len(reports)
    buckets, count, low, high = merge([r["histogram"] for r in reports])
    assert merged["histogram"]["buckets"] == buckets
    assert (merged["histogram"]["count"], merged["histogram"]["min"], merged["histogram"]["max"]) == (count, low, high)
    assert merged["metrics"]["requests"] == ours
    for name, p in (("p50", 50), ("p75", 75), ("p90", 90), ("p95", 95), ("p99", 99), ("p99_9", 99.9)):
        assert merged["metrics"]["latency_ms"][name] == percentile(buckets, count, low, high, p) / 1000
    assert merged["metrics"]["latency_ms"]["max"] == buckets[-1][1] / 1000
    assert sorted(w["node_id"] for w in merged["workers"]) == sorted(r["node_id"] for r in reports)
    for row in merged["workers"]:
        mine = next(r for r in reports if r["node_id"] == row["node_id"])
        assert row["requests"] == mine["metrics"]["requests"]
        # Each worker's percentiles as the Swift engine computed them equal the plugin's from its buckets.
        assert row["latency_ms"] == mine["metrics"]["latency_ms"] | {"mean": row["latency_ms"]["mean"]}
    # The report has the shape of a single-machine run's.
    shape = json.loads((ROOT / "schemas" / "load_test.output.json").read_text())
    assert set(shape["required"]) <= set(merged)
    assert set(shape["properties"]["metrics"]["required"]) <= set(merged["metrics"])


def test_a_killed_worker_goes_missing_and_the_other_goes_on(nginx, plugin, tmp_path, processes):
    master, port = start_master(processes, plugin, tmp_path, nginx, run_time="12s")
    doomed, survivor = start_worker(processes, port), start_worker(processes, port)
    # Kill one worker once traffic flows (nginx's count rises), then let the run end.
    deadline = time.monotonic() + 30
    start = served(nginx)
    while served(nginx) - start < 1000:
        assert time.monotonic() < deadline, "no traffic within 30 s"
        time.sleep(0.2)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    code, out, err = finish(survivor)
    master_out = master.communicate(timeout=60)[0]
    assert code == 0, err
    assert "failed to send heartbeat, setting state to missing" in master_out, master_out
    report = json.loads(out)
    assert report["status"] == "quit" and report["metrics"]["requests"] > 0


def test_a_killed_master_stops_the_workers_with_a_clear_message(nginx, plugin, tmp_path, processes):
    master, port = start_master(processes, plugin, tmp_path, nginx, run_time=None)
    workers = [start_worker(processes, port), start_worker(processes, port)]
    deadline = time.monotonic() + 30
    start = served(nginx)
    while served(nginx) - start < 1000:
        assert time.monotonic() < deadline, "no traffic within 30 s"
        time.sleep(0.2)
    master.send_signal(signal.SIGKILL)
    master.communicate(timeout=10)
    killed = time.monotonic()
    for worker in workers:
        # 3 s without a heartbeat, then the traffic stops; the bound here is generous for a loaded machine.
        code, out, err = finish(worker, timeout=30)
        assert code == 1, err
        assert "lost the Locust master" in err and "traffic stopped" in err, err
        assert json.loads(out)["status"] == "master_lost"
    stopped = served(nginx)
    time.sleep(1)
    assert served(nginx) == stopped + 1  # nothing but this read
    print(f"workers exited {time.monotonic() - killed:.1f} s after the master was killed")


# -- hostile masters -----------------------------------------------------------------------------------------


class FakeMaster:
    """A ROUTER socket on loopback that answers a worker's first message with `reply` (raw frame bytes)."""

    def __init__(self, reply: bytes):
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.ROUTER)
        self.port = self.socket.bind_to_random_port("tcp://127.0.0.1")
        self.reply = reply
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        if self.socket.poll(20000):
            identity, _ = self.socket.recv_multipart()
            self.socket.send_multipart([identity, self.reply])

    def close(self):
        self.thread.join(timeout=25)
        self.socket.close(linger=0)
        self.context.term()


@pytest.mark.parametrize("reply, message", [
    (b"\xc1garbage", "not valid MessagePack"),
    (msgpack.packb("hello"), "not [type, data, node_id]"),
    (msgpack.packb(["spawn", {"no": "counts"}, "x"]), "spawn message without user_classes_count"),
    (b"\xdd\xff\xff\xff\xff", "not valid MessagePack"),
    (bytes(5 << 20), "over the limit of 4 MiB"),
], ids=["garbage", "not-an-array", "spawn-without-users", "lying-length", "oversized"])
def test_a_master_speaking_garbage_is_a_clear_error_and_no_traffic(nginx, reply, message, processes):
    master = FakeMaster(reply)
    before = served(nginx)
    try:
        worker = start_worker(processes, master.port, f"http://127.0.0.1:{nginx}/index.html")
        code, out, err = finish(worker, timeout=30)
    finally:
        master.close()
    assert code in (1, 2) and message in err, err
    assert "Locust master" in err and "Traceback" not in err and out == ""
    assert served(nginx) == before + 1


@pytest.mark.parametrize("master, message, code", [
    ("no-such-host.invalid:5557", "does not resolve", 2),
    ("127.0.0.1:99999", "port must be from 1 to 65535", 2),
], ids=["unknown-host", "bad-port"])
def test_a_bogus_master_address_is_a_clear_error(master, message, code):
    done = subprocess.run([BIN, "load-test", "http://127.0.0.1:9/", "--locust-master", master], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == code and message in done.stderr, done.stderr


def test_a_master_that_never_answers_is_a_clear_error(nginx):
    silent = socket.create_server(("127.0.0.1", 0))  # accepts TCP, never speaks ZeroMQ
    try:
        before = served(nginx)
        done = subprocess.run([BIN, "load-test", f"http://127.0.0.1:{nginx}/", "--locust-master",
                               f"127.0.0.1:{silent.getsockname()[1]}", "--locust-connect-timeout", "2"],
                              capture_output=True, text=True, timeout=30)
    finally:
        silent.close()
    assert done.returncode == 2 and "no Locust master answered" in done.stderr, done.stderr
    assert served(nginx) == before + 1


def test_options_the_master_owns_are_refused():
    done = subprocess.run([BIN, "load-test", "http://127.0.0.1:9/", "--locust-master", "127.0.0.1",
                           "--duration", "5", "--rate", "10"], capture_output=True, text=True, timeout=30)
    assert done.returncode != 0 and "--duration, --rate cannot be used with --locust-master" in done.stderr

"""senior-backend's plugin for a Locust master: exact percentiles from senior-backend workers.

Run the master with this file (alone, or beside your own locustfile):

    locust -f senior_backend_locust.py --master --headless --expect-workers 2 -u 100 -r 100 -t 60s \
        --host http://server:8080 --senior-backend-report report/

and each worker with `senior-backend load-test --locust-master MASTER_HOST`. Locust's own statistics keep
response times in buckets of about two significant digits; each senior-backend worker also sends its
HdrHistogram (three significant digits, in microseconds) inside every stats report, under the key
`senior_backend_hdr` (one message: the master takes the histogram and its own counts of the same requests
together or not at all). This plugin merges them and, when the master quits, writes `load-test.json` and `load-test.html`
to the --senior-backend-report folder: the report a single-machine `senior-backend load-test` writes, the
histogram merged exactly, with a row per worker.

Histogram entry: "buckets" is a list of [lowest, highest, count], each bucket holding the values
lowest..highest microseconds; "min" and "max" are the exact extremes; histograms of the same format merge
by adding the counts of equal buckets. Percentiles follow HdrHistogram's valueAtPercentile.
"""

from __future__ import annotations

import html
import json
import math
import os
import time

from locust import User, constant, events, task
from locust.runners import MasterRunner

HISTOGRAM_KEY = "senior_backend_hdr"
FORMAT = "senior-backend-hdr/1"


class SeniorBackendUser(User):
    """Stands for the connections of senior-backend workers: the master hands users out, workers open them."""

    wait_time = constant(1)

    @task
    def connection(self):
        # A Locust (Python) worker given this class does nothing: the traffic comes from senior-backend workers.
        pass


class Tally:
    """One worker's histogram and counts, summed over its messages."""

    def __init__(self, node_id: str):
        self.node_id = node_id
        self.buckets: dict[tuple[int, int], int] = {}
        self.count = 0
        self.min: int | None = None
        self.max: int | None = None
        self.latency_sum = 0
        self.statuses: dict[int, int] = {}
        self.errors = {"connect": 0, "timeout": 0, "read": 0, "write": 0, "parse": 0, "tls": 0}
        self.bytes_read = 0
        self.cpu_us = 0
        self.start: float | None = None
        self.end: float | None = None
        self.target = ""
        self.method = ""
        self.settings: dict = {}

    def add(self, data: dict) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"histogram format {data.get('format')!r}, expected {FORMAT!r}")
        for lowest, highest, count in data["buckets"]:
            self.buckets[(lowest, highest)] = self.buckets.get((lowest, highest), 0) + count
        self.count += data["count"]
        if data["min"] is not None:
            self.min = data["min"] if self.min is None else min(self.min, data["min"])
        if data["max"] is not None:
            self.max = data["max"] if self.max is None else max(self.max, data["max"])
        self.latency_sum += data["latency_sum"]
        for status, count in data["status_counts"].items():
            self.statuses[int(status)] = self.statuses.get(int(status), 0) + count
        for name in self.errors:
            self.errors[name] += data["errors"].get(name, 0)
        self.bytes_read += data["bytes_read"]
        self.cpu_us += data["cpu_us"]
        self.start = data["start"] if self.start is None else min(self.start, data["start"])
        self.end = data["end"] if self.end is None else max(self.end, data["end"])
        self.target, self.method, self.settings = data["target"], data["method"], data["settings"]

    def merge(self, other: "Tally") -> None:
        for key, count in other.buckets.items():
            self.buckets[key] = self.buckets.get(key, 0) + count
        self.count += other.count
        for name in ("min", "max", "start", "end"):
            mine, theirs = getattr(self, name), getattr(other, name)
            pick = min if name in ("min", "start") else max
            setattr(self, name, theirs if mine is None else mine if theirs is None else pick(mine, theirs))
        self.latency_sum += other.latency_sum
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        for name in self.errors:
            self.errors[name] += other.errors[name]
        self.bytes_read += other.bytes_read
        self.cpu_us += other.cpu_us
        self.target, self.method = self.target or other.target, self.method or other.method

    def sorted_buckets(self) -> list[tuple[int, int, int]]:
        return [(lowest, highest, count) for (lowest, highest), count in sorted(self.buckets.items()) if count]

    def value_at(self, percentile: float) -> int:
        """HdrHistogram's valueAtPercentile (hdrhistogram-swift 0.2), on the merged buckets."""
        if self.count == 0:
            return 0
        if percentile == 0:
            return self.min
        if percentile >= 100:
            return self.max
        requested = min(max(math.nextafter(percentile, -math.inf), 0.0), 100.0)
        wanted = max(1, math.ceil((requested * self.count) / 100.0))
        seen = 0
        for lowest, highest, count in self.sorted_buckets():
            seen += count
            if seen >= wanted:
                return max(min(highest, self.max), self.min)
        return 0

    def mean(self) -> float:
        if self.count == 0:
            return 0.0
        total = 0.0
        for lowest, highest, count in self.sorted_buckets():
            total += float(lowest + ((highest - lowest + 1) >> 1)) * float(count)
        return total / self.count

    def latency_ms(self) -> dict:
        empty = self.count == 0
        at = lambda p: 0.0 if empty else self.value_at(p) / 1000
        highest = self.sorted_buckets()[-1][1] if not empty else 0
        return {"min": 0.0 if empty else self.min / 1000, "mean": 0.0 if empty else self.mean() / 1000,
                "p50": at(50), "p75": at(75), "p90": at(90), "p95": at(95), "p99": at(99), "p99_9": at(99.9),
                "max": highest / 1000}

    def elapsed(self) -> float:
        return max(0.0, (self.end or 0) - (self.start or 0))

    def metrics(self) -> dict:
        """The `metrics` object of a single-machine report (load_test.output.json), from the merged histogram."""
        latency = self.latency_ms()
        failed = sum(self.errors.values())
        server_errors = sum(count for status, count in self.statuses.items() if status >= 500)
        attempts = self.count + failed
        elapsed = self.elapsed()
        curve = []
        if self.count:
            for step in range(21):
                percentile = 100 * (1 - math.pow(10, -step / 4))
                curve.append({"percentile": percentile, "ms": self.value_at(percentile) / 1000})
            curve.append({"percentile": 100.0, "ms": latency["max"]})
        return {
            "requests": self.count, "failed": failed,
            "requests_per_second": self.count / elapsed if elapsed > 0 else 0.0, "elapsed_s": elapsed,
            "error_rate": (failed + server_errors) / attempts if attempts else 0.0,
            "latency_ms": latency,
            "status_counts": [{"status": s, "count": c} for s, c in sorted(self.statuses.items())],
            "errors": dict(self.errors), "bytes_read": self.bytes_read, "bytes_written": 0, "reconnects": 0,
            "connections_opened": 0, "late_sends": 0, "unsent": 0, "unfinished": 0,
            "generator_cpu": {"user_s": self.cpu_us / 1e6, "system_s": 0.0,
                              "percent_of_one_core": self.cpu_us / 1e6 / elapsed * 100 if elapsed > 0 else 0.0,
                              "micros_per_request": self.cpu_us / attempts if attempts else 0.0},
            "timeline": [], "percentile_curve": curve,
        }


workers: dict[str, Tally] = {}
state = {"environment": None, "rejected": 0}


@events.init_command_line_parser.add_listener
def _arguments(parser):
    parser.add_argument("--senior-backend-report", default="senior-backend-report",
                        help="Folder for the merged load-test.json and load-test.html of senior-backend workers")


@events.init.add_listener
def _remember(environment, **_kwargs):
    state["environment"] = environment


@events.worker_report.add_listener
def _on_report(client_id, data, **_kwargs):
    """Every stats report a worker sends the master; those of senior-backend workers carry a histogram."""
    histogram = data.get(HISTOGRAM_KEY)
    if histogram is None:
        return
    try:
        workers.setdefault(client_id, Tally(client_id)).add(histogram)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        state["rejected"] += 1
        print(f"senior-backend: a histogram from {client_id} was malformed and left out: {error!r}")


def report() -> dict:
    """The merged report: the single-machine shape, plus `workers` (a row each) and the merged `histogram`."""
    merged = Tally("all")
    for tally in workers.values():
        merged.merge(tally)
    settings = [tally.settings for tally in workers.values()]
    metrics = merged.metrics()
    rows = []
    for node_id in sorted(workers):
        tally = workers[node_id]
        row = tally.metrics()
        rows.append({"node_id": node_id, "requests": row["requests"], "failed": row["failed"],
                     "requests_per_second": row["requests_per_second"], "latency_ms": row["latency_ms"],
                     "generator_cpu_s": tally.cpu_us / 1e6,
                     "histogram": {"count": tally.count, "min": tally.min, "max": tally.max,
                                   "buckets": [list(b) for b in tally.sorted_buckets()]}})
    passed = merged.count > 0
    return {
        "passed": passed, "status": "passed" if passed else "failed", "model": "closed",
        "target": merged.target, "method": merged.method, "headers": [],
        "settings": {"concurrency": sum(s.get("concurrency", 0) for s in settings),
                     "threads": sum(s.get("threads", 0) for s in settings),
                     "duration_s": merged.elapsed(), "requests": None, "rate": None, "warmup_s": 0,
                     "timeout_s": max((s.get("timeout_s", 0) for s in settings), default=0)},
        "metrics": metrics, "expectations": [], "files": [],
        "next_step": "Compare the merged percentiles with your latency goals; the per-worker rows show whether one "
                     "worker (or its host) was slower than the others." if passed else
                     "No senior-backend worker reported a response: start workers with "
                     "`senior-backend load-test --locust-master HOST` and run again.",
        "workers": rows,
        "histogram": {"format": FORMAT, "unit": "us", "count": merged.count, "min": merged.min, "max": merged.max,
                      "latency_sum": merged.latency_sum, "buckets": [list(b) for b in merged.sorted_buckets()]},
        "histograms_rejected": state["rejected"],
    }


def render_html(result: dict) -> str:
    m = result["metrics"]
    latency = m["latency_ms"]
    names = ["min", "p50", "p75", "p90", "p95", "p99", "p99_9", "max"]
    cells = "".join(f"<td>{latency[n]:.3f}</td>" for n in names)
    rows = "".join(
        f"<tr><td>{html.escape(w['node_id'])}</td><td>{w['requests']}</td><td>{w['failed']}</td>"
        f"<td>{w['requests_per_second']:.0f}</td>"
        + "".join(f"<td>{w['latency_ms'][n]:.3f}</td>" for n in names) + "</tr>"
        for w in result["workers"])
    curve = m["percentile_curve"]
    points = ""
    if curve:
        top = max(point["ms"] for point in curve) or 1
        points = " ".join(f"{40 + i * 560 / max(len(curve) - 1, 1):.1f},{260 - point['ms'] / top * 240:.1f}"
                          for i, point in enumerate(curve))
    head = "".join(f"<th>{n}</th>" for n in names)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Load test: {html.escape(result['target'])}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}</style>
</head><body><h1>Load test ({len(result['workers'])} senior-backend workers): {html.escape(result['method'])} {html.escape(result['target'])}</h1>
<p>{m['requests']} responses, {m['failed']} requests without a response, {m['requests_per_second']:.0f} req/s over {m['elapsed_s']:.1f} s; exact percentiles from the merged HdrHistograms (ms).</p>
<table><tr><th>all workers</th>{head}</tr><tr><td>merged</td>{cells}</tr></table>
<h2>Per worker</h2><table><tr><th>worker</th><th>responses</th><th>failed</th><th>req/s</th>{head}</tr>{rows}</table>
<h2>Latency by percentile</h2><svg width="640" height="280"><polyline fill="none" stroke="#2060c0" stroke-width="2" points="{points}"/>
<line x1="40" y1="260" x2="600" y2="260" stroke="#888"/><line x1="40" y1="20" x2="40" y2="260" stroke="#888"/></svg>
<p>Left to right: p0, p43.8, p68.4, p82.2, p90, p94.4, p96.8, p98.2, p99 ... p99.999, max.</p></body></html>
"""


@events.quit.add_listener
def _write_report(**_kwargs):
    environment = state["environment"]
    if environment is None or not isinstance(environment.runner, MasterRunner):
        return
    folder = getattr(environment.parsed_options, "senior_backend_report", None) or "senior-backend-report"
    os.makedirs(folder, exist_ok=True)
    result = report()
    json_path, html_path = os.path.join(folder, "load-test.json"), os.path.join(folder, "load-test.html")
    result["files"] = [json_path, html_path]
    for path, text in ((json_path, json.dumps(result, indent=2) + "\n"), (html_path, render_html(result))):
        temporary = f"{path}.{os.getpid()}.{time.time_ns()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    print(f"senior-backend: merged report of {len(workers)} workers, {result['metrics']['requests']} responses: "
          f"{json_path}, {html_path}")

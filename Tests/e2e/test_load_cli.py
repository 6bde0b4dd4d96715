"""`senior-backend load-test` as a person runs it, against a loopback server started here."""
from __future__ import annotations

import http.server
import json
import os
import pathlib
import socket
import ssl
import subprocess
import threading

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("SENIOR_BACKEND_BIN", str(ROOT / ".build/release/senior-backend"))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits = 0

    def do_GET(self):  # noqa: N802
        Handler.hits += 1
        limited = self.path.startswith("/limited") and Handler.hits > 5
        body = b'{"error":"slow down"}' if limited else b'{"ok":true}'
        self.send_response(429 if limited else 200)
        if limited:
            self.send_header("Retry-After", "3")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """The same handler behind TLS with a self-signed certificate made by the openssl command line tool."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def overlong_server():
    """Answers every request with a body longer than its Content-Length (2 declared, 7 sent)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve(connection):
        with connection:
            pending = b""
            while data := connection.recv(65536):
                pending += data
                while b"\r\n\r\n" in pending:
                    _, pending = pending.split(b"\r\n\r\n", 1)
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA")

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, "load-test", *args], capture_output=True, timeout=60, text=True)


def test_closed_model_json(server):
    done = run(f"{server}/users", "--concurrency", "2", "--requests", "40", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["metrics"]["requests"] == 40
    assert result["metrics"]["status_counts"] == [{"status": 200, "count": 40}]


def test_expect_status_fails_with_exit_1(server):
    done = run(server, "--method", "POST", "--body", '{"email": "not-an-email"}', "--requests", "5",
               "--expect-status", "400")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "expect_status" in done.stdout


def test_broken_replies_only_fail_the_run_with_exit_1(overlong_server):
    done = run(overlong_server, "--concurrency", "1", "--requests", "20", "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "failed" and not result["passed"]
    assert result["metrics"]["requests"] == 0 and result["metrics"]["errors"]["parse"] == 20
    assert "Not one request got a valid response" in result["next_step"] and "parse 20" in result["next_step"]
    assert "bytes past the end of a reply" in result["metrics"]["parse_failure"]


def test_plain_http_to_an_https_server_fails_and_suggests_https(https_server):
    done = run(https_server.replace("https://", "http://"), "--requests", "5", "--concurrency", "1", "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["metrics"]["requests"] == 0 and result["status"] == "failed"
    assert "try https://" in result["next_step"]


def test_rate_limit_and_secret_header(server):
    Handler.hits = 0
    done = run(f"{server}/limited", "--concurrency", "1", "--requests", "20", "--expect-rate-limit",
               "-H", "Authorization: Bearer cli-secret-4242", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cli-secret-4242" not in done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["rate_limit"]["limited"] and "Retry-After: 3" in result["rate_limit"]["headers"]


def test_baseline_then_compare_and_two_urls(server, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert run(server, "--requests", "30", "--save-baseline", str(baseline)).returncode == 0
    done = run(server, "--compare", str(baseline), "--requests", "30", "--noise-threshold", "1000", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["comparison"]["kind"] == "baseline"
    done = run(f"{server}/a", f"{server}/b", "--compare", "--concurrency", "2", "--requests", "20",
               "--noise-threshold", "1000", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["comparison"]["kind"] == "two_urls"


def test_https_insecure_counts_every_request_and_verification_refuses_self_signed(https_server):
    Handler.hits = 0
    done = run(f"{https_server}/users", "-k", "--concurrency", "2", "--requests", "30", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["target"].startswith("https://")
    assert result["metrics"]["requests"] == 30 and Handler.hits == 30
    done = run(f"{https_server}/users", "--requests", "2", "--concurrency", "1", "--json")
    assert done.returncode == 2, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "unreachable" and not result["passed"]
    assert result["metrics"]["errors"]["tls"] == 2
    assert "certificate verification failed" in result["metrics"]["tls_failure"]


@pytest.mark.parametrize("args,needle", [
    (["ftp://127.0.0.1/"], "not supported"),
    (["http://127.0.0.1/", "--concurrency", "100000"], "cap"),
    (["http://127.0.0.1/", "--header", "X-A: b\rX-B: c"], "CR, LF"),
    (["http://127.0.0.1:1/", "--requests", "1"], "unreachable"),
    (["http://127.0.0.1/", "http://127.0.0.1/x"], "--compare"),
    (["http://127.0.0.1/", "http://127.0.0.1/x", "--compare", "--duration", "40"], "80 s in all, over the cap"),
    (["http://127.0.0.1/", "-H", "X-Api-Key abcd-cli-secret"], "header 1 has no ':'"),
    (["http://127.0.0.1/", "--body-file", "/dev/zero"], "over 64 MiB"),
    (["http://127.0.0.1:1/", "--save-baseline", "/dev/null"], "not a regular file"),
    (["http://127.0.0.1:1/", "--save-baseline", "/etc/passwd"], "not a load-test baseline"),
])
def test_bad_input_refusals_and_unreachable_exit_2(args, needle):
    done = run(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert needle in done.stdout + done.stderr
    assert "cli-secret" not in done.stdout + done.stderr

"""`watch --headless --json` through the real CLI: JSON lines, and the exit codes 2 and 3."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

EXPIRED = (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
    b"<Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message>"
    b"</Error><RequestId>1</RequestId></ErrorResponse>"
)


class _Expired(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(403)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(EXPIRED)))
        self.end_headers()
        self.wfile.write(EXPIRED)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def expired_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Expired)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "apigw_cockpit", "watch", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
    )


def _one_line_error(p: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in p.stderr
    lines = [x for x in p.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, p.stderr
    return lines[0]


def test_expired_token_exit_3(expired_endpoint: str) -> None:
    p = _cli("--headless", "--api-id", "a1", "--stage", "prod", "--endpoint-url", expired_endpoint)
    assert p.returncode == 3
    assert "credentials rejected" in _one_line_error(p) and "ExpiredToken" in p.stderr
    assert p.stdout == ""


def test_missing_credentials_exit_3(expired_endpoint: str) -> None:
    env = {k: "" for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    p = _cli("--headless", "--api-id", "a1", "--stage", "prod", "--endpoint-url", expired_endpoint, env=env)
    assert p.returncode == 3
    assert "no AWS credentials" in _one_line_error(p)


@pytest.mark.sim
def test_headless_json_lines_and_unknown_api(sim_factory) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("midnight-pager", speed=60, backfill=600) as sim:
        bad = _cli(
            "--headless", "--api-id", "does-not-exist", "--stage", "prod", "--endpoint-url", sim.endpoint_url
        )
        p = _cli(
            "--headless", "--json", "--api-id", sim.api_id, "--stage", "prod",
            "--endpoint-url", sim.endpoint_url, "--duration", "3", env={"AWS_MAX_ATTEMPTS": "1"},
        )  # fmt: skip
    assert bad.returncode == 2
    assert "unknown REST API 'does-not-exist'" in _one_line_error(bad)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert rows[0]["type"] == "topology" and rows[0]["topology"]["api_id"] == sim.api_id
    for r in rows[1:]:
        assert r["type"] in {"metrics", "logs", "target_health", "changes", "alarms", "status", "diagnosis"}
        assert {"source", "at"} <= set(r)
    # The engine's answer streams too: the `check --json` object, written only when it changed.
    diagnoses = [r for r in rows if r["type"] == "diagnosis"]
    assert diagnoses, "no diagnosis line"
    check_keys = {"api", "stage", "root_cause", "onset", "findings", "hypotheses", "sources"}
    assert all(check_keys <= set(d) for d in diagnoses)
    assert diagnoses[-1]["root_cause"] == "sg-blocks-nlb-targets"
    strip = [{k: v for k, v in d.items() if k != "at"} for d in diagnoses]
    assert all(a != b for a, b in itertools.pairwise(strip))  # each line says something new
    kinds = {r["type"] for r in rows}
    assert {"status", "target_health", "metrics"} <= kinds
    th = next(r for r in rows if r["type"] == "target_health")
    assert len(th["targets"]) == 4 and {"target_id", "state", "reason", "az"} <= set(th["targets"][0])
    m = next(r for r in rows if r["type"] == "metrics")
    assert m["backfill"] is True and any(
        s["label"].startswith("AWS/ApiGateway/5XXError") for s in m["series"]
    )

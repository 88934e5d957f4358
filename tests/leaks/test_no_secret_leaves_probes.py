"""Property: probe transcripts (V1 invoke URL, curl -v shaped) carry no planted secret.

For each kind, the probe sends the planted secret in its request header, path or query; a
loopback API answers with it in a response header and the response body. Checked: the
transcript, and the result's URL, headers and body excerpt (what screens and reports show).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from apigw_cockpit.aws.probes import http_probe
from apigw_cockpit.model import FrozenClock, ProbeResult

from .kinds import KINDS, Kind, Plant, leaks, plant_values, variant


class _Echo(BaseHTTPRequestHandler):
    """Answers 502 with the headers and body registered for the request's path."""

    protocol_version = "HTTP/1.1"
    answers: ClassVar[dict[str, tuple[list[tuple[str, str]], bytes]]] = {}

    def do_GET(self) -> None:
        headers, body = type(self).answers.get(self.path.split("?")[0], ([], b""))
        self.send_response(502)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield int(srv.server_address[1])
    srv.shutdown()


def _probe_one(port: int, i: int, kind: Kind, value: str) -> tuple[ProbeResult, list[Plant]]:
    plants: list[Plant] = []

    def plant(carrier: str) -> str:
        v = variant(value, carrier)
        plants.append(Plant(kind.name, carrier, "", kind.leak(v)))
        return v

    path = f"/prod/k{i}"
    url_path = path + (f"/{plant('request-path')}" if kind.path else "")
    query = f"?{kind.query}={plant('query-string')}&page=2" if kind.query else ""
    sent = dict([kind.header(plant("request-headers"))]) if kind.header else {}
    got = [kind.header(plant("response-body"))] if kind.header else []
    body = kind.text(plant("execution-log-text")).encode()
    _Echo.answers[url_path] = (got, body)
    # Userinfo in the configured URL itself: never sent, never shown.
    userinfo = ""
    if "Authorization" not in sent:  # aiohttp refuses both (and so would curl's -u with -H)
        secret = "pw" + "".join(c for c in variant(value, "source-error") if c.isalnum())
        plants.append(Plant(kind.name, "url-userinfo", "", (secret,)))
        userinfo = f"admin:{secret}@"
    url = f"http://{userinfo}127.0.0.1:{port}{url_path}{query}"
    result = asyncio.run(http_probe("invoke-url", url, FrozenClock(0.0), headers=sent))
    return result, plants


@settings(
    max_examples=8,
    phases=[Phase.generate],  # a leak message names kind and carrier; shrinking takes minutes
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(plant_values)
def test_no_planted_secret_reaches_a_probe_transcript(server: int, values: tuple[str, ...]) -> None:
    outputs: dict[str, str] = {}
    plants: list[Plant] = []
    for i, (kind, value) in enumerate(zip(KINDS, values, strict=True)):
        result, planted = _probe_one(server, i, kind, value)
        assert result.status == 502, result.error  # the probe really went through
        plants += planted
        outputs[f"{kind.name} transcript"] = "\n".join(result.transcript)
        outputs[f"{kind.name} result"] = repr((result.url, result.headers, result.body_excerpt))
    assert leaks(outputs, plants) == []

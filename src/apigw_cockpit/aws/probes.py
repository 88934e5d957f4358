"""On-demand probes: invoke-URL request, direct backend probe, TestInvokeMethod, policy simulation, load test.

Every transcript is curl -v shaped and redacted (aws/redact.py) before it leaves here.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import Callable, Mapping

import aiohttp

from apigw_cockpit import __version__, redact
from apigw_cockpit.aws import guard
from apigw_cockpit.aws._parts import paginate
from apigw_cockpit.aws.errors import short
from apigw_cockpit.aws.loadtest import k6_script, load_test
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.model import Clock, LoadTestResult, PolicyDecision, ProbeResult, TestInvokeResult, Topology

BODY_EXCERPT = 2000
BACKEND_CAVEAT = (
    "* note: this probe goes from this machine straight to the backend. It does not pass the VPC link,"
    " the NLB or the security groups the way API Gateway does, so a 200 here proves the backend"
    " answers, not that API Gateway can reach it."
)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def http_probe(
    kind: str,
    url: str,
    clock: Clock,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout_s: float = 35.0,
    notes: tuple[str, ...] = (),
    note: str = "",
) -> ProbeResult:
    """One HTTP request with a curl -v like transcript; never raises for network errors."""
    parts = urllib.parse.urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {
        "Host": parts.netloc.rpartition("@")[2],  # userinfo is never sent, never shown
        "User-Agent": f"apigw-cockpit/{__version__}",
        "Accept": "*/*",
        **(headers or {}),
    }
    lines = [f"* {note}"] if note else []
    lines += [f"* Trying {parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}..."]
    lines += [f"> {method} {redact.url(path)} HTTP/1.1"]
    lines += [f"> {k}: {redact.header_value(k, v)}" for k, v in sent.items()]
    lines += [">"]
    at = clock.now()
    t = time.monotonic()
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout_s)) as session,
            session.request(method, url, headers=headers, data=body, allow_redirects=False) as resp,
        ):
            raw = await resp.content.read(BODY_EXCERPT * 4)
            ms = (time.monotonic() - t) * 1000
            got = tuple((k, v) for k, v in resp.headers.items())
            red = redact.headers(got)
            version = f"{resp.version.major}.{resp.version.minor}" if resp.version else "1.1"
            lines += [f"< HTTP/{version} {resp.status} {resp.reason or _reason(resp.status)}"]
            lines += [f"< {k}: {v}" for k, v in red]
            lines += ["<"]
            text = redact.redact(raw.decode("utf-8", "replace"))[:BODY_EXCERPT]
            lines += text.splitlines() or [""]
            lines += [f"* completed in {ms:.0f} ms", *notes]
            return ProbeResult(
                kind, redact.url(url), method, resp.status, ms, at, red, text, tuple(lines), note=note
            )
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        ms = (time.monotonic() - t) * 1000
        err = redact.redact(short(exc)) if str(exc) else type(exc).__name__
        lines += [f"* error after {ms:.0f} ms: {err}", *notes]
        return ProbeResult(
            kind, redact.url(url), method, None, ms, at, (), "", tuple(lines), error=err, note=note
        )


async def tcp_connect(host: str, port: int, timeout_s: float = 5.0) -> tuple[bool, float, str]:
    t = time.monotonic()
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
        writer.close()
        return True, (time.monotonic() - t) * 1000, ""
    except (OSError, TimeoutError) as exc:
        return False, (time.monotonic() - t) * 1000, type(exc).__name__ + (f": {exc}" if str(exc) else "")


def is_private_endpoint(url: str) -> bool:
    """A VPC endpoint DNS name (`vpce-….execute-api.<region>.vpce.amazonaws.com`): a private API
    reached this way needs the `x-apigw-api-id` header to say which API is meant."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host.startswith("vpce-") and host.endswith(".vpce.amazonaws.com")


class Probes:
    """`invoke_url`: where requests go (default: the API's execute-api URL with the stage).
    A custom domain (base path mapping included), a private endpoint's `vpce-…` URL (the
    `x-apigw-api-id` header is added), or the simulated world's loopback URL."""

    def __init__(
        self, factory: ClientFactory, clock: Clock, topology: Topology, invoke_url: str | None = None
    ) -> None:
        self.factory = factory
        self.clock = clock
        self.topology = topology
        self.base_url = (invoke_url or topology.invoke_url).rstrip("/")
        self.extra_headers: dict[str, str] = (
            {"x-apigw-api-id": topology.api_id} if is_private_endpoint(self.base_url) else {}
        )

    def url_for(self, path: str) -> str:
        return self.base_url + ("/" + path.lstrip("/") if path and path != "/" else "/")

    def _headers(self, headers: Mapping[str, str] | None) -> dict[str, str]:
        return {**self.extra_headers, **(headers or {})}

    async def invoke_url(
        self,
        path: str = "/",
        method: str = "GET",
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        note: str = "",
    ) -> ProbeResult:
        return await http_probe(
            "invoke-url", self.url_for(path), self.clock, method=method, headers=self._headers(headers),
            body=body, note=note,
        )  # fmt: skip

    def default_backend(self) -> tuple[str, int, str]:
        """(host, port, url): the first target behind the NLB, else the integration URI."""
        for tg in self.topology.target_groups():
            for t in tg.targets:
                return t.id, t.port, f"http://{t.id}:{t.port}{tg.health_check_path or '/'}"
        for integ in self.topology.integrations():
            if integ.resolved_uri.startswith("http"):
                p = urllib.parse.urlsplit(integ.resolved_uri)
                port = p.port or (443 if p.scheme == "https" else 80)
                return p.hostname or "", port, integ.resolved_uri
        return "", 0, ""

    async def backend_direct(
        self, host: str | None = None, port: int | None = None, path: str = "/", *, scheme: str = "http"
    ) -> ProbeResult:
        if host is None or port is None:
            dh, dp, durl = self.default_backend()
            host, port = host or dh, port or dp
            url = durl if (host, port) == (dh, dp) and durl else f"{scheme}://{host}:{port}{path}"
        else:
            url = f"{scheme}://{host}:{port}{path}"
        if not host:
            return ProbeResult(
                "backend-direct", "", "GET", None, 0.0, self.clock.now(), error="no backend known"
            )
        ok, ms, err = await tcp_connect(host, port)
        tcp_line = f"* TCP connect {host}:{port}: " + (f"ok in {ms:.0f} ms" if ok else f"failed: {err}")
        if not ok:
            lines = (tcp_line, BACKEND_CAVEAT)
            return ProbeResult(
                "backend-direct", url, "GET", None, ms, self.clock.now(), transcript=lines, error=err
            )
        res = await http_probe("backend-direct", url, self.clock, timeout_s=10.0, notes=(BACKEND_CAVEAT,))
        return ProbeResult(
            res.kind, res.url, res.method, res.status, res.latency_ms, res.at, res.headers,
            res.body_excerpt, (tcp_line, *res.transcript), res.error,
        )  # fmt: skip

    async def test_invoke(
        self,
        resource_id: str,
        method: str,
        confirmed: bool = False,
        *,
        path_with_query: str | None = None,
        body: str = "",
        headers: Mapping[str, str] | None = None,
        note: str = "",
    ) -> TestInvokeResult:
        at = self.clock.now()
        if not confirmed:
            return TestInvokeResult(
                0, 0.0, at, error="not confirmed: TestInvokeMethod calls the real backend", note=note
            )
        if path_with_query is None:
            path_with_query = next((r.path for r in self.topology.resources if r.id == resource_id), "/")
        apigw = await self.factory.client("apigateway")
        kwargs: dict[str, object] = {
            "restApiId": self.topology.api_id,
            "resourceId": resource_id,
            "httpMethod": method,
            "pathWithQueryString": path_with_query,
        }
        if body:
            kwargs["body"] = body
        if headers:
            kwargs["headers"] = dict(headers)
        if self.topology.stage.variables:
            kwargs["stageVariables"] = dict(self.topology.stage.variables)
        try:
            with guard.confirmed("TestInvokeMethod"):
                r = await apigw.test_invoke_method(**kwargs)
        except Exception as exc:
            return TestInvokeResult(0, 0.0, at, error=short(exc), note=note)
        return TestInvokeResult(
            status=int(r.get("status", 0)),
            latency_ms=float(r.get("latency", 0)),
            at=at,
            body=redact.redact(r.get("body", "") or "")[:BODY_EXCERPT],
            # A map value may be null in a JSON answer: a header without a value is "" here.
            headers=redact.headers(sorted((k, v or "") for k, v in (r.get("headers") or {}).items())),
            log=redact.redact(r.get("log", "") or ""),
            note=note,
        )

    async def simulate(self, role_arn: str, action: str, resource: str) -> PolicyDecision:
        iam = await self.factory.client("iam")
        results = await paginate(
            iam,
            "simulate_principal_policy",
            "EvaluationResults",
            PolicySourceArn=role_arn,
            ActionNames=[action],
            ResourceArns=[resource],
        )
        decision = results[0].get("EvalDecision", "implicitDeny") if results else "implicitDeny"
        return PolicyDecision(role_arn, action, resource, decision)

    async def load_test(
        self,
        path: str = "/",
        method: str = "GET",
        *,
        concurrency: int = 10,
        rate_per_s: float = 20.0,
        duration_s: float = 10.0,
        max_requests: int = 1000,
        allow_remote: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        note: str = "",
    ) -> LoadTestResult:
        return await load_test(
            self.url_for(path), self.clock, method=method, concurrency=concurrency, rate_per_s=rate_per_s,
            duration_s=duration_s, max_requests=max_requests, allow_remote=allow_remote,
            on_progress=on_progress, headers=self._headers(headers), body=body, note=note,
        )  # fmt: skip

    def k6_script(
        self,
        path: str = "/",
        method: str = "GET",
        *,
        concurrency: int = 10,
        rate_per_s: float = 20.0,
        duration_s: float = 10.0,
    ) -> str:
        return k6_script(
            self.url_for(path), method=method, concurrency=concurrency, rate_per_s=rate_per_s,
            duration_s=duration_s,
        )  # fmt: skip

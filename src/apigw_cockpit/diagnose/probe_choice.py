"""Which route V1, V5 and V6 probe, and why: the routes that fail, never a MOCK, never a write unasked.

A probe that hits `GET /health` (a MOCK that never reaches the backend) passes in the middle of
an outage, and a probe that sends `POST /orders` writes to production. So:
- routes are ranked by failing requests seen in the execution logs (then per-method 5XXError
  when detailed metrics are on), most first; MOCK integrations and OPTIONS are never probed;
- only safe methods (GET, HEAD, OPTIONS) unless the user names the route AND confirms;
- a route with path parameters is probed with a concrete path from its sample request, or one
  seen in its own failing traces;
- the request carries what a real client sends: the route's sample request from the config file
  (path, query, headers, body), else JSON defaults for the method;
- the choice says why, including when nothing has failed yet.
Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apigw_cockpit.diagnose.observations import Observations, find_series, path_matches
from apigw_cockpit.model import Method, Resource, Topology

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What a client sends when the config file has no sample request for the route.
DEFAULT_HEADERS = {"Accept": "application/json"}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class SampleRequest:
    """`[verify.requests."POST /orders"]` in the config file: what a real client sends."""

    path: str = ""  # concrete path for a templated route ("/orders/o-123")
    query: str = ""  # "a=1&b=2", no leading "?"
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""


@dataclass(frozen=True)
class ProbeChoice:
    """What to send. `refused` set: send nothing, say why (unknown, MOCK, or unconfirmed write)."""

    resource_id: str
    method: str
    resource_path: str
    path: str
    why: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    refused: str = ""

    @property
    def route(self) -> str:
        return f"{self.method} {self.resource_path}"

    @property
    def path_with_query(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")

    @property
    def note(self) -> str:
        """One line for evidence and transcripts."""
        return f"probe {self.method} {self.path_with_query}: {self.refused or self.why}"


def parse_route(text: str) -> tuple[str, str]:
    """'POST /orders' → ('POST', '/orders'). ValueError (one line) if it is not METHOD /path."""
    parts = text.split()
    if len(parts) != 2 or not parts[1].startswith("/") or not parts[0].isalpha():
        raise ValueError(f'route {text!r}: expected METHOD /path, e.g. "POST /orders"')
    return parts[0].upper(), parts[1]


def _probeable(m: Method) -> bool:
    return m.http_method != "OPTIONS" and m.integration is not None and m.integration.type != "MOCK"


def failing_routes(obs: Observations) -> Counter[tuple[str, str]]:
    """(method, resource path) → failing requests seen (traces), or per-method 5XXError sums."""
    routes = [(r.path, m.http_method) for r, m in obs.topology.methods()]
    counts: Counter[tuple[str, str]] = Counter()
    for c in obs.classified:
        if not c.result.failed or not c.result.method:
            continue
        for template, method in routes:
            if method == c.result.method and path_matches(template, c.result.path):
                counts[(method, template)] += 1
                break
    if counts:
        return counts
    for s in find_series(obs, "5XXError", namespace="AWS/ApiGateway", stat="Sum"):
        dims = dict(s.key.dimensions)
        if "Method" in dims and "Resource" in dims:
            total = sum(v for _, v in s.points[-15:])
            if total > 0:
                counts[(dims["Method"], dims["Resource"])] += int(total)
    return counts


def _seen_path(obs: Observations, method: str, template: str) -> str:
    """A concrete path this route was really called with (newest failing first)."""
    for c in sorted(obs.classified, key=lambda c: (c.result.failed, c.trace.first_ts), reverse=True):
        if c.result.method == method and c.result.path and path_matches(template, c.result.path):
            return c.result.path
    return ""


def _request(
    obs: Observations, r: Resource, m: Method, why: str, samples: Mapping[str, SampleRequest]
) -> ProbeChoice | None:
    """The concrete request for a route, or None when a path parameter cannot be filled."""
    sample = samples.get(f"{m.http_method} {r.path}") or SampleRequest()
    path = sample.path or (r.path if "{" not in r.path else _seen_path(obs, m.http_method, r.path))
    if not path or "{" in path:
        return None
    headers = dict(DEFAULT_HEADERS)
    body = sample.body
    if m.http_method in BODY_METHODS:
        headers["Content-Type"] = "application/json"
        body = body or "{}"
    headers.update(dict(sample.headers))
    return ProbeChoice(r.id, m.http_method, r.path, path, why, sample.query, tuple(headers.items()), body)


def choose_probe(
    obs: Observations,
    *,
    route: str = "",
    allow_unsafe: bool = False,
    samples: Mapping[str, SampleRequest] | None = None,
) -> ProbeChoice:
    """The route to probe. `route` ("POST /orders", or a concrete "GET /orders/o-1") is the user's
    pick; `allow_unsafe` is their confirmation that a non-idempotent method may be sent."""
    samples = samples or {}
    if route:
        return _named(obs, route, allow_unsafe, samples)
    counts = failing_routes(obs)
    methods = [(r, m) for r, m in obs.topology.methods() if _probeable(m)]
    ranked = sorted(
        methods,
        key=lambda rm: (-counts.get((rm[1].http_method, rm[0].path), 0), rm[1].http_method != "GET"),
    )
    skipped: list[str] = []
    for r, m in ranked:
        n = counts.get((m.http_method, r.path), 0)
        if m.http_method not in SAFE_METHODS:
            if n:
                skipped.append(f"{m.http_method} {r.path} ({n} failing) is not idempotent")
            continue
        if n:
            total = sum(counts.values())
            why = f"most failing requests: {n} of {total} seen"
        else:
            why = "no failing requests seen yet: first safe route with a backend integration (not a MOCK)"
        if skipped:
            why += f"; {'; '.join(skipped)}: name it with --route and --confirm-unsafe to probe it"
        choice = _request(obs, r, m, why, samples)
        if choice is not None:
            return choice
        skipped.append(f"{m.http_method} {r.path} needs a path parameter (add a sample request)")
    detail = "; ".join(skipped) or "no method with a backend integration"
    return ProbeChoice("", "GET", "/", "/", "", refused=f"nothing safe to probe: {detail}")


def _named(
    obs: Observations, route: str, allow_unsafe: bool, samples: Mapping[str, SampleRequest]
) -> ProbeChoice:
    method, path = parse_route(route)
    match = _find(obs.topology.methods(), method, path)
    if match is None:
        return ProbeChoice("", method, path, path, "", refused=f"no route {method} {path} on this stage")
    r, m = match
    if m.integration is None or m.integration.type == "MOCK":
        why = "a MOCK integration never reaches the backend: a probe of it proves nothing"
        return ProbeChoice(r.id, method, r.path, path, "", refused=why)
    if method not in SAFE_METHODS and not allow_unsafe:
        why = f"{method} is not idempotent: it may write to production; confirm with --confirm-unsafe"
        return ProbeChoice(r.id, method, r.path, path, "", refused=why)
    named = {**samples}
    if "{" in r.path and path != r.path:
        base = named.get(f"{method} {r.path}") or SampleRequest()
        named[f"{method} {r.path}"] = SampleRequest(path, base.query, base.headers, base.body)
    choice = _request(obs, r, m, "named by the user", named)
    if choice is None:
        why = f"{r.path} has path parameters: name a concrete path, e.g. {method} {_example(r.path)}"
        return ProbeChoice(r.id, method, r.path, path, "", refused=why)
    return choice


def _find(
    methods: Iterable[tuple[Resource, Method]], method: str, path: str
) -> tuple[Resource, Method] | None:
    pairs = [(r, m) for r, m in methods if m.http_method == method]
    exact = next(((r, m) for r, m in pairs if r.path == path), None)
    return exact or next(((r, m) for r, m in pairs if path_matches(r.path, path)), None)


def _example(template: str) -> str:
    import re

    return re.sub(r"\{[^}]+\}", "1", template)


def default_target(topo: Topology) -> tuple[str, str, str]:
    """(resource id, method, path) with no traffic known: the first safe, non-MOCK, parameterless route."""
    for r, m in topo.methods():
        if _probeable(m) and m.http_method in SAFE_METHODS and "{" not in r.path:
            return r.id, m.http_method, r.path
    return "", "GET", "/"

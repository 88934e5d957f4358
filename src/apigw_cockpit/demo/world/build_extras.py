"""Topology elements added by issue 13 (authorizers, usage plans, Lambda concurrency, backend
certificate expiry and latency tails), read on top of what build.py built, each validated with
its key path like the rest of the topology."""

from __future__ import annotations

from typing import Any

from apigw_cockpit.demo.world.state import AuthorizerState, UsagePlanState, WorldState

AUTHORIZER_TYPES = ("TOKEN", "REQUEST", "JWT")


class _Fail(Exception):
    """(key, message): build.py turns it into a ScenarioError naming the file."""


def _num(d: dict[str, Any], key: str, path: str, lo: float, hi: float, default: float) -> float:
    v = d.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
        raise _Fail(f"{path}.{key}", f"expected a number in {lo:g}..{hi:g}, got {v!r}")
    return float(v)


def _table(topo: dict[str, Any], key: str) -> dict[str, Any]:
    v = topo.get(key, {})
    if not isinstance(v, dict):
        raise _Fail(f"topology.{key}", "must be a table")
    return v


def _jwt(d: dict[str, object], p: str, n: str, ws: WorldState) -> AuthorizerState:
    """A JWT authorizer (HTTP APIs only: REST APIs have Cognito user-pool authorizers instead)."""
    if not ws.is_http:
        raise _Fail(f"{p}.type", "JWT authorizers exist on HTTP APIs only")
    issuer, audience = d.get("issuer"), d.get("audience")
    if not isinstance(issuer, str) or not issuer.startswith("https://"):
        raise _Fail(f"{p}.issuer", f"must be an https:// URL, got {issuer!r}")
    if not isinstance(audience, list) or not audience or not all(isinstance(a, str) for a in audience):
        raise _Fail(f"{p}.audience", f"must be a non-empty list of strings, got {audience!r}")
    return AuthorizerState(n, str(d.get("id", n)), "", "JWT", issuer, tuple(audience), issuer, audience[0])


def build_extras(topo: dict[str, Any], ws: WorldState) -> WorldState:
    for n, d in _table(topo, "authorizers").items():
        p = f"topology.authorizers.{n}"
        if str(d.get("type", "")).upper() == "JWT":
            ws.authorizers[n] = _jwt(d, p, n, ws)
            continue
        fn = d.get("function")
        if fn not in ws.lambdas:
            raise _Fail(f"{p}.function", f"unknown lambda {fn!r} (defined: {', '.join(sorted(ws.lambdas))})")
        typ = str(d.get("type", "TOKEN")).upper()
        if typ not in AUTHORIZER_TYPES:
            raise _Fail(f"{p}.type", f"must be one of {AUTHORIZER_TYPES}, got {typ!r}")
        ws.authorizers[n] = AuthorizerState(n, str(d.get("id", n)), str(fn), typ)
    for n, d in _table(topo, "usage_plans").items():
        p = f"topology.usage_plans.{n}"
        if "rate_limit" not in d:
            raise _Fail(f"{p}.rate_limit", "missing")
        ws.usage_plans[n] = UsagePlanState(
            n,
            str(d.get("id", n)),
            _num(d, "rate_limit", p, 0.01, 10000, 0),
            int(_num(d, "burst_limit", p, 0, 5000, 0)),
            str(d.get("key_id", f"key-{n}")),
        )
    for n, d in _table(topo, "resources").items():
        for verb, md in (d.get("methods") or {}).items():
            m = ws.resources[n].methods[verb.upper()]
            p = f"topology.resources.{n}.methods.{verb}"
            auth = md.get("authorizer", "")
            if auth:
                if auth not in ws.authorizers:
                    raise _Fail(f"{p}.authorizer", f"unknown authorizer {auth!r}")
                m.authorizer, m.authorization = str(auth), "CUSTOM"
            m.api_key_required = bool(md.get("api_key_required", False))
            if m.api_key_required and not ws.usage_plans:
                raise _Fail(f"{p}.api_key_required", "no usage plan in the topology to count it against")
    for n, d in _table(topo, "lambdas").items():
        p = f"topology.lambdas.{n}"
        ws.lambdas[n].reserved_concurrency = int(_num(d, "reserved_concurrency", p, -1, 10000, -1))
    for n, d in _table(topo, "backends").items():
        p = f"topology.backends.{n}"
        b = ws.backends[n]
        b.tls_expired = bool(d.get("tls_expired", False))
        b.slow_fraction = _num(d, "slow_fraction", p, 0, 1, 0)
        b.slow_ms = _num(d, "slow_ms", p, 0, 900_000, 0)
        if b.slow_fraction and not b.slow_ms:
            raise _Fail(f"{p}.slow_ms", "missing (a latency tail needs its slow latency)")
    return ws

"""Change ↔ incident correlation: which CloudTrail change could have started it, and how likely.

A change counts for a root cause only when (1) its effect can produce that cause (changes.toml:
an ingress *authorize* cannot block, a permission *add* cannot remove access), (2) it touches the
hop of the failing route (the route's Lambda, role, integration, VPC link, NLB, targets' security
groups, backend), and (3) it came shortly before onset. Older changes stay listed with a small
score, so when nothing recent explains the failure the last change to the failing hop is shown.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from apigw_cockpit.diagnose.observations import Observations, failing, path_matches
from apigw_cockpit.diagnose.onset import Onset
from apigw_cockpit.diagnose.vocabulary import ROOT_CAUSES, RegistryError
from apigw_cockpit.model import Change, Topology

WINDOW_S = 30 * 60  # changes up to 30 min before onset are candidates
GRACE_S = 90  # onset is minute-aligned: a change up to 90 s "after" may be the cause
LONG_AGO_S = 6 * 3600  # older than this before onset: not even a long-ago candidate

_API_VERSION = re.compile(r"\d{8}(v\d+)?$")  # CloudTrail's "RemovePermission20150331v2"
# Event-name prefixes that take something away: on a tie, the likelier cause.
REMOVALS = ("Revoke", "Delete", "Remove", "Detach", "Deregister", "Disable")
_GENERIC_TOKENS = {"api", "svc", "service", "prod", "http", "https", "www", "com", "example", "internal"}


@dataclass(frozen=True)
class Correlated:
    change: Change
    kind: str
    score: float  # proximity × on-path, in [0, 1]
    delta_s: float  # onset - change time (positive: change came first)
    on_path: bool
    reason: str
    effect: str = "modifies"
    produces: tuple[str, ...] = ()  # root causes a change of this kind and effect can produce


@cache
def _table() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, ...]]]:
    raw = tomllib.loads(resources.files(__package__).joinpath("changes.toml").read_text("utf-8"))
    events = {name: (str(v["kind"]), str(v["effect"])) for name, v in raw["events"].items()}
    produces = {key: tuple(str(c) for c in causes) for key, causes in raw["produces"].items()}
    unknown = sorted({c for cs in produces.values() for c in cs} - set(ROOT_CAUSES))
    if unknown:
        raise RegistryError(f"changes.toml: unknown root causes {', '.join(unknown)}")
    missing = sorted({f"{k}:{e}" for k, e in events.values()} - set(produces))
    if missing:
        raise RegistryError(f"changes.toml: no [produces] entry for {', '.join(missing)}")
    return events, produces


def event_effect(event_name: str) -> tuple[str, str]:
    """(kind, effect) of a CloudTrail event name; ("other", "modifies") when unknown."""
    return _table()[0].get(_API_VERSION.sub("", event_name), ("other", "modifies"))


def event_kind(event_name: str) -> str:
    return event_effect(event_name)[0]


def produces(kind: str, effect: str) -> tuple[str, ...]:
    """Root causes a change of this kind and effect can produce (unknown kinds: any)."""
    found = _table()[1].get(f"{kind}:{effect}")
    return found if found is not None else tuple(ROOT_CAUSES)


def _mentions(change: Change, ids: set[str]) -> set[str]:
    text = " ".join(change.resources) + " " + change.request_parameters
    return {i for i in ids if len(i) >= 4 and i in text}


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", text.lower()) if len(t) >= 4 and t not in _GENERIC_TOKENS}


def _path_ids(topo: Topology, paths: set[str]) -> dict[str, set[str]]:
    """Ids on the request path of `paths` (every route when empty), by hop."""
    fns: set[str] = set()
    roles: set[str] = set()
    resource_ids: set[str] = set()
    backend_tokens: set[str] = set()
    vpc_link = False
    for res, method in topo.methods():
        integ = method.integration
        if integ is None or (paths and not any(path_matches(res.path, p) for p in paths)):
            continue
        resource_ids.add(res.id)
        fn = topo.lambda_by_arn(integ.lambda_arn) if integ.lambda_arn else None
        if fn is not None:
            fns |= {fn.name, fn.arn}
            if fn.role_arn:
                roles.add(fn.role_arn)
        elif integ.lambda_arn:
            fns.add(integ.lambda_arn.split(":function:")[-1].split(":")[0])
        if integ.credentials:
            roles |= {integ.credentials, integ.credentials.split("/")[-1]}
        if integ.type in ("HTTP", "HTTP_PROXY"):
            vpc_link = vpc_link or integ.connection_type == "VPC_LINK"
            backend_tokens |= _tokens(integ.resolved_uri or integ.uri)
    target_sgs: set[str] = set()
    lb_ids: set[str] = set()
    tg_ids: set[str] = set()
    if vpc_link or not paths:
        for lb in topo.load_balancers:
            lb_ids |= {lb.arn, lb.name} | {s for _, s in lb.azs}
            target_sgs |= set(lb.security_groups)
            for tg in lb.target_groups:
                tg_ids |= {tg.arn, tg.name}
                target_sgs |= {sg for t in tg.targets for sg in t.security_groups}
                backend_tokens |= _tokens(tg.name) | _tokens(lb.name)
    return {
        "sg": target_sgs,
        "nlb": lb_ids,
        "target-group": tg_ids,
        "vpc-link": {v.id for v in topo.vpc_links} if vpc_link or not paths else set(),
        "lambda": fns,
        "role": roles,
        "resource": resource_ids,
        "backend": backend_tokens,
        "api": {topo.api_id},
    }


def _hops(ch: Change, kind: str, ids: dict[str, set[str]]) -> list[str]:
    hops = [hop for hop, found in ids.items() if hop != "backend" and _mentions(ch, found)]
    if kind == "backend-release" and ids["backend"] & _tokens(
        " ".join(ch.resources) + " " + ch.request_parameters
    ):
        hops.append("backend")
    return hops


def _on_path(kind: str, hops: list[str], ch: Change, ids: dict[str, set[str]]) -> bool:
    """Does a change of this kind touch the failing route's hop (not merely the same API)?"""
    need = {
        "sg": "sg",
        "nacl": "sg",
        "lambda-permission": "lambda",
        "lambda-code": "lambda",
        "lambda-config": "lambda",
        "lambda-concurrency": "lambda",
        "role": "role",
        "vpc-link": "vpc-link",
        "nlb": "nlb",
        "nlb-deleted": "nlb",
        "target-group": "target-group",
        "backend-release": "backend",
    }.get(kind)
    if kind == "sg-description":
        return False
    if kind in ("integration", "integration-response", "method"):
        # Per route: the call names the resource it changed.
        return "api" in hops and (not _resource_id(ch) or _resource_id(ch) in ids["resource"])
    if need is None:
        return bool(hops)
    return need in hops


def _resource_id(ch: Change) -> str:
    try:
        params = json.loads(ch.request_parameters) if ch.request_parameters else {}
    except ValueError:
        return ""
    return str(params.get("resourceId", "")) if isinstance(params, dict) else ""


def proximity(delta: float) -> float:
    if delta < -GRACE_S:
        return 0.0  # after onset: a reaction, not a cause
    if delta <= 0:
        return 1.0
    if delta <= WINDOW_S:
        return 1.0 - 0.6 * delta / WINDOW_S
    if delta <= LONG_AGO_S:
        return 0.05  # hours before: still listed, never a winner on time alone
    return 0.0


def failing_paths(obs: Observations) -> set[str]:
    return {c.result.path for c in failing(obs) if c.result.path}


def correlate(obs: Observations, onset: Onset | None, paths: Iterable[str] | None = None) -> list[Correlated]:
    """Every mutating change, scored against the routes in `paths` (default: the failing ones)."""
    topo = obs.topology
    ids = _path_ids(topo, set(paths) if paths is not None else failing_paths(obs))
    all_ids = topo.resource_ids()
    out: list[Correlated] = []
    for ch in obs.changes:
        if ch.read_only:
            continue
        kind, effect = event_effect(ch.event_name)
        hops = _hops(ch, kind, ids)
        if kind == "other" and hops:
            kind = hops[0]
        on_path = _on_path(kind, hops, ch, ids)
        weight = 1.0 if on_path else (0.15 if _mentions(ch, all_ids) else 0.05)
        delta = (onset.at - ch.time) if onset else 0.0
        prox = proximity(delta) if onset else 0.3
        where = "on the failing path" if on_path else "not on the failing path"
        when = f"{_ago(abs(delta))} {'before' if delta >= 0 else 'after'} onset" if onset else "no onset"
        out.append(
            Correlated(
                ch,
                kind,
                round(prox * weight, 3),
                delta,
                on_path,
                f"{ch.event_name} {where}, {when}",
                effect,
                produces(kind, effect),
            )
        )
    # Same score and time (a rule swapped for another): the removal is the likelier cause; then the
    # narrower change (UpdateAuthorizer can break one thing, the CreateDeployment that shipped it six).
    out.sort(
        key=lambda c: (
            -c.score,
            abs(c.delta_s),
            not c.change.event_name.startswith(REMOVALS),
            len(c.produces) or 99,
        )
    )
    return out


def _ago(seconds: float) -> str:
    if seconds >= 5400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min"


def best_for(cause: str, ranked: Iterable[Correlated]) -> Correlated | None:
    """The best on-path change that can produce `cause` (ranked as `correlate` returns them)."""
    for c in ranked:
        if c.on_path and c.score > 0 and cause in c.produces:
            return c
    return None

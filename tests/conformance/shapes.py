"""Hypothesis strategies built from botocore's own output shapes (the installed service models).

Nothing here knows what a "good" answer looks like: every value comes from the shape tree
(type, enum, min/max, nesting). The generated values are what botocore's parsers would
hand to our code (parsed form: `datetime` for timestamps, `bytes` for blobs), because the
responder answers in `before-call`, after serialisation and before parsing (see README).

What the strategies deliberately produce, because AWS does:
- optional members absent (botocore marks almost no output member required);
- `null` map values (`"responseTemplates": {"application/json": null}` in AWS's own examples);
- empty lists, empty strings, very long strings;
- enum values the model does not know yet (AWS adds enum values without a new API version).

Two tables narrow the space where AWS is stricter than its model says, each entry with why:
`IDENTITY` (members AWS always returns: the id of a listed item) and `hints.HINTS`
(values of the right *form* so a topology connects: an ARN where an ARN goes).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from typing import Any

import botocore.session
from botocore.model import OperationModel, Shape
from hypothesis import strategies as st

from . import hints

SESSION = botocore.session.get_session()

MAX_DEPTH = 7  # deeper than anything the cockpit reads; keeps EC2's huge shapes cheap to draw
MAX_LIST = 3
LONG = 5000  # "very long string": far above any field the cockpit shows, below memory worries

# (shape name, member): members AWS returns on every item of a list answer. botocore marks
# none of them required (output shapes rarely mark anything), but an item without its id is
# not something any AWS API sends: the item *is* the id.
IDENTITY: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("apigateway", "Resource", "id"),
        ("apigateway", "RestApi", "id"),
        ("apigateway", "Stage", "stageName"),
        ("apigateway", "DomainName", "domainName"),
        ("apigatewayv2", "Api", "ApiId"),
        ("elbv2", "TargetHealthDescription", "Target"),
        ("elbv2", "TargetDescription", "Id"),
        ("elbv2", "TargetGroup", "TargetGroupArn"),
        ("elbv2", "LoadBalancer", "LoadBalancerArn"),
        ("ec2", "SecurityGroup", "GroupId"),
        ("ec2", "GroupIdentifier", "GroupId"),
        ("ec2", "SecurityGroupIdentifier", "GroupId"),
        ("ec2", "VpcEndpoint", "VpcEndpointId"),
        ("cloudwatch", "MetricDataResult", "Id"),
        ("iam", "AttachedPolicy", "PolicyArn"),
    }
)


def operation(service: str, name: str) -> OperationModel:
    return SESSION.get_service_model(service).operation_model(name)


_UNKNOWN_ENUM = st.sampled_from(["FUTURE_VALUE", "x-new-state", "unknown"])
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_STRING = st.one_of(
    st.just(""),
    _TEXT,
    st.builds(lambda c, n: c * n, st.sampled_from("a/é:"), st.integers(LONG, LONG + 10)),
)
_TIME = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(dt.UTC)
)


def _bounded_int(shape: Shape) -> st.SearchStrategy[int]:
    lo = shape.metadata.get("min")
    hi = shape.metadata.get("max")
    lo = int(lo) if lo is not None else -(2**31)
    hi = int(hi) if hi is not None else 2**31 - 1
    return st.one_of(st.sampled_from(sorted({lo, min(max(0, lo), hi), hi})), st.integers(lo, hi))


def _string(shape: Shape) -> st.SearchStrategy[str]:
    enum = shape.enum
    if enum:
        return st.one_of(st.sampled_from(list(enum)), _UNKNOWN_ENUM)
    return _STRING


class Builder:
    """shape → strategy, memoised by (shape name, depth): EC2 shapes are large and shared."""

    def __init__(self, service: str, operation_name: str) -> None:
        self.service = service
        self.operation_name = operation_name
        self._memo: dict[tuple[str, int, str], st.SearchStrategy[Any]] = {}

    def output(self, op: OperationModel) -> st.SearchStrategy[dict[str, Any]]:
        shape = op.output_shape
        if shape is None:
            return st.just({})
        return self.structure(shape, 0, top=True)

    def value(self, shape: Shape, depth: int, parent: str = "", member: str = "") -> st.SearchStrategy[Any]:
        hint = hints.for_member(self.service, parent, member)
        if hint is not None:
            return hint
        key = (shape.name, depth, f"{parent}.{member}" if shape.type_name == "map" else "")
        if key in self._memo:
            return self._memo[key]
        t = shape.type_name
        strat: st.SearchStrategy[Any]
        if t == "structure":
            strat = self.structure(shape, depth)
        elif t == "list":
            if depth >= MAX_DEPTH:
                strat = st.just([])
            else:
                strat = st.lists(self.value(shape.member, depth + 1), max_size=MAX_LIST)
        elif t == "map":
            if depth >= MAX_DEPTH:
                strat = st.just({})
            else:
                vals = self.value(shape.value, depth + 1)
                hinted = hints.keys_for(self.service, parent, member)
                keys = hinted if hinted is not None else _TEXT.filter(bool)
                # null map values: AWS prints them (responseTemplates, variables, headers).
                strat = st.dictionaries(keys, st.one_of(vals, st.none()), max_size=MAX_LIST)
        elif t == "string":
            strat = _string(shape)
        elif t in ("integer", "long"):
            strat = _bounded_int(shape)
        elif t in ("float", "double"):
            strat = st.floats(allow_nan=False, allow_infinity=False, width=64)
        elif t == "boolean":
            strat = st.booleans()
        elif t == "timestamp":
            strat = _TIME
        elif t == "blob":
            strat = st.binary(max_size=16)
        else:  # document and anything newer: any JSON value
            strat = st.none()
        self._memo[key] = strat
        return strat

    def structure(self, shape: Shape, depth: int, *, top: bool = False) -> st.SearchStrategy[dict[str, Any]]:
        key = (shape.name, depth, "top" if top else "")
        if key in self._memo:
            return self._memo[key]
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        linked: dict[str, st.SearchStrategy[Any]] = {}  # optional, but usually present
        for name, member in shape.members.items():
            if member.metadata.get("location") in ("header", "headers", "statusCode") and top:
                continue  # response metadata, not body
            if top and name in hints.tokens_of(self.service, self.operation_name):
                continue  # the responder owns pagination tokens (multi-page answers)
            if member.type_name == "structure" and member.serialization.get("eventstream"):
                continue  # event streams are answered by the responder
            must = name in shape.required_members or (self.service, shape.name, name) in IDENTITY
            if depth >= MAX_DEPTH and not must:
                continue
            strat = self.value(member, depth + 1, shape.name, name)
            if must:
                required[name] = strat
            elif hints.links(self.service, shape.name, name):
                linked[name] = strat
            else:
                optional[name] = strat
        if getattr(shape, "is_tagged_union", False) and (required or optional):
            # a union sets exactly one member
            members = {**required, **linked, **optional}
            strat = st.one_of(*[st.fixed_dictionaries({k: v}) for k, v in members.items()])
        elif linked:
            # Linked members (the ones a topology hangs on) present in most answers, absent in some.
            strat = st.one_of(
                st.fixed_dictionaries({**required, **linked}, optional=optional),
                st.fixed_dictionaries({**required, **linked}, optional=optional),
                st.fixed_dictionaries(required, optional={**linked, **optional}),
            )
        else:
            strat = st.fixed_dictionaries(required, optional=optional)
        self._memo[key] = strat
        return strat


def output_strategy(service: str, operation_name: str) -> st.SearchStrategy[dict[str, Any]]:
    return Builder(service, operation_name).output(operation(service, operation_name))


def event_strategy(service: str, operation_name: str) -> st.SearchStrategy[dict[str, Any]]:
    """One event of an operation's output event stream (e.g. StartLiveTail), exceptions excluded."""
    op = operation(service, operation_name)
    out = op.output_shape
    assert out is not None
    [stream] = [m for m in out.members.values() if m.serialization.get("eventstream")]
    b = Builder(service, operation_name)
    members = {n: m for n, m in stream.members.items() if not m.metadata.get("exception")}
    return st.one_of(*[st.fixed_dictionaries({n: b.value(m, 1, stream.name, n)}) for n, m in members.items()])


def parsed_form(shape: Shape | None, value: Any) -> Any:
    """A published example (CLI JSON) in the form botocore's parser hands over: timestamps
    printed as ISO strings or epoch seconds become aware datetimes, like the parser makes them."""
    from botocore.utils import parse_timestamp

    if shape is None or value is None:
        return value
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        return {k: parsed_form(shape.members.get(k), v) for k, v in value.items()}
    if t == "list" and isinstance(value, list):
        return [parsed_form(shape.member, v) for v in value]
    if t == "map" and isinstance(value, dict):
        return {k: parsed_form(shape.value, v) for k, v in value.items()}
    if t == "timestamp" and isinstance(value, str | int | float):
        return parse_timestamp(value)
    if shape.name == "policyDocumentType" and isinstance(value, dict):
        # The CLI prints IAM documents decoded (botocore's after-call `json_decode_policies`
        # does it); on the wire they are URL-encoded JSON, which is what we hand to botocore.
        return urllib.parse.quote(json.dumps(value))
    return value

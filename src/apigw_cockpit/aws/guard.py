"""The read-only guard: a `before-call` handler that refuses every operation not on the allowlist.

The allowlist is data (`allowlist.toml`); the IAM policy file is tested against it.
Opt-in operations (TestInvokeMethod really calls the backend) pass only inside
`with confirmed("TestInvokeMethod"):`, a contextvar so one task's consent never leaks
into another's.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from typing import Any

from apigw_cockpit.aws.errors import ReadOnlyViolation
from apigw_cockpit.aws.untyped import Client


@dataclass(frozen=True)
class Allowlist:
    """service (botocore name) → operation → IAM action; opt-in operation → policy Sid."""

    actions: dict[str, dict[str, str]]
    opt_in: dict[str, dict[str, str]]

    def allows(self, service: str, operation: str) -> bool:
        return operation in self.actions.get(service, {})

    def iam_action(self, service: str, operation: str) -> str:
        return self.actions[service][operation]

    def all_actions(self) -> set[str]:
        return {a for ops in self.actions.values() for a in ops.values()}


def load_allowlist(text: str | None = None) -> Allowlist:
    if text is None:
        text = resources.files("apigw_cockpit.aws").joinpath("allowlist.toml").read_text()
    raw = tomllib.loads(text)
    actions: dict[str, dict[str, str]] = {}
    opt_in: dict[str, dict[str, str]] = {}
    for service, spec in raw.items():
        ops = spec["operations"]
        prefix = spec["iam_prefix"]
        actions[service] = dict(ops) if isinstance(ops, dict) else {op: f"{prefix}:{op}" for op in ops}
        opt_in[service] = dict(spec.get("opt_in", {}))
    return Allowlist(actions, opt_in)


ALLOWLIST = load_allowlist()

_confirmed: ContextVar[frozenset[str]] = ContextVar("apigw_cockpit_confirmed", default=frozenset())


@contextlib.contextmanager
def confirmed(operation: str) -> Iterator[None]:
    """The user said yes to this opt-in operation, for calls made inside this block only."""
    token = _confirmed.set(_confirmed.get() | {operation})
    try:
        yield
    finally:
        _confirmed.reset(token)


def check(service: str, operation: str, allowlist: Allowlist = ALLOWLIST) -> None:
    """Raise ReadOnlyViolation unless `service:operation` may be called right now."""
    if not allowlist.allows(service, operation):
        raise ReadOnlyViolation(f"refused {service}:{operation}: apigw-cockpit is read-only")
    if operation in allowlist.opt_in.get(service, {}) and operation not in _confirmed.get():
        raise ReadOnlyViolation(
            f"refused {service}:{operation}: apigw-cockpit is read-only "
            "(this call reaches the backend; confirm it first)"
        )


def install(client: Client, allowlist: Allowlist = ALLOWLIST) -> None:
    """Register the guard on one client, first among before-call handlers."""
    service = client.meta.service_model.service_name

    def _before_call(model: Any, **_: Any) -> None:
        check(service, model.name, allowlist)

    # register_first so a Stubber or any other responder can never answer a refused call;
    # also before parameter build, so a refused call is refused before it is even serialized.
    client.meta.events.register_first(
        "before-parameter-build.*.*", _before_call, unique_id="apigw-cockpit-guard-params"
    )
    client.meta.events.register_first("before-call.*.*", _before_call, unique_id="apigw-cockpit-guard")

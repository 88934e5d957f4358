"""What each HTTP attempt of the poll in flight answered, so a poll cut by its deadline can say why.

botocore retries inside one API call (throttles, 5xx, resets). When a poll runs out of time in
the middle of those retries, the call never returns its error; the `response-received` event
(once per attempt) is the only place that saw it. The poller puts a fresh `Attempts` in a
context variable before each poll; the hook fills it from the same task context.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass, field
from typing import Any

from apigw_cockpit.aws.untyped import Client


@dataclass
class Attempts:
    """`answered_at` (time.monotonic()) moves when an attempt succeeds (a page arrived). Errors
    botocore is retrying (throttles, 5xx, resets, read timeouts) do not move it: a poll that
    only retries for its whole deadline is cut and says what the last attempt got."""

    count: int = 0
    last_code: str = ""
    last_error: str = ""  # one line, as errors.short() would write it
    answered_at: float = field(default_factory=time.monotonic)


CURRENT: contextvars.ContextVar[Attempts | None] = contextvars.ContextVar(
    "apigw_cockpit_attempts", default=None
)


def _received(parsed_response: Any = None, exception: BaseException | None = None, **_: Any) -> None:
    holder = CURRENT.get()
    if holder is None:
        return
    holder.count += 1
    if exception is not None:
        holder.last_code = type(exception).__name__
        holder.last_error = " ".join(f"{type(exception).__name__}: {exception}".split())[:200]
        return
    err = (parsed_response or {}).get("Error") if isinstance(parsed_response, dict) else None
    if not err:
        holder.answered_at = time.monotonic()
    elif err.get("Code"):
        holder.last_code = str(err["Code"])
        msg = str(err.get("Message") or "")
        holder.last_error = " ".join(f"{holder.last_code}: {msg}".split())[:200] if msg else holder.last_code


def install(client: Client) -> None:
    client.meta.events.register("response-received.*.*", _received, unique_id="apigw-cockpit-attempts")

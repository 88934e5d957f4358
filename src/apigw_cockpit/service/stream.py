"""`watch --headless`: every update as one JSON line, and the engine's diagnosis whenever it changes.

Lines (stable keys): first `{"type": "topology", ...}`; then one per update,
`{"type": "metrics"|"logs"|"target_health"|"changes"|"alarms"|"status", "source", "at", ...}`;
and `{"type": "diagnosis", "source": "engine", "at", ...}` carrying the same object as
`check --json` each time it differs from the last one written (the first once every poller
answered once, like `check`; then at most once per `every_s` real seconds while updates keep
coming, once more when they pause, and once at the end).
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import time
from typing import TYPE_CHECKING, TextIO

from apigw_cockpit import outbound
from apigw_cockpit.aws.feed import Feed
from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.diagnose.report import DiagnosisJson, result_json
from apigw_cockpit.model import (
    AlarmsUpdate,
    ChangesUpdate,
    LogsUpdate,
    MetricsUpdate,
    SourceState,
    SourceStatus,
    TargetHealthUpdate,
    TopologyUpdate,
    Update,
)

TYPES: dict[type, str] = {
    MetricsUpdate: "metrics",
    LogsUpdate: "logs",
    TargetHealthUpdate: "target_health",
    ChangesUpdate: "changes",
    AlarmsUpdate: "alarms",
    TopologyUpdate: "topology",
    SourceStatus: "status",
}
DIAGNOSE_EVERY_S = 1.0

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def plain(value: object) -> object:
    """Dataclasses → objects, enums → values, tuples → arrays: JSON-able."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain_fields(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def plain_fields(value: DataclassInstance) -> dict[str, object]:
    """One dataclass instance → a JSON object of its fields (`plain` of each)."""
    return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}


def to_json_line(update: Update) -> str:
    body = plain_fields(update)
    kind = TYPES.get(type(update), type(update).__name__.lower())
    if isinstance(update, MetricsUpdate):
        body["series"] = [{**plain_fields(s), "label": s.key.label} for s in update.series]
    # The one writer of headless lines, so the one place they are redacted: log lines carry
    # request headers, paths and bodies verbatim.
    return outbound.dumps({"type": kind, **body}, separators=(",", ":"), sort_keys=False)


class _Diagnoser:
    """The one collector and the engine, run off the loop; remembers what it last wrote."""

    def __init__(self, feed: Feed, out: TextIO, every_s: float) -> None:
        self.feed, self.out, self.every_s = feed, out, every_s
        self.collector = ObservationBuilder(feed.topology)
        self.dirty = False
        self.last_run = float("-inf")
        self.last: DiagnosisJson | None = None
        # Like `check`, the first answer waits for every poller's first round: a diagnosis of
        # half the sources would only be taken back a second later.
        self.waiting = {p.name for p in feed.pollers}

    def add(self, update: Update) -> None:
        self.collector.add(update)
        self.dirty = True
        if not (isinstance(update, SourceStatus) and update.state == SourceState.STARTING):
            self.waiting.discard(update.source)

    def wait_s(self) -> float | None:
        """Seconds until a pending run is due (None: nothing pending)."""
        if not self.dirty or self.waiting:
            return None
        return max(0.0, self.last_run + self.every_s - time.monotonic())

    async def maybe_run(self, *, final: bool = False) -> None:
        if not self.dirty or (self.waiting and not final):
            return
        if not final and time.monotonic() - self.last_run < self.every_s:
            return
        self.dirty, self.last_run = False, time.monotonic()
        obs = self.collector.build(self.feed.clock.now())
        doc = result_json(await asyncio.to_thread(pipeline.run, obs))
        if doc != self.last:
            self.last = doc
            line = {"type": "diagnosis", "source": "engine", "at": obs.now, **doc}
            self.out.write(outbound.dumps(line, separators=(",", ":")) + "\n")
            self.out.flush()


async def stream(
    feed: Feed, out: TextIO, duration: float | None, *, every_s: float = DIAGNOSE_EVERY_S
) -> None:
    head = {
        "type": "topology",
        "source": "discovery",
        "at": feed.clock.now(),
        "topology": plain(feed.topology),
    }
    out.write(outbound.dumps(head, separators=(",", ":")) + "\n")
    out.flush()
    engine = _Diagnoser(feed, out, every_s)
    deadline = None if duration is None else time.monotonic() + duration
    it = feed.updates().__aiter__()
    try:
        while True:
            waits = [
                w
                for w in (engine.wait_s(), None if deadline is None else deadline - time.monotonic())
                if w is not None
            ]
            timeout = max(0.0, min(waits)) if waits else None
            try:
                update = await asyncio.wait_for(it.__anext__(), timeout)
            except TimeoutError:
                if deadline is not None and time.monotonic() >= deadline:
                    break
                await engine.maybe_run()
                continue
            except StopAsyncIteration:
                break
            out.write(to_json_line(update) + "\n")
            out.flush()
            engine.add(update)
            await engine.maybe_run()
    finally:
        await it.aclose()  # type: ignore[attr-defined]
    # The answer on everything received, when the run ends (unless nothing changed since).
    await engine.maybe_run(final=True)

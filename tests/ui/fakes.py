"""Test doubles for the UI: the fixture feeds, a frozen diagnoser, a poller that fails."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from apigw_cockpit.model import LogsUpdate, Update
from apigw_cockpit.ui.analysis import Diagnoser
from apigw_cockpit.ui.fixtures import NOW, FakeFeed, FakePoller, healthy, midnight_pager, topology

__all__ = ["NOW", "FailingPoller", "FakeFeed", "FakePoller", "frozen_diagnoser", "healthy", "midnight_pager"]


@dataclass
class _Classification:
    verdict: str
    status: int | None = None


def _classify(lines: Sequence[str]) -> _Classification:
    """Fixed verdicts so snapshots do not move while the real classifier evolves."""
    text = "\n".join(lines)
    if "timeout error" in text:
        return _Classification("integration-timeout", 504)
    if "Successfully completed" in text:
        return _Classification("ok", 200)
    return _Classification("unknown")


def frozen_diagnoser() -> Diagnoser:
    return Diagnoser(lookup=False, classify=_classify)


@dataclass
class FailingPoller:
    name: str
    error: Exception

    async def __aiter__(self) -> AsyncIterator[Update]:  # type: ignore[override]
        raise self.error
        yield  # pragma: no cover - makes this an async generator


def feed_with(*updates: Update, extra: Sequence[Any] = ()) -> FakeFeed:
    """The midnight topology; a logs poller delivering exactly `updates`, plus `extra` pollers."""
    return FakeFeed(topology(), [FakePoller("logs", list(updates)), *extra])


def log_update(*events: Any) -> LogsUpdate:
    return LogsUpdate("logs", NOW, tuple(events))

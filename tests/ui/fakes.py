"""Test doubles for the UI: the fixture feeds and a poller that fails."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from apigw_cockpit.model import LogsUpdate, Update

from .fixtures import NOW, FakeFeed, FakePoller, healthy, midnight_pager, topology

__all__ = ["NOW", "FailingPoller", "FakeFeed", "FakePoller", "healthy", "midnight_pager"]


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

"""Messages from the feed workers to the app (messages up; the state store goes down), and the
notify callback the app hands its collaborators."""

from __future__ import annotations

from typing import Protocol

from textual.message import Message
from textual.notifications import SeverityLevel

from apigw_cockpit.model import LogsUpdate, Update

MAX_COALESCED_EVENTS = 20_000  # one merged batch never grows past this; the excess is counted as dropped


class FeedUpdate(Message, bubble=False):
    """Any non-log update from one poller."""

    def __init__(self, poller: str, update: Update) -> None:
        super().__init__()
        self.poller = poller
        self.update = update


class LogsBatch(Message, bubble=False):
    """New log lines. While the app is behind, queued batches merge into the newest one,
    so a 10,000 lines/s burst costs one state update per UI cycle, not one per batch."""

    def __init__(self, poller: str, update: LogsUpdate) -> None:
        super().__init__()
        self.poller = poller
        self.update = update

    def can_replace(self, message: Message) -> bool:
        # Called on the queued (older) message with the newer one: fold ours into it.
        if not isinstance(message, LogsBatch) or message.poller != self.poller:
            return False
        old, new = self.update, message.update
        events = old.events + new.events
        dropped = old.dropped + new.dropped
        if len(events) > MAX_COALESCED_EVENTS:
            dropped += len(events) - MAX_COALESCED_EVENTS
            events = events[-MAX_COALESCED_EVENTS:]
        traces = {t.request_id: t for t in old.traces + new.traces}
        message.update = LogsUpdate(new.source, new.at, events, tuple(traces.values()), dropped)
        return True


class FeedEnded(Message, bubble=False):
    """A poller's iterator finished (fakes do; live pollers should not)."""

    def __init__(self, poller: str) -> None:
        super().__init__()
        self.poller = poller


class Notify(Protocol):
    """`App.notify` as the collaborators of the app get it: a toast, nothing else of the app."""

    def __call__(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None: ...

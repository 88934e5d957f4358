"""Feed workers: one async worker per poller posting typed messages; one failure handler.

Workers never touch widgets or the state store: they only post messages. The app's
`on_feed_update`/`on_logs_batch` hand them back to `FeedWorkers.apply`, on the UI loop;
panes pick the change up on the next tick.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from apigw_cockpit.model import LogsUpdate, SourceStatus
from apigw_cockpit.ui.feed import Poller, observer_of
from apigw_cockpit.ui.messages import FeedEnded, FeedUpdate, LogsBatch, Notify
from apigw_cockpit.ui.sanitize import clean

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.feed import Feed
    from apigw_cockpit.ui.state import CockpitState

POLL_GROUP = "poll:"


class FeedWorkers:
    """The feed's pollers as workers on `host`, posting to it; the host hands what they post
    to `apply`, which puts it in `state`. `tick` is the host's redraw."""

    def __init__(
        self, host: App[int], feed: Feed, state: CockpitState, clock: Clock, tick: Callable[[], None]
    ) -> None:
        self._host, self._feed, self._state, self._clock, self._tick = host, feed, state, clock, tick
        self.workers: list[Worker[None]] = []
        self._painted: set[str] = set()

    def start(self) -> None:
        self.workers = [self.start_poller(poller) for poller in self._feed.pollers]

    async def wait(self) -> None:
        """Tests and benchmarks: until every (finite) poller has been drained."""
        for worker in self.workers:
            # A failed source is shown by report_failure; here it only means "done".
            with contextlib.suppress(WorkerFailed, WorkerCancelled):
                await worker.wait()

    def start_poller(self, poller: Poller) -> Worker[None]:
        # exclusive=True: restarting a source (refresh) cancels its previous worker first.
        return self._host.run_worker(
            self._consume(poller),
            name=f"{POLL_GROUP}{poller.name}",
            group=f"{POLL_GROUP}{poller.name}",
            exclusive=True,
            exit_on_error=False,
        )

    async def _consume(self, poller: Poller) -> None:
        observe = observer_of(self._feed)
        async for update in poller:
            if observe is not None:
                observe(update)
            if isinstance(update, LogsUpdate):
                self._host.post_message(LogsBatch(poller.name, update))
            else:
                self._host.post_message(FeedUpdate(poller.name, update))
        self._host.post_message(FeedEnded(poller.name))

    def apply(self, message: FeedUpdate | LogsBatch) -> None:
        self._state.apply(message.update)
        # A source's first data paints at once; after that the refresh tick paces redraws.
        if message.poller not in self._painted:
            self._painted.add(message.poller)
            self._host.call_next(self._tick)

    def poll_now(self) -> None:
        """The refresh key: every poller that can (aws/ ones; fakes may not) polls at once."""
        for poller in self._feed.pollers:
            poll_now = getattr(poller, "poll_now", None)
            if callable(poll_now):
                poll_now()

    def poll_statuses(self) -> None:
        """Pollers that expose `status()` (aws/ does) are asked directly each tick: they only
        *emit* a SourceStatus when the state changes, so a quiet-but-healthy source would age."""
        for poller in self._feed.pollers:
            status = getattr(poller, "status", None)
            if not callable(status):
                continue
            try:
                current = status()
            except Exception:
                continue
            if isinstance(current, SourceStatus) and current != self._state.sources.get(current.source):
                self._state.set_source(current)

    def source_failed(self, source: str, reason: str) -> None:
        self._state.source_failed(source, reason, self._clock.now())


def report_failure(event: Worker.StateChanged, notify: Notify, feed: FeedWorkers | None = None) -> None:
    """The one place that decides how a failing source looks: its status turns red,
    one notification says why, and every other source carries on."""
    if event.state != WorkerState.ERROR:
        return
    name, error = event.worker.name or "", event.worker.error
    # An exception's text can quote a request, a URL with userinfo, a header: sanitised
    # here, once, for the toast and the status bar alike.
    reason = clean(f"{type(error).__name__}: {error}") if error is not None else "failed"
    if name.startswith(POLL_GROUP):
        source = name[len(POLL_GROUP) :]
        if feed is not None:
            feed.source_failed(source, reason)
        notify(f"{source}: {reason}", title="source failed", severity="error", timeout=8)
    else:
        notify(f"{name or 'worker'}: {reason}", severity="error", timeout=8)

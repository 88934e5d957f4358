"""Feed workers: one async worker per poller posting typed messages; one failure handler.

Workers never touch widgets or the state store: they only post messages. The app's
`@on` handlers apply them to the store; panes pick the change up on the next tick.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from apigw_cockpit.model import LogsUpdate, SourceStatus
from apigw_cockpit.ui.feed import Poller, observer_of
from apigw_cockpit.ui.messages import FeedEnded, FeedUpdate, LogsBatch
from apigw_cockpit.ui.sanitize import clean

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.feed import Feed
    from apigw_cockpit.ui.state import CockpitState

    _Base = App[int]
else:
    _Base = object

POLL_GROUP = "poll:"


class FeedWorkers(_Base):
    feed: Feed
    state: CockpitState
    clock: Clock

    def tick(self) -> None: ...

    poll_workers: list[Worker[None]]

    def start_pollers(self) -> None:
        self.poll_workers = [self.start_poller(poller) for poller in self.feed.pollers]

    async def wait_for_pollers(self) -> None:
        """Tests and benchmarks: until every (finite) poller has been drained."""
        for worker in self.poll_workers:
            # A failed source is shown by on_worker_state_changed; here it only means "done".
            with contextlib.suppress(WorkerFailed, WorkerCancelled):
                await worker.wait()

    def start_poller(self, poller: Poller) -> Worker[None]:
        # exclusive=True: restarting a source (refresh) cancels its previous worker first.
        return self.run_worker(
            self._consume(poller),
            name=f"{POLL_GROUP}{poller.name}",
            group=f"{POLL_GROUP}{poller.name}",
            exclusive=True,
            exit_on_error=False,
        )

    async def _consume(self, poller: Poller) -> None:
        observe = observer_of(self.feed)
        async for update in poller:
            if observe is not None:
                observe(update)
            if isinstance(update, LogsUpdate):
                self.post_message(LogsBatch(poller.name, update))
            else:
                self.post_message(FeedUpdate(poller.name, update))
        self.post_message(FeedEnded(poller.name))

    # Handlers are found by name (on_<message>): @on in a plain mixin is not collected.
    def on_feed_update(self, message: FeedUpdate) -> None:
        self.state.apply(message.update)
        self._first_data(message.poller)

    def on_logs_batch(self, message: LogsBatch) -> None:
        self.state.apply(message.update)
        self._first_data(message.poller)

    def poll_statuses(self) -> None:
        """Pollers that expose `status()` (aws/ does) are asked directly each tick: they only
        *emit* a SourceStatus when the state changes, so a quiet-but-healthy source would age."""
        for poller in self.feed.pollers:
            status = getattr(poller, "status", None)
            if not callable(status):
                continue
            try:
                current = status()
            except Exception:
                continue
            if isinstance(current, SourceStatus) and current != self.state.sources.get(current.source):
                self.state.set_source(current)

    def _first_data(self, poller: str) -> None:
        # A source's first data paints at once; after that the refresh tick paces redraws.
        seen: set[str] = self.__dict__.setdefault("_painted_sources", set())
        if poller not in seen:
            seen.add(poller)
            self.call_next(self.tick)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place that decides how a failing source looks: its status turns red,
        one notification says why, and every other source carries on."""
        name = event.worker.name or ""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        # An exception's text can quote a request, a URL with userinfo, a header: sanitised
        # here, once, for the toast and the status bar alike.
        reason = clean(f"{type(error).__name__}: {error}") if error is not None else "failed"
        if name.startswith(POLL_GROUP):
            source = name[len(POLL_GROUP) :]
            self.state.source_failed(source, reason, self.clock.now())
            self.notify(f"{source}: {reason}", title="source failed", severity="error", timeout=8)
        else:
            self.notify(f"{name or 'worker'}: {reason}", severity="error", timeout=8)

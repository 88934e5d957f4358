"""The cockpit's one engine worker: the diagnosis runs here, off the UI thread, one run at a time.

When the inputs change (debounced by the store) or a key asks, the store's snapshot goes to
`diagnose.pipeline.run` in a thread; the result comes back to the UI loop and into the store,
and `on_result` redraws. A request while a run is busy is remembered and served right after.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.diagnose.pipeline import EngineResult

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.state import CockpitState

ENGINE_GROUP = "engine"
_LIVE = (WorkerState.PENDING, WorkerState.RUNNING)


class EngineWorker:
    """Runs the pipeline on `host`'s workers and puts each result into `state`."""

    def __init__(
        self, host: App[int], state: CockpitState, clock: Clock, on_result: Callable[[], None]
    ) -> None:
        self._host, self._state, self._clock, self._on_result = host, state, clock, on_result
        self.runs = 0  # finished runs: for tests and benches
        self._worker: Worker[None] | None = None
        self._again = False

    def run(self, *, force: bool = False) -> None:
        """Start a run if the inputs changed and the debounce passed (or `force`); never two at once."""
        if self._worker is not None and self._worker.state in _LIVE:
            self._again = self._again or force or self._state.engine_due(force=False)
            return
        if not self._state.engine_due(force=force):
            return
        obs = self._state.snapshot(self._clock.now())
        self._worker = self._host.run_worker(
            lambda: self._diagnose(obs),
            thread=True,
            name=ENGINE_GROUP,
            group=ENGINE_GROUP,
            exit_on_error=False,
        )

    def _diagnose(self, first: Observations) -> None:
        obs: Observations | None = first
        while obs is not None:
            result = pipeline.run(obs)
            try:
                # On the UI loop: store the result, and take the next snapshot if one was asked for.
                obs = self._host.call_from_thread(self._diagnosed, result)
            except RuntimeError:
                return  # the app is closing: nobody is left to show the result

    def _diagnosed(self, result: EngineResult) -> Observations | None:
        self.runs += 1
        self._state.set_result(result)
        self._on_result()
        if not self._again:
            return None
        self._again = False
        self._state.engine_due(force=True)  # restarts the debounce: this run serves the request
        return self._state.snapshot(self._clock.now())

    async def settled(self) -> EngineResult | None:
        """Tests and screenshots: diagnose everything received so far and wait for the answer."""
        self.run(force=True)
        while (worker := self._worker) is not None and worker.state in _LIVE:
            with contextlib.suppress(Exception):
                await worker.wait()
        return self._state.result

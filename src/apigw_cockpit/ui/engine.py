"""The cockpit's one engine worker: the diagnosis runs here, off the UI thread, one run at a time.

When the inputs change (debounced by the store) or a key asks, the store's snapshot goes to
`diagnose.pipeline.run` in a thread; the result comes back to the UI loop and into the store,
and the panes draw it. A request while a run is busy is remembered and served right after.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.diagnose.pipeline import EngineResult

if TYPE_CHECKING:
    from textual.app import App

    from apigw_cockpit.model import Clock
    from apigw_cockpit.ui.state import CockpitState

    _Base = App[int]
else:
    _Base = object

ENGINE_GROUP = "engine"
_LIVE = (WorkerState.PENDING, WorkerState.RUNNING)


class EngineWorker(_Base):
    state: CockpitState
    clock: Clock
    engine_runs: int = 0  # finished runs: for tests and benches
    _engine: Worker[None] | None = None
    _engine_again: bool = False

    def sync_screen(self) -> None: ...

    def run_engine(self, *, force: bool = False) -> None:
        """Start a run if the inputs changed and the debounce passed (or `force`); never two at once."""
        if self._engine is not None and self._engine.state in _LIVE:
            self._engine_again = self._engine_again or force or self.state.engine_due(force=False)
            return
        if not self.state.engine_due(force=force):
            return
        obs = self.state.snapshot(self.clock.now())
        self._engine = self.run_worker(
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
                obs = self.call_from_thread(self._diagnosed, result)
            except RuntimeError:
                return  # the app is closing: nobody is left to show the result

    def _diagnosed(self, result: EngineResult) -> Observations | None:
        self.engine_runs += 1
        self.state.set_result(result)
        self.sync_screen()
        if not self._engine_again:
            return None
        self._engine_again = False
        self.state.engine_due(force=True)  # restarts the debounce: this run serves the request
        return self.state.snapshot(self.clock.now())

    async def diagnosis_settled(self) -> EngineResult | None:
        """Tests and screenshots: diagnose everything received so far and wait for the answer."""
        self.run_engine(force=True)
        while (worker := self._engine) is not None and worker.state in _LIVE:
            with contextlib.suppress(Exception):
                await worker.wait()
        return self.state.result

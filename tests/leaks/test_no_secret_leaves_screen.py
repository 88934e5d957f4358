"""Property: a secret planted in any field reaches no output — the cockpit's screens.

The real cockpit app (real diagnoser, real journal sink) is fed the planted world through a
feed: execution-log requests, CloudTrail changes and failing sources carrying secrets; notes
with secrets are typed into the note screen. Checked: the cockpit screen, the trace screen of
every planted request, the checks and timeline screens, an SVG screenshot of each, the journal
the cockpit wrote and the report (md and JSON) made from it. The web view (`serve`) renders
this same app, so it shows what these screens show.
"""

from __future__ import annotations

import asyncio
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.console import Console
from tests.ui import fixtures
from textual.widgets import Input

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.incident.sink import sink_for
from apigw_cockpit.model import ChangesUpdate, FrozenClock, LogsUpdate, SourceState, SourceStatus
from apigw_cockpit.ui.app import CockpitApp, build_app
from apigw_cockpit.ui.screens.trace import TraceScreen

from . import planted
from .kinds import Plant, all_plants, leaks, plant_values
from .outputs import report_outputs

pytestmark = pytest.mark.sim  # slow lane: drives the whole app through every screen

NOW = fixtures.NOW
SOURCES = ("metrics", "logs", "target_health", "changes", "alarms")


def _feed(plants: list[Plant], offset: int) -> fixtures.FakeFeed:
    base = fixtures.midnight_pager()
    group = base.topology.log_groups.execution
    logs = LogsUpdate(
        "logs",
        NOW,
        tuple(planted.log_events(plants, group, NOW)),
        planted.traces(plants, group, NOW),
    )
    changes = ChangesUpdate("changes", NOW, fixtures.changes(True).changes + planted.changes(plants, NOW))
    errors = planted.of(plants, "source-error")
    shown = [errors[(offset + i) % len(errors)] for i in range(len(SOURCES))]
    statuses = [
        SourceStatus(name, SourceState.ERROR, NOW, last_ok=NOW - 90, last_error=p.text)
        for name, p in zip(SOURCES, shown, strict=True)
    ]
    by_name = {p.name: p for p in base.pollers}
    by_name["logs"].updates = [*by_name["logs"].updates, logs]
    by_name["changes"].updates = [changes]
    for poller in base.pollers:
        st_ = next(s for s in statuses if s.source == poller.name)
        poller.updates = [*poller.updates, st_]
    return base


def _text(app: CockpitApp) -> str:
    width, height = app.size
    console = Console(width=width, height=height, record=True, force_terminal=True, file=io.StringIO())
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def _drive(app: CockpitApp, notes: list[str], out: dict[str, str]) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        await app.feed_workers.wait()
        await pilot.pause()
        await app.engine.settled()
        app.tick()
        await pilot.pause()
        out["cockpit screen"] = _text(app)
        out["cockpit svg"] = app.export_screenshot()
        for note in notes:
            await pilot.press("n")
            app.screen.query_one(Input).value = note
            await pilot.press("enter")
        rows = list(app.state.rows.values())
        planted_rows = [r for r in rows if r.request_id.startswith("5ec2e7")]
        assert planted_rows, "the planted requests reached the log pane"
        traces = []
        for row in planted_rows:
            app.push_screen(TraceScreen(row, app.state.verdict_of(row)))
            await pilot.pause()
            traces.append(_text(app))
            if row is planted_rows[0]:
                out["trace svg"] = app.export_screenshot()
            app.pop_screen()
        out["trace screens"] = "\n".join(traces)
        for key, name in (("c", "checks"), ("t", "timeline")):
            await pilot.press(key)
            await pilot.pause()
            app.tick()
            await pilot.pause()
            out[f"{name} screen"] = _text(app)
            out[f"{name} svg"] = app.export_screenshot()
            await pilot.press("escape")
        assert app.journal is not None
        assert await asyncio.to_thread(app.journal.flush)


def _run(plants: list[Plant], offset: int) -> dict[str, str]:
    out: dict[str, str] = {}
    notes = [p.text for p in planted.of(plants, "note-text")]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "incident.jsonl"
        feed = _feed(plants, offset)
        clock = FrozenClock(NOW)
        builtin = paths.builtin_themes_dir()
        app = build_app(
            Settings(),
            feed,
            clock,
            theme_dirs=[builtin] if builtin else [],
            journal=sink_for(path, feed.topology, clock),
        )
        app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
        app.screenshot_dir = Path(d)  # type: ignore[misc]
        asyncio.run(_drive(app, notes, out))
        out |= report_outputs(path)
    return out


@settings(
    max_examples=1,  # every kind in every carrier each run; one drive of the app is ~1 min
    # No shrinking: each example drives the app for many seconds, and a leak names kind and carrier.
    phases=[Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(plant_values, st.integers(min_value=0, max_value=100))
def test_no_planted_secret_reaches_a_screen_a_screenshot_or_the_cockpits_journal(
    values: tuple[str, ...], offset: int
) -> None:
    plants = all_plants(values)
    outputs: dict[str, Any] = _run(plants, offset)
    assert leaks(outputs, plants) == []
    # The planted material was really on each screen (redacted), not scrolled away unseen.
    for name in ("trace screens", "journal file", "report md", "report json"):
        assert "[REDACTED]" in outputs[name], name

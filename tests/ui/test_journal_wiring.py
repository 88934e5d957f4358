"""The cockpit keeps the incident journal: keys, state and the diagnosis land in it, off the UI thread.

Fake feed (the midnight-pager picture), FrozenClock, the real diagnose layer (so hypotheses
exist), a journal in tmp. Every wait is on a condition with a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from apigw_cockpit import paths
from apigw_cockpit.config import Settings
from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.recovery import find_recovery
from apigw_cockpit.incident import read_journal
from apigw_cockpit.incident.sink import JournalSink, sink_for
from apigw_cockpit.model import FrozenClock
from apigw_cockpit.ui.app import CockpitApp, DrillSpec, build_app
from apigw_cockpit.ui.drill import DrillTracker
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.screens.timeline import DetailScreen, TimelineScreen
from apigw_cockpit.ui.screens.trace import TraceScreen
from apigw_cockpit.ui.state import CockpitState

from .conftest import screen_text, settle, wait_for
from .fixtures import NOW, ONSET, REVOKE_AT, FakeFeed, healthy, midnight_pager

ROOT_CAUSE = "sg-blocks-nlb-targets"


def make(feed: FakeFeed, path: Path, *, drill: bool = True, **settings: Any) -> CockpitApp:
    clock = FrozenClock(NOW)
    builtin = paths.builtin_themes_dir()
    app = build_app(
        Settings(**settings),
        feed,
        clock,
        theme_dirs=[builtin] if builtin else [],
        journal=sink_for(path, feed.topology, clock, scenario="midnight-pager"),
        drill=DrillSpec("midnight-pager", ROOT_CAUSE) if drill else None,
    )
    app.start_theme_watcher = lambda: None  # type: ignore[method-assign]
    return app


def kinds(path: Path) -> list[str]:
    return [e["kind"] for e in read_journal(path).entries]


def of(path: Path, kind: str) -> list[dict[str, Any]]:
    return [e for e in read_journal(path).entries if e["kind"] == kind]


async def drained(app: CockpitApp, pilot: Any) -> None:
    """Let the writer thread catch up with what the UI submitted (flush waits in a thread)."""
    import asyncio

    assert app.journal is not None
    assert await asyncio.to_thread(app.journal.flush)
    await pilot.pause()


async def test_state_keys_and_diagnosis_land_in_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "incident.jsonl"
    feed = midnight_pager()
    app = make(feed, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")  # the checks screen: findings and the ranking, fresh
        await wait_for(lambda: bool(app.state.hypotheses), pilot)
        app.tick()
        await pilot.press("escape", "n", *"sg rule gone", "enter", "F", "s")
        await drained(app, pilot)
        entries = read_journal(path).entries
        start = entries[0]
        assert start["kind"] == "session-start" and start["resumed"] is False
        assert start["api"] == "a1b2c3d4e5" and start["api_name"] == "orders-prod"
        assert start["scenario"] == "midnight-pager" and start["region"] == "us-east-1"
        changes = of(path, "change")
        assert {c["event_id"] for c in changes} == {"ev-old", "ev-revoke"}
        assert [o["at"] for o in of(path, "onset")] == [ONSET]
        assert of(path, "hypothesis")[-1]["ranked"][0]["root_cause"] == ROOT_CAUSE
        checks = {c["id"]: c["verdict"] for c in of(path, "check")}
        assert checks["security-groups"] == "error"
        assert "backend-direct" not in checks  # only ever "unknown" (not run): not a result yet
        assert [n["text"] for n in of(path, "note")] == ["sg rule gone"]
        assert [f["at"] for f in of(path, "fix-mark")] == [NOW]
        shots = [s["path"] for s in of(path, "screenshot")]
        assert any(p.endswith("onset-001530.svg") for p in shots), shots  # taken at onset
        assert all(Path(p).is_file() for p in shots) and len(shots) == 2  # onset + `s`
        imp = of(path, "impact")[-1]
        assert imp["peak_5xx_per_min"] >= 148 and imp["window_start"] == ONSET
        # Re-observing the same world writes nothing new (the journal and the watch dedupe).
        before = len(read_journal(path).entries)
        await app.engine.settled()
        app.tick()
        await drained(app, pilot)
        assert len(read_journal(path).entries) == before
    ends = of(path, "session-end")
    assert [e["reason"] for e in ends] == ["exit"]


async def test_reopening_continues_the_incident(tmp_path: Path) -> None:
    path = tmp_path / "incident.jsonl"
    for _ in range(2):
        app = make(midnight_pager(), path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await drained(app, pilot)
    starts = of(path, "session-start")
    assert [s["resumed"] for s in starts] == [False, True]
    assert len(of(path, "onset")) == 1  # the resumed session keeps the incident's onset
    assert len(of(path, "change")) == 2  # CloudTrail events are not journaled twice


async def test_drill_key_applies_the_fix_and_writes_the_drill(tmp_path: Path) -> None:
    path = tmp_path / "incident.jsonl"
    feed = midnight_pager()
    app = make(feed, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await wait_for(lambda: isinstance(app.screen, InfoScreen) and bool(app.state.hypotheses), pilot)
        app.tick()
        assert app.drill.found_after is not None and app.drill.found_keys == 1
        await pilot.press("escape", "X")
        assert feed.fixes == 1 and app.state.fix_time == NOW
        # After a fix the checklist runs with the checks (every step pending: nothing after NOW yet);
        # a fix inside the outage gives it signals to judge, and the journal records the verdicts.
        await wait_for(lambda: bool(app.state.verification), pilot, timeout=10)
        app.state.mark_fix(ONSET + 60)
        await wait_for(lambda: any(s.status == "fail" for s in app.state.verification), pilot, timeout=10)
        app.tick()
        await drained(app, pilot)
        steps = {s["id"]: s["status"] for s in of(path, "verification")[-1]["steps"]}
        assert steps["V2"] == "fail" and steps["V1"] == "pending"
        await pilot.press("R")  # the report closes an open drill into the journal first
        await drained(app, pilot)
        drills = of(path, "drill")
        assert len(drills) == 1
        d = drills[0]
        assert d["scenario"] == "midnight-pager" and d["root_cause"] == ROOT_CAUSE and d["correct"] is True
        assert d["keystrokes"] == 1 and d["keystrokes_to_fix"] == 3
        assert d["time_to_root_cause_s"] >= 0
        fix = of(path, "fix-mark")
        assert [(f["at"], f["by"]) for f in fix] == [(NOW, "drill")]


async def test_drill_key_absent_without_a_fixable_feed(tmp_path: Path) -> None:
    feed = midnight_pager()
    app = make(feed, tmp_path / "j.jsonl", read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("X")
        assert feed.fixes == 0 and app.state.fix_time is None


async def test_timeline_shows_the_change_before_onset_and_jumps_to_evidence(tmp_path: Path) -> None:
    path = tmp_path / "incident.jsonl"
    app = make(midnight_pager(), path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await wait_for(lambda: bool(app.state.hypotheses), pilot)
        await pilot.press("escape")
        app.tick()
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await wait_for(lambda: bool(screen.entries), pilot)  # the journal was read in a worker
        titles = [(r.at, r.kind, r.title) for r in screen.rows]
        revoke = next(i for i, r in enumerate(titles) if "RevokeSecurityGroupIngress" in r[2])
        onset = next(i for i, r in enumerate(titles) if r[1] == "onset")
        assert revoke < onset and titles[revoke][0] == REVOKE_AT and titles[onset][0] == ONSET
        assert any(r[1] == "hypothesis" and ROOT_CAUSE in r[2] for r in titles)
        text = screen_text(app)
        assert text.index("RevokeSecurityGroupIngress by alex") < text.index("onset: 5XX starts")

        options = screen.query_one(OptionList)
        options.highlighted = revoke
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        assert "fromPort" in screen_text(app) and "sg-0ab12cd34ef56" in screen_text(app)
        await pilot.press("escape")
        trace = next(i for i, r in enumerate(screen.rows) if r.kind == "trace")
        options.highlighted = trace
        await pilot.press("enter")
        assert isinstance(app.screen, TraceScreen) and "Execution failed" in screen_text(app)
        await pilot.press("escape")
        check = next(i for i, r in enumerate(screen.rows) if r.kind == "check")
        options.highlighted = check
        await pilot.press("enter")
        assert isinstance(app.screen, InfoScreen) and app.screen.kind == "checks"


async def test_report_key_writes_the_postmortem(tmp_path: Path) -> None:
    path = tmp_path / "incident.jsonl"
    app = make(midnight_pager(), path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await wait_for(lambda: bool(app.state.hypotheses), pilot)
        app.tick()
        await pilot.press("escape", "R")
        report = path.with_suffix(".md")
        await wait_for(lambda: any("postmortem written" in str(n.message) for n in app._notifications), pilot)
        text = report.read_text()
        assert ROOT_CAUSE in text and "RevokeSecurityGroupIngress" in text
        assert "## Timeline" in text and "## The lesson" in text
        assert str(report) in " ".join(str(n.message) for n in app._notifications)


async def test_unwritable_journal_is_one_notification_and_the_cockpit_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    path = blocker / "incident.jsonl"  # its parent is a file: the journal cannot open
    # Every notification as it is posted: on a loaded box a toast may expire before the end.
    # Patched on the class, before the app hands `notify` to its collaborators.
    titles: list[str] = []
    notify = CockpitApp.notify

    def counting(self: CockpitApp, message: str, **kw: Any) -> None:
        titles.append(str(kw.get("title", "")))
        notify(self, message, **kw)

    monkeypatch.setattr(CockpitApp, "notify", counting)
    app = make(midnight_pager(), path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await wait_for(lambda: any("journal off" in str(n.message) for n in app._notifications), pilot)
        await pilot.press("n", *"still works", "enter", "F", "R")
        await wait_for(
            lambda: any("postmortem not written" in str(n.message) for n in app._notifications), pilot
        )
        assert [n.text for n in app.state.notes] == ["still works"] and app.state.fix_time == NOW
        assert titles.count("journal") == 1
    assert app.return_code in (0, None)


async def test_no_journal_means_no_writes(make_app: Callable[..., Any], tmp_path: Path) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        assert any("no incident journal" in str(n.message) for n in app._notifications)
    assert not list((tmp_path / "state").rglob("*.jsonl"))


def _state(feed: FakeFeed) -> CockpitState:
    import asyncio

    state = CockpitState(feed.topology)

    async def drain() -> None:
        for poller in feed.pollers:
            async for update in poller:
                state.apply(update)

    asyncio.run(drain())
    return state


def test_impact_and_recovery_from_the_metrics() -> None:
    broken = _state(midnight_pager())
    # The journal's impact is the engine's incident window (diagnose/window.py), onset → now.
    window = pipeline.run(broken.snapshot(NOW)).window
    assert window is not None and window.ongoing and window.end == NOW
    assert window.peak_5xx_per_min >= 148 and window.errors_5xx > 400
    assert window.error_rate is not None and 0.9 < window.error_rate <= 1.0
    # Recovery is the engine's one detector (diagnose.recovery), read from the same collector.
    assert find_recovery(replace(broken.snapshot(NOW), fix_time=ONSET)) is None  # still failing
    fine = _state(healthy())
    # the first whole period after the fix
    rec = find_recovery(replace(fine.snapshot(NOW), fix_time=NOW - 600))
    assert rec is not None and rec.by == "fix" and rec.at == NOW - 600 - (NOW - 600) % 60 + 60


def test_sink_defaults_to_the_xdg_path(tmp_path: Path) -> None:
    feed = midnight_pager()
    sink = sink_for(None, feed.topology, FrozenClock(NOW))
    assert isinstance(sink, JournalSink)
    assert sink.path.name == "a1b2c3d4e5-prod-2026-11-26.jsonl"
    assert sink.path.parent == tmp_path / "state" / "apigw-cockpit" / "incidents"


def test_drill_tracker_times_keys_and_recovery() -> None:
    ticks = iter([100.0, 112.5])
    drill = DrillTracker(DrillSpec("midnight-pager", ROOT_CAUSE), mono=lambda: next(ticks))
    drill.key()
    assert not drill.shown("integration-timeout")  # a wrong first suspect is not the answer
    drill.key()
    assert drill.shown(ROOT_CAUSE) and not drill.shown(ROOT_CAUSE)  # recorded once
    drill.key()
    drill.fixed(1000.0, ROOT_CAUSE)
    assert drill.pending and drill.milestone("recovery", 1048.0)
    entry = drill.entry()
    assert entry["time_to_root_cause_s"] == 12.5 and entry["keystrokes"] == 2
    assert entry["keystrokes_to_fix"] == 3 and entry["fix_to_recovery_s"] == 48.0 and entry["correct"]
    assert "right" in drill.summary() and "48 s" in drill.summary()


def test_cli_ui_flags_and_config_intervals_reach_the_settings(tmp_path: Path) -> None:
    from apigw_cockpit.cli import build_parser
    from apigw_cockpit.config import load_settings
    from apigw_cockpit.service.settings import aws_intervals

    cfg = tmp_path / "config.toml"
    cfg.write_text("[intervals]\nlogs = 5\ntarget_health = 30\nbogus = 1\n")
    for command in ("watch", "demo"):
        args = build_parser().parse_args(["--config", str(cfg), command, "--read-only", "--presenter"])
        settings = load_settings(args, env={})
        assert settings.read_only and settings.presenter
        intervals = aws_intervals(settings)
        assert (intervals.logs, intervals.target_health, intervals.metrics) == (5.0, 30.0, 60.0)

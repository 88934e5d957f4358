"""The state store and messages: bounded buffers, collapsing batches, onset, config precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigw_cockpit.config import Settings, load_settings, read_file
from apigw_cockpit.diagnose import classify, find_onset, pipeline
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.model import Change, ChangesUpdate, LogEvent, LogsUpdate
from apigw_cockpit.ui.messages import LogsBatch
from apigw_cockpit.ui.state import PENDING, CockpitState

from .fakes import NOW
from .fixtures import logs, metrics, topology


def _events(n: int, start: int = 0) -> tuple[LogEvent, ...]:
    out = []
    for i in range(start, start + n):
        rid = f"{i:08x}-0000-4000-8000-000000000000"
        out.append(LogEvent(f"e{i}", NOW, "g", "s", f"({rid}) Execution failed due to a timeout error"))
    return out  # type: ignore[return-value]


def _diagnosed(state: CockpitState) -> None:
    """What the app's engine worker does, inline: snapshot → pipeline → store."""
    state.set_result(pipeline.run(state.snapshot(NOW)))


def test_log_buffer_is_bounded_and_counts_drops() -> None:
    state = CockpitState(topology(), log_capacity=50)
    state.apply(LogsUpdate("logs", NOW, tuple(_events(120)), dropped=7))
    assert len(state.rows) == 50
    assert state.dropped == 70 + 7
    newest = next(reversed(state.rows.values()))
    assert newest.failed
    assert state.verdict_of(newest) == PENDING  # the engine has not answered yet: never a guess


def test_row_verdicts_are_the_engines_classification() -> None:
    state = CockpitState(topology())
    update = logs(broken=True)
    state.apply(update)
    row = next(reversed(state.rows.values()))
    assert state.verdict_of(row) == PENDING
    _diagnosed(state)
    trace = next(t for t in update.traces if t.request_id == row.request_id)
    expected = classify(trace.lines).verdict
    assert expected not in ("unknown", "success")  # a real failure verdict, not a placeholder
    assert state.verdict_of(row) == expected


def test_queued_log_batches_fold_into_the_newest() -> None:
    older = LogsBatch("logs", LogsUpdate("logs", NOW, tuple(_events(3)), dropped=1))
    newer = LogsBatch("logs", LogsUpdate("logs", NOW + 1, tuple(_events(2, start=3))))
    other = LogsBatch("lambda-logs", LogsUpdate("lambda-logs", NOW, ()))
    assert not older.can_replace(other)
    assert older.can_replace(newer)
    assert [e.event_id for e in newer.update.events] == ["e0", "e1", "e2", "e3", "e4"]
    assert newer.update.dropped == 1


def test_onset_is_the_engines() -> None:
    state = CockpitState(topology())
    state.apply(metrics(broken=True))
    assert state.onset is None  # no result yet: the store never computes an onset itself
    _diagnosed(state)
    found = find_onset(state.snapshot(NOW))
    assert found is not None and state.onset == found.at
    assert state.suspect_change() is None  # no changes yet


def test_engine_runs_are_debounced() -> None:
    state = CockpitState(topology(), debounce_s=2.0)
    assert not state.engine_due(100.0)  # nothing received yet
    state.apply(metrics(broken=True))
    assert state.engine_due(100.0)
    state.apply(metrics(broken=True))
    assert not state.engine_due(101.0)  # changed, but too soon
    assert state.engine_due(102.5)
    assert not state.engine_due(200.0)  # nothing changed since
    assert state.engine_due(200.0, force=True)  # a key asked


def test_config_precedence_flags_env_file(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('theme = "cockpit-light"\nrefresh = 5\n[keys]\npause = "space"\n[intervals]\nlogs = 4\n')

    class Args:
        config = str(cfg)
        theme = None
        refresh = 0.5
        ascii = False

    s = load_settings(Args(), env={"APIGW_COCKPIT_THEME": "high-contrast"})
    assert s.theme == "high-contrast"  # env beats file
    assert s.refresh == 0.5  # flag beats file
    assert s.keys["pause"] == "space" and s.intervals["logs"] == 4.0 and s.intervals["metrics"] == 60.0
    assert load_settings(None, env={"XDG_CONFIG_HOME": str(tmp_path / "none")}) == Settings()


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("refresh = 'fast'\n", "refresh must be a number"),
        ("colour = 1\n", "unknown key 'colour'"),
        ("[intervals]\nlogs = 0\n", "intervals.logs must be >= 0.1"),
        ("theme = \n", "not valid TOML"),
    ],
)
def test_malformed_config_is_one_line(tmp_path: Path, body: str, needle: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(body)
    with pytest.raises(ConfigError) as info:
        read_file(cfg)
    assert needle in str(info.value) and str(cfg) in str(info.value) and "\n" not in str(info.value)


def test_lambda_and_flow_logs_reach_the_engine_but_not_the_log_pane() -> None:
    # The bug of issue 11: the cockpit's collector left these out, so flow-logs said "no data".
    state = CockpitState(topology())
    lam = LogEvent("l1", NOW, "/aws/lambda/orders", "s", "Task timed out after 3.00 seconds")
    flow = LogEvent(
        "f1", NOW, "/vpc/flow-logs", "s", "2 123 eni-1 10.9.0.5 10.0.1.10 1 8080 6 1 40 0 0 REJECT OK"
    )
    state.apply(LogsUpdate("lambda_logs", NOW, (lam,)))
    state.apply(LogsUpdate("flow_logs", NOW, (flow,)))
    assert not state.rows
    assert {e.event_id for e in state.snapshot(NOW).events} == {"l1", "f1"}


def test_suspect_change_is_the_correlations_best_on_path() -> None:
    state = CockpitState(topology())
    state.apply(metrics(broken=True))
    state.apply(logs(broken=True))
    _diagnosed(state)
    assert state.onset is not None
    sg = "sg-0ab12cd34ef56"  # the targets' security group: on the request path
    early = Change("a", state.onset - 600, "UpdateStage", "apigateway.amazonaws.com", "bot")
    inside = Change("b", state.onset + 20, "RevokeSecurityGroupIngress", "ec2.amazonaws.com", "alex", (sg,))
    late = Change("c", state.onset + 300, "AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", "alex", (sg,))
    state.apply(ChangesUpdate("changes", NOW, (early, inside, late)))
    _diagnosed(state)
    suspect = state.suspect_change()
    assert suspect is not None and suspect.event_id == "b"
    assert state.result is not None and state.result.headline.change is not None
    assert state.result.headline.change.change.event_id == "b"  # the verdict line names the same change

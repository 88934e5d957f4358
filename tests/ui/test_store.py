"""The state store and messages: bounded buffers, collapsing batches, onset, config precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigw_cockpit.config import ConfigError, Settings, load_settings, read_file
from apigw_cockpit.model import LogEvent, LogsUpdate, MetricKey, MetricSeries
from apigw_cockpit.ui.analysis import NO_VERDICT, Diagnoser
from apigw_cockpit.ui.fixtures import metrics, topology
from apigw_cockpit.ui.messages import LogsBatch
from apigw_cockpit.ui.state import CockpitState, detect_onset

from .fakes import NOW


def _events(n: int, start: int = 0) -> tuple[LogEvent, ...]:
    out = []
    for i in range(start, start + n):
        rid = f"{i:08x}-0000-4000-8000-000000000000"
        out.append(LogEvent(f"e{i}", NOW, "g", "s", f"({rid}) Execution failed due to a timeout error"))
    return out  # type: ignore[return-value]


def test_log_buffer_is_bounded_and_counts_drops() -> None:
    state = CockpitState(topology(), log_capacity=50, diagnoser=Diagnoser(lookup=False))
    state.apply(LogsUpdate("logs", NOW, tuple(_events(120)), dropped=7))
    assert len(state.rows) == 50
    assert state.dropped == 70 + 7
    newest = next(reversed(state.rows.values()))
    assert newest.failed and newest.verdict is None  # not classified until someone looks
    assert state.verdict_of(newest) == NO_VERDICT  # no classifier: "—", never a guess


def test_queued_log_batches_fold_into_the_newest() -> None:
    older = LogsBatch("logs", LogsUpdate("logs", NOW, tuple(_events(3)), dropped=1))
    newer = LogsBatch("logs", LogsUpdate("logs", NOW + 1, tuple(_events(2, start=3))))
    other = LogsBatch("lambda-logs", LogsUpdate("lambda-logs", NOW, ()))
    assert not older.can_replace(other)
    assert older.can_replace(newer)
    assert [e.event_id for e in newer.update.events] == ["e0", "e1", "e2", "e3", "e4"]
    assert newer.update.dropped == 1


def test_onset_is_start_of_current_5xx_run() -> None:
    key = MetricKey("AWS/ApiGateway", "5XXError", (), "Sum")
    assert detect_onset(MetricSeries(key, ((0, 0), (60, 5), (120, 0), (180, 9), (240, 9)))) == 180
    assert detect_onset(MetricSeries(key, ((0, 4), (60, 0)))) is None
    state = CockpitState(topology())
    state.apply(metrics(broken=True))
    assert state.onset is not None and state.suspect_change() is None  # no changes yet


def test_diagnose_is_debounced() -> None:
    calls: list[int] = []

    def run_checks(obs: object) -> list[object]:
        calls.append(1)
        return []

    d = Diagnoser(lookup=False, run_checks=run_checks, observations=lambda **kw: kw)
    state = CockpitState(topology(), diagnoser=d, diagnose_every=2.0)
    state.apply(metrics(broken=True))
    assert state.maybe_diagnose(NOW, mono=100.0)
    state.apply(metrics(broken=True))
    assert not state.maybe_diagnose(NOW, mono=101.0)  # changed, but too soon
    assert state.maybe_diagnose(NOW, mono=102.5)
    assert not state.maybe_diagnose(NOW, mono=200.0)  # nothing changed since
    assert len(calls) == 2


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


def test_lambda_and_flow_logs_are_not_execution_log_rows() -> None:
    state = CockpitState(topology(), diagnoser=Diagnoser(lookup=False))
    state.apply(LogsUpdate("lambda_logs", NOW, tuple(_events(3))))
    assert not state.rows and len(state.other_logs["lambda_logs"]) == 3


def test_suspect_change_may_sit_inside_the_onset_minute() -> None:
    from apigw_cockpit.model import Change, ChangesUpdate

    state = CockpitState(topology(), diagnoser=Diagnoser(lookup=False))
    state.apply(metrics(broken=True))
    assert state.onset is not None
    early = Change("a", state.onset - 600, "UpdateStage", "apigateway.amazonaws.com", "bot")
    inside = Change("b", state.onset + 20, "RevokeSecurityGroupIngress", "ec2.amazonaws.com", "alex")
    late = Change("c", state.onset + 300, "AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", "alex")
    state.apply(ChangesUpdate("changes", NOW, (early, inside, late)))
    suspect = state.suspect_change()
    assert suspect is not None and suspect.event_id == "b"

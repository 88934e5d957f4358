"""Scenario files load, and bad ones fail with one line naming file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from apigw_cockpit.demo.world import ROOT_CAUSES, ScenarioError, list_scenarios, load_scenario
from apigw_cockpit.demo.world.durations import parse_duration

NOW = 1_750_000_000.0
GOOD = """
id = "x"
title = "t"
story = "s"
root_cause = "sg-blocks-nlb-targets"
topology = "orders-platform"
[[actions]]
at = "-5m"
do = "revoke_ingress"
params = { sg = "tasks-sg", port = 80, cidr = "10.0.0.0/16" }
"""


def _load(tmp_path: Path, text: str) -> ScenarioError:
    p = tmp_path / "x.toml"
    p.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(p), now=NOW)
    msg = str(info.value)
    assert "\n" not in msg and "x.toml" in msg
    return info.value


def test_builtins_cover_every_root_cause() -> None:
    scenarios = list_scenarios(now=NOW)
    assert [s.id for s in scenarios] == sorted(s.id for s in scenarios)
    assert {s.root_cause for s in scenarios} >= set(ROOT_CAUSES)
    assert len(scenarios) >= 16
    for s in scenarios:
        assert s.story and " " in s.story and "\n" not in s.story
        assert s.start <= NOW


def test_midnight_pager_timeline() -> None:
    s = load_scenario("midnight-pager", now=NOW)
    assert s.root_cause == "sg-blocks-nlb-targets"
    assert s.start % 86400 == 15 * 60  # 00:15 UTC
    assert [(a["at"], a["do"], a["user"]) for a in s.actions] == [
        (-300.0, "revoke_ingress", "alex"),
        (-300.0, "authorize_ingress", "alex"),
    ]
    assert s.fix[0]["params"]["cidr"] == "10.0.0.0/16"


def test_good_file_loads(tmp_path: Path) -> None:
    p = tmp_path / "x.toml"
    p.write_text(GOOD)
    assert load_scenario(str(p), now=NOW).actions[0]["at"] == -300.0


@pytest.mark.parametrize(
    ("edit", "key", "words"),
    [
        (
            ('do = "revoke_ingress"', 'do = "revoke_ingres"'),
            "actions[0].do",
            "unknown action 'revoke_ingres'",
        ),
        (('at = "-5m"', 'at = "5 minutes"'), "actions[0].at", "bad duration"),
        (('root_cause = "sg-blocks-nlb-targets"\n', ""), "root_cause", "missing"),
        (('"sg-blocks-nlb-targets"', '"gremlins"'), "root_cause", "unknown root cause 'gremlins'"),
        (
            ('sg = "tasks-sg"', 'sg = "tasks-sgg"'),
            "actions[0].params.sg",
            "undefined security group 'tasks-sgg'",
        ),
        (("port = 80, ", "prot = 80, "), "actions[0].params", "unknown params ['prot']"),
        (('topology = "orders-platform"', 'topology = "nope"'), "topology", "unknown topology template"),
        (("[[actions]]", "bogus = 1\n[[actions]]"), "bogus", "unknown key"),
    ],
)
def test_validation_errors(tmp_path: Path, edit: tuple[str, str], key: str, words: str) -> None:
    err = _load(tmp_path, GOOD.replace(*edit))
    assert err.key == key
    assert words in str(err)
    assert str(err).startswith(f"{err.file}: {key}: ")


def test_topology_reference_errors(tmp_path: Path) -> None:
    err = _load(tmp_path, GOOD + '\n[overrides.targets.task-1]\nsubnet = "private-z"\n')
    assert err.key == "topology.targets.task-1.subnet" and "private-z" in str(err)
    err = _load(tmp_path, GOOD + '\n[traffic.mix]\n"GET /nowhere" = 1\n')
    assert err.key.startswith("traffic.mix")


def test_invalid_toml_and_unknown_name(tmp_path: Path) -> None:
    err = _load(tmp_path, "id = [")
    assert "invalid TOML" in str(err)
    with pytest.raises(ScenarioError, match="no such scenario"):
        load_scenario("does-not-exist")


@pytest.mark.parametrize(
    ("text", "seconds"), [("-5m", -300), ("+2m", 120), ("30s", 30), ("1h30m", 5400), ("0", 0)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["5 minutes", "m5", "", "-", "5x"])
def test_bad_durations(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)

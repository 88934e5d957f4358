"""One test per recipe of docs/ARCHITECTURE.md: each fails when a registration is forgotten."""

from __future__ import annotations

import dataclasses
import inspect
import tomllib
import typing
from importlib import resources

import pytest

from apigw_cockpit.aws.feed import build_pollers
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.demo.world import list_scenarios
from apigw_cockpit.diagnose import ROOT_CAUSES, checks, run_check
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.diagnose.hops import HOP_CHECKS
from apigw_cockpit.incident.lessons import lessons
from apigw_cockpit.model import (
    Alarm,
    AlarmsUpdate,
    Change,
    ChangesUpdate,
    FrozenClock,
    LogEvent,
    LogGroups,
    LogsUpdate,
    MetricKey,
    MetricSeries,
    MetricsUpdate,
    RequestTrace,
    SourceState,
    SourceStatus,
    TargetHealth,
    TargetHealthUpdate,
    TopologyUpdate,
    Update,
)
from apigw_cockpit.service.stream import TYPES
from apigw_cockpit.ui import panes as panes_pkg
from apigw_cockpit.ui.panes.bars import _SHORT
from apigw_cockpit.ui.screens.cockpit import CockpitScreen
from apigw_cockpit.ui.state import KNOWN_AREAS
from apigw_cockpit.ui.view import Pane
from ui.fixtures import NOW, topology  # tests/ is on the path: the UI's test doubles


def _toml(package: str, name: str) -> dict[str, typing.Any]:
    return tomllib.loads(resources.files(package).joinpath(name).read_text("utf-8"))


# -- recipe: a check ---------------------------------------------------------------------------
def test_every_catalog_check_has_an_implementation_and_runs() -> None:
    from apigw_cockpit.diagnose.checks import _FUNCTIONS

    catalog = checks()
    assert set(catalog) == set(_FUNCTIONS), "catalog.toml and checks/__init__.py _FUNCTIONS differ"
    obs = ObservationBuilder(topology()).build(NOW)
    for check_id in catalog:
        finding = run_check(check_id, obs)
        # A missing or crashing implementation turns into "check failed"; that is a bug, not data.
        assert "check failed" not in finding.summary, (check_id, finding.summary)
        assert finding.check_id == check_id


def test_every_hop_check_is_in_the_catalog() -> None:
    catalog = checks()
    assert {c for ids in HOP_CHECKS.values() for c in ids} <= set(catalog)


# -- recipe: a root cause ----------------------------------------------------------------------
@pytest.mark.parametrize("cause", [c for c in ROOT_CAUSES if c != "none"])
def test_every_root_cause_has_a_rule_a_lesson_and_a_scenario(cause: str) -> None:
    from apigw_cockpit.model.vocabulary import ENGINE_CAUSES

    if cause not in ENGINE_CAUSES:  # `none`/`recovered` are decided by the engine, not by a rule
        assert cause in _toml("apigw_cockpit.diagnose", "rules.toml"), f"{cause}: no rule in rules.toml"
    assert cause in lessons(), f"{cause}: no lesson in incident/lessons.toml"
    assert cause in {s.root_cause for s in list_scenarios()}, f"{cause}: no scenario drills it"


def test_rules_name_only_known_root_causes() -> None:
    assert set(_toml("apigw_cockpit.diagnose", "rules.toml")) <= set(ROOT_CAUSES)


# -- recipe: a scenario ------------------------------------------------------------------------
def test_every_scenario_names_a_known_root_cause_and_a_fix() -> None:
    for s in list_scenarios():
        assert s.root_cause in ROOT_CAUSES, (s.id, s.root_cause)
        if s.root_cause not in ("none", "recovered"):  # over already: nothing left to fix
            assert s.fix, f"{s.id}: no fix actions (the drill could never verify)"


# -- recipe: a pane ----------------------------------------------------------------------------
def _panes() -> list[type[Pane]]:
    import pkgutil

    found: list[type[Pane]] = []
    for info in pkgutil.iter_modules(panes_pkg.__path__):
        module = __import__(f"{panes_pkg.__name__}.{info.name}", fromlist=["_"])
        found += [
            c for _, c in inspect.getmembers(module, inspect.isclass) if issubclass(c, Pane) and c is not Pane
        ]
    # A base other panes build on (FullTextPane: focus + enter for the full text) is not a pane.
    bases = {b for c in found for b in c.__mro__[1:]}
    return sorted(set(found) - bases, key=lambda c: c.__name__)


def test_every_pane_is_on_the_cockpit_and_listens_to_known_areas() -> None:
    source = inspect.getsource(CockpitScreen.compose)
    for pane in _panes():
        assert f"{pane.__name__}(" in source, f"{pane.__name__} is never composed on the cockpit screen"
        unknown = set(pane.AREAS) - KNOWN_AREAS
        assert not unknown, f"{pane.__name__} listens to areas nobody bumps: {unknown}"


# -- recipe: an AWS source ---------------------------------------------------------------------
_KEY = MetricKey("AWS/ApiGateway", "5XXError", (("ApiName", "orders-prod"), ("Stage", "prod")), "Sum")
SAMPLES: dict[type, Update] = {
    MetricsUpdate: MetricsUpdate("metrics", NOW, (MetricSeries(_KEY, ((NOW - 60, 3.0),)),)),
    LogsUpdate: LogsUpdate(
        "logs",
        NOW,
        (LogEvent("e1", NOW, "/aws/lambda/fn", "s", "Task timed out"),),
        (RequestTrace("r1", NOW, ("Execution failed due to a timeout error",)),),
    ),
    TargetHealthUpdate: TargetHealthUpdate(
        "target_health", NOW, (TargetHealth("tg", "10.0.1.10", 8080, "us-east-1a", "unhealthy"),)
    ),
    ChangesUpdate: ChangesUpdate(
        "changes", NOW, (Change("c1", NOW, "RevokeSecurityGroupIngress", "ec2", "alex"),)
    ),
    AlarmsUpdate: AlarmsUpdate("alarms", NOW, (Alarm("a1", "ALARM"),)),
    TopologyUpdate: TopologyUpdate(
        "topology", NOW, dataclasses.replace(topology(), api_name="renamed"), "periodic", ("api_name",)
    ),
    SourceStatus: SourceStatus("metrics", SourceState.OK, NOW, NOW),
}


def test_every_update_type_reaches_the_collector_and_the_stream() -> None:
    kinds = set(typing.get_args(Update))
    assert set(SAMPLES) == kinds, "a new Update type needs a sample here and a branch in collect.py"
    assert set(TYPES) == kinds, "service/stream.py TYPES lacks an Update type"
    empty = ObservationBuilder(topology()).build(NOW)
    for kind, sample in SAMPLES.items():
        builder = ObservationBuilder(topology())
        builder.add(sample)
        assert builder.build(NOW) != empty, f"ObservationBuilder.add ignores {kind.__name__}"


def test_every_poller_has_a_status_bar_label() -> None:
    groups = LogGroups("API-Gateway-Execution-Logs_a1/prod", "", ("/aws/lambda/fn",), ("/vpc/flow",))
    topo = dataclasses.replace(topology(), log_groups=groups)
    pollers = build_pollers(object(), FrozenClock(NOW), topo, AwsSettings("a1", "prod"))
    names = {p.name for p in pollers}
    assert {"metrics", "logs", "lambda_logs", "flow_logs", "target_health", "changes", "alarms"} <= names
    assert names <= set(_SHORT), f"status bar (ui/panes/bars.py _SHORT) lacks {names - set(_SHORT)}"

"""The simulated AWS world's engine: pure Python, deterministic, driven by an injected clock.

world = World(load_scenario("midnight-pager"), clock, seed=0)
world.backfill(3600); world.advance(); world.handle("GET", "/prod/orders", {}, b"")
"""

from apigw_cockpit.demo.world.engine import SimResponse, World
from apigw_cockpit.demo.world.errors import ScenarioError
from apigw_cockpit.demo.world.logstore import FilterPattern, LogStore, StoredEvent
from apigw_cockpit.demo.world.metricstore import MetricStore
from apigw_cockpit.demo.world.scenario import (
    Scenario,
    list_scenarios,
    load_scenario,
    parse_scenario,
)
from apigw_cockpit.demo.world.trail import Trail
from apigw_cockpit.model.vocabulary import ROOT_CAUSES

__all__ = [
    "ROOT_CAUSES",
    "FilterPattern",
    "LogStore",
    "MetricStore",
    "Scenario",
    "ScenarioError",
    "SimResponse",
    "StoredEvent",
    "Trail",
    "World",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
]

"""`apigw-cockpit scenarios`: list the demo scenarios; `load_or_exit` for commands that take one."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:  # at run time imported where used: moto and the world load only for `demo`
    from apigw_cockpit.demo.world import Scenario


def load_or_exit(name: str) -> Scenario:
    """The scenario by id or path; a bad one prints one line (file and key) and exits 2."""
    from apigw_cockpit.demo.world import ScenarioError, load_scenario

    try:
        return load_scenario(name)
    except ScenarioError as e:
        err_line(f"apigw-cockpit: bad scenario: {e}")
        raise SystemExit(EXIT_USAGE) from None


def _api_type(topology: dict[str, object]) -> str:
    api = topology.get("api")
    protocol = str(api.get("protocol", "REST")) if isinstance(api, dict) else "REST"
    return "http" if protocol.upper() == "HTTP" else "rest"


def run(args: argparse.Namespace) -> int:
    from apigw_cockpit.demo.world import ScenarioError, list_scenarios

    try:
        scenarios = list_scenarios()
    except ScenarioError as e:
        err_line(f"apigw-cockpit: bad scenario: {e}")
        return EXIT_USAGE
    if getattr(args, "json", False):
        doc = [
            {
                "id": s.id,
                "root_cause": s.root_cause,
                "title": s.title,
                "story": s.story,
                "api_type": _api_type(s.topology),
            }
            for s in scenarios
        ]
        print(json.dumps(doc, indent=2))
        return EXIT_OK
    width = max((len(s.id) for s in scenarios), default=2)
    cause_width = max((len(s.root_cause) for s in scenarios), default=10)
    print(f"{'id':<{width}}  {'root cause':<{cause_width}}  title")
    for s in scenarios:
        print(f"{s.id:<{width}}  {s.root_cause:<{cause_width}}  {s.title}")
    return EXIT_OK

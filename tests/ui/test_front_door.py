"""The front door end to end in-process: `watch` with no --api-id lists the simulated account's APIs
in the picker (Pilot), Enter opens the cockpit (Pilot) on that API and stage; `watch --url` with
the account's custom domain opens the cockpit on the API and stage the base path maps to.

The world starts its story now, so the picker's last-15-minutes window (system clock) holds the
incident. Only the two screen hooks of `commands/watch.py` are replaced — by Pilot drivers of
the real picker and the real cockpit — everything between (inventory, discovery, feed) is the
shipped path against the simulated AWS endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time
from typing import Any

import pytest

from apigw_cockpit.cli import build_parser
from apigw_cockpit.commands import watch
from apigw_cockpit.demo.world import load_scenario
from apigw_cockpit.ui.picker import Pick, PickerApp

from .conftest import screen_text, wait_for

pytestmark = pytest.mark.sim

INCIDENT = ("a1b2c3d4e5", "prod")


def _scenario_now() -> Any:
    return dataclasses.replace(load_scenario("midnight-pager"), start=float(int(time.time()) // 60 * 60))


def _args(sim: Any, *extra: str) -> argparse.Namespace:
    return build_parser().parse_args(["watch", "--endpoint-url", sim.endpoint_url, *extra])


def _cockpit_driver(seen: dict[str, Any]) -> Any:
    """A `drive(app)` that runs the real cockpit `watch` built under Pilot and records what it shows."""

    async def drive(app: Any) -> None:
        app.start_theme_watcher = lambda: None
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_for(lambda: app.attached, pilot, timeout=20)  # discovery ran behind the first frame
            feed = app.feed
            await wait_for(lambda: feed.topology.api_name in screen_text(app), pilot, timeout=20)
            seen["topology"] = (feed.topology.api_id, feed.topology.stage.name)
            seen["screen"] = screen_text(app)
            await pilot.press("q")

    return lambda: drive


@pytest.mark.usefixtures("aws_env")
def test_picker_lists_every_api_worst_first_and_enter_opens_that_cockpit(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def pick(inventory: Any) -> Pick | None:
        async def drive() -> Pick | None:
            app = PickerApp(inventory)
            async with app.run_test(size=(140, 30)) as pilot:
                rows = app._rows
                seen["rows"] = rows
                # Worst first: the incident API's stage on top; the noisy HTTP neighbour next.
                http_row = next(i for i, r in enumerate(rows) if r[0] == "http")
                seen["picked"] = (rows[http_row][2], rows[http_row][4])
                for _ in range(http_row):
                    await pilot.press("down")
                await pilot.press("enter")  # an HTTP API opens like a REST one
            return app.return_value

        return asyncio.run(drive())

    monkeypatch.setattr(watch, "_picker_hook", lambda: pick)
    monkeypatch.setattr(watch, "_tui_hook", _cockpit_driver(seen))
    with sim_factory(_scenario_now(), frozen=True, backfill=1800) as sim:
        code = watch.run(_args(sim))
    assert code == 0
    rows = seen["rows"]
    types = {r[0] for r in rows}
    assert {"rest", "http"} <= types
    top = rows[0]
    assert (top[2], top[4]) == INCIDENT and int(top[5]) > 0, top
    healthy = [r for r in rows if r[1] in ("inventory-api", "admin-portal", "checkout-http")]
    assert healthy and all(r[5] == "0" and int(r[6]) > 0 for r in healthy), healthy
    assert seen["topology"] == seen["picked"] and seen["picked"][0] == "w3bh00ks01"
    assert "webhooks-relay" in seen["screen"]


@pytest.mark.usefixtures("aws_env")
def test_url_on_the_custom_domain_opens_the_cockpit_on_the_mapped_api_and_stage(
    sim_factory: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, Any] = {}

    def no_picker() -> Any:
        raise AssertionError("--url names the API: no picker")

    monkeypatch.setattr(watch, "_picker_hook", no_picker)
    monkeypatch.setattr(watch, "_tui_hook", _cockpit_driver(seen))
    with sim_factory("midnight-pager", frozen=True, backfill=600) as sim:
        code = watch.run(_args(sim, "--url", "https://api.example.com/orders/orders/o-123"))
        err = capsys.readouterr().err
        assert code == 0, err
        assert seen["topology"] == INCIDENT
        assert "orders-prod" in seen["screen"]
        [line] = [x for x in err.splitlines() if "--url" in x]
        assert "REST API a1b2c3d4e5 stage prod route /orders/o-123" in line
        assert "custom domain api.example.com, base path orders" in line
        # The same domain maps /checkout to an HTTP API ($default stage): it opens the same way.
        seen.clear()
        code = watch.run(_args(sim, "--url", "https://api.example.com/checkout/cart"))
        err = capsys.readouterr().err
    assert code == 0, err
    assert seen["topology"] == ("ch3ck0uth1", "$default")
    [line] = [x for x in err.splitlines() if "--url" in x]
    assert "HTTP API ch3ck0uth1 stage $default" in line

"""Property: a secret planted in the simulated world reaches no output — the AWS-facing channels.

The planted execution-log requests and Lambda log lines are written into the world's log
groups; the real aws/ layer reads them back over the wire (FilterLogEvents), and the real
commands print them: `watch --headless --json` (every update as a JSON line) and
`check --json` (findings whose evidence quotes those lines).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from apigw_cockpit.commands.demo import sim_environment, sim_settings
from apigw_cockpit.commands.watch import headless
from apigw_cockpit.demo.server import SimServer

from . import planted
from .kinds import Plant, all_plants, leaks, plant_values
from .outputs import capture

pytestmark = pytest.mark.sim

WATCH_S = 3.0  # real seconds of headless output after the planted request streamed
STREAMED_WITHIN_S = 90.0  # a deadline for the first logs poll to bring it, not a wait


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    # A quiet world with a short history: the first logs poll reads the planted lines in its
    # first pages (a busy backfill would push them past the poll's page budget).
    with sim_environment(), SimServer("healthy", frozen=True, backfill=30) as s:
        yield s


def _plant(sim: SimServer, plants: list[Plant]) -> None:
    ws = sim.world.state
    now_ms = int(sim.clock.now() * 1000)
    for n, r in enumerate(planted.requests(plants)):
        sim.world.logs.put_many(
            ws.execution_log_group(),
            f"leak-stream-{n}",
            [(now_ms - 5_000 + k, f"({r.request_id}) {ln}") for k, ln in enumerate(r.lines)],
        )
    lambda_lines = [p.text for p in planted.of(plants, "lambda-log-text")]
    for fn in ws.lambdas.values():
        sim.world.logs.put_many(
            f"/aws/lambda/{fn.name}",
            "2026/11/26/[$LATEST]leak",
            [
                (now_ms - 5_000 + k, f"2026-11-26T00:14:00.000Z\tdeadbeef\t{ln}")
                for k, ln in enumerate(lambda_lines)
            ],
        )


def _watch(sim: SimServer, needle: str) -> str:
    """`watch --headless --json` until the planted request has streamed (on a loaded box the
    first logs poll can take tens of seconds), then WATCH_S more seconds of output."""
    out = io.StringIO()

    async def run() -> None:
        task = asyncio.create_task(headless(sim_settings(sim, max_attempts=2), sim.clock, out, None))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STREAMED_WITHIN_S
        while needle not in out.getvalue() and not task.done() and loop.time() < deadline:
            await asyncio.sleep(0.1)  # polling the output for a condition, with a deadline
        if not task.done():
            await asyncio.sleep(WATCH_S)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    with sim_environment():
        asyncio.run(run())
    return out.getvalue()


def _check_json(sim: SimServer) -> str:
    """`check --json` as its run() does it, on the world's clock (the CLI would use the wall
    clock, and the frozen world's logs are at scenario time)."""
    from apigw_cockpit.commands.output import emit, write_json
    from apigw_cockpit.diagnose.report import diagnosis_json
    from apigw_cockpit.service.observe import check_once

    with sim_environment():
        d, obs = asyncio.run(check_once(sim_settings(sim, max_attempts=2), sim.clock))
    with capture() as out:
        assert emit(write_json(diagnosis_json(d, obs)))
    return out.getvalue()


@settings(
    max_examples=2,
    # No shrinking: each example runs the world for seconds, and a leak names kind and carrier.
    phases=[Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plant_values)
def test_no_planted_secret_reaches_headless_json_or_check_json(
    sim: SimServer, values: tuple[str, ...]
) -> None:
    plants = [p for p in all_plants(values) if p.carrier in (*planted.EXEC_CARRIERS, "lambda-log-text")]
    _plant(sim, plants)
    needle = planted.requests(plants)[0].request_id
    outputs: dict[str, Any] = {
        "watch --headless --json": _watch(sim, needle),
        "check --json": _check_json(sim),
    }
    assert leaks(outputs, plants) == []
    watched = outputs["watch --headless --json"]
    # The planted lines were really streamed (redacted), not missed by the poll window.
    assert planted.requests(plants)[0].request_id in watched
    assert "[REDACTED]" in watched and "[REDACTED]" in outputs["check --json"]

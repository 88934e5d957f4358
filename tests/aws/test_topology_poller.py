"""The live-configuration source: publishes a changed topology, keeps a good one over a partial read."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from topo_fixture import topology

from apigw_cockpit.aws.sources import topology as source
from apigw_cockpit.aws.sources.topology import TopologyPoller
from apigw_cockpit.model import FrozenClock, PartError, SourceState, SourceStatus, TopologyUpdate

T0 = 1_780_000_000.0


def _poller(monkeypatch: pytest.MonkeyPatch, answers: list[Any]) -> TopologyPoller:
    async def fake_discover(factory: Any, api_id: str, stage: str) -> Any:
        return answers.pop(0)

    monkeypatch.setattr(source, "discover", fake_discover)
    return TopologyPoller(object(), FrozenClock(T0), topology(), "prod", interval=300.0)


async def _next_data(p: TopologyPoller) -> Any:
    async for u in p:
        if not (isinstance(u, SourceStatus) and u.state is SourceState.STARTING):
            return u
    raise AssertionError("poller ended")


async def test_a_changed_topology_is_published_with_the_reason_and_the_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = topology()
    new = dataclasses.replace(old, api_name="orders-renamed")
    p = _poller(monkeypatch, [new])
    p.poke("change: UpdateRestApi a1b2c3")
    got = await _next_data(p)
    assert isinstance(got, TopologyUpdate)
    assert (got.topology, got.reason, got.parts) == (new, "change: UpdateRestApi a1b2c3", ("api_name",))


async def test_an_unchanged_topology_publishes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    p = _poller(monkeypatch, [topology()])
    p.poke("periodic")
    await p._run_once()
    assert [u for u in p._pending if isinstance(u, TopologyUpdate)] == []
    assert p.state is SourceState.OK


async def test_a_partial_rediscovery_keeps_the_last_good_topology(monkeypatch: pytest.MonkeyPatch) -> None:
    partial = dataclasses.replace(
        topology(), load_balancers=(), errors=(PartError("nlb", "DescribeLoadBalancers", "throttled"),)
    )
    p = _poller(monkeypatch, [partial])
    good = p.topology
    p.poke("change: RegisterTargets")
    await p._run_once()
    assert p.topology is good
    assert [u for u in p._pending if isinstance(u, TopologyUpdate)] == []
    assert p.state is SourceState.STALE and "nlb" in p.last_error


async def test_a_part_that_is_gone_is_adopted(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = dataclasses.replace(
        topology(),
        load_balancers=(),
        errors=(PartError("nlb", "DescribeLoadBalancers", "LoadBalancerNotFound: deleted"),),
    )
    p = _poller(monkeypatch, [gone])
    p.poke("change: DeleteLoadBalancer")
    await p._run_once()
    assert p.topology is gone and p.state is SourceState.OK

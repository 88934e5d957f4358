"""The shipped IAM policy grants exactly the actions the code calls, derived from the calls made.

Everything the cockpit does against one stage runs through the real client stack against the
simulated world (discovery by id and by name, one round of every poller, Live Tail, each probe
that calls AWS); every (service, operation) a client sent is recorded and mapped to its IAM
action. The policy must equal that set plus the few calls that only happen in topologies the
world does not have (listed with why).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from apigw_cockpit.aws import guard
from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.feed import open_feed
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.aws.sources.live_tail import LiveTailPoller
from apigw_cockpit.service.observe import collect_round

pytestmark = pytest.mark.sim

POLICY = Path(__file__).resolve().parents[2] / "iam" / "apigw-cockpit-readonly.json"
# Called only in topologies the simulated world does not have.
CONDITIONAL = {
    "ec2:DescribeVpcEndpoints": "private APIs only (endpointConfiguration.vpcEndpointIds)",
    "iam:GetRolePolicy": "roles with inline policies (the world's roles use managed policies)",
}


def _policy_actions() -> set[str]:
    doc = json.loads(POLICY.read_text())
    out: set[str] = set()
    for s in doc["Statement"]:
        out |= {s["Action"]} if isinstance(s["Action"], str) else set(s["Action"])
    return out


async def test_policy_equals_the_actions_called(sim_factory, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    called: set[tuple[str, str]] = set()
    live_tail_sent = asyncio.Event()
    original = ClientFactory.client

    async def recording(self: ClientFactory, service: str, region: str | None = None) -> Any:
        client = await original(self, service, region)

        def before(model: Any, **_: Any) -> None:
            called.add((model.service_model.service_name, model.name))
            if model.name == "StartLiveTail":
                live_tail_sent.set()

        client.meta.events.register("before-call.*.*", before, unique_id="test-policy-recorder")
        return client

    monkeypatch.setattr(ClientFactory, "client", recording)
    with sim_factory("midnight-pager", frozen=True, backfill=120) as sim:
        settings = AwsSettings(sim.api_id, sim.stage, endpoint_url=sim.endpoint_url, max_attempts=1)
        feed = await open_feed(settings, sim.clock)
        try:
            await discover(feed.factory, feed.topology.api_name, sim.stage)  # by name: GetRestApis
            await collect_round(feed, 60.0)
            topo = feed.topology
            role = next(i.credentials for i in topo.integrations() if i.credentials)
            fn = next(f.arn for f in topo.lambdas)
            await feed.probes.simulate(role, "lambda:InvokeFunction", fn)
            res, method = next((r, m) for r, m in topo.methods() if m.http_method == "GET")
            await feed.probes.test_invoke(res.id, method.http_method, confirmed=True)
            tail = LiveTailPoller(feed.factory, sim.clock, [topo.log_groups.execution], 2.0,
                                  account=topo.account, region=topo.region)  # fmt: skip
            await tail.poll()
            await asyncio.wait_for(live_tail_sent.wait(), 30)
            await tail.aclose()
        finally:
            await feed.aclose()
    derived = {guard.ALLOWLIST.iam_action(service, op) for service, op in called}
    policy = _policy_actions()
    assert derived <= policy, f"called but not granted: {sorted(derived - policy)}"
    extra = policy - derived - set(CONDITIONAL)
    assert not extra, f"granted but never called: {sorted(extra)}"
    assert not (set(CONDITIONAL) & derived), "a conditional action was called: take it off the list"

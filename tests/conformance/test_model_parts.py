"""The deep parts of discovery, each driven directly so every operation gets generated answers.

Through `discover()` a generated API rarely reaches an NLB's listeners (it takes a VPC-link
integration, a link that targets an NLB, an NLB with subnets and target groups…). Here the
network and Lambda/IAM parts start from a topology that already has those integrations,
with the same properties as the whole discovery: nothing raises, every page is followed,
every failed call is a PartError naming its operation.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apigw_cockpit.aws import discovery_lambda, discovery_network
from apigw_cockpit.aws._parts import Parts

from .harness import SETTINGS, Harness
from .test_model_pollers import TOPOLOGY

pytestmark = pytest.mark.sim  # slow lane: generated answers through the whole client stack


def _run(h: Harness, data: st.DataObject, errors: bool) -> Parts:
    h.responder.reset(data.draw, errors=errors, pages=True)
    parts = Parts()

    async def both() -> None:
        await discovery_network.discover_network(h.factory, TOPOLOGY, ["vpce-0123abcd"], parts)
        await discovery_lambda.discover_lambdas(h.factory, TOPOLOGY, parts)

    h.run(both())
    return parts


@SETTINGS
@given(data=st.data(), errors=st.booleans())
def test_network_and_lambda_parts(harness: Harness, data: st.DataObject, errors: bool) -> None:
    parts = _run(harness, data, errors)
    failed = {op for _, op, _ in harness.responder.failed}
    named = {e.operation for e in parts.errors}
    assert failed <= named, f"failed calls without a PartError: {failed - named}"
    if not errors:
        assert harness.responder.unfollowed() == [], "one-page reads (tokens never followed)"
        ours = [e for e in parts.errors if e.operation not in failed]
        assert all(
            e.error.startswith("unreadable policy document") or "Parameter validation failed" in e.error
            for e in ours
        ), ours

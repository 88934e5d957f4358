"""Discovery against answers generated from botocore's output shapes (no simulated world).

Properties:
- clean answers (no errors, up to 3 pages each): `discover()` returns a Topology, follows
  every page of every paginated call, and keeps every resource GetResources returned;
- answers with errors sprinkled in: nothing raises past the part that failed except the
  calls discovery cannot do without (GetRestApi(s), GetStage: ConfigError/AwsAccessError);
  each failed call is a PartError naming its operation, and the resources are kept;
- over those topologies, a check whose facts were not read says unknown, never ok.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.errors import AwsAccessError
from apigw_cockpit.diagnose import Observations, run_checks
from apigw_cockpit.errors import ConfigError
from apigw_cockpit.model import Topology, Verdict

from .harness import SETTINGS, Harness

pytestmark = pytest.mark.sim  # slow lane: generated answers through the whole client stack

# Without the API or its stage there is nothing to show: these may end the run (exit 2/3).
FATAL = {"GetRestApi", "GetRestApis", "GetStage"}

# A check that needs what a failed call would have told must not say ok.
# operation → checks that read its answer (diagnose/checks/catalog.toml "sources").
NEEDS: dict[str, tuple[str, ...]] = {
    "GetVpcLink": ("vpc-link",),
    "DescribeTargetHealth": ("security-groups",),
    "DescribeNetworkInterfaces": ("security-groups",),
    "DescribeSecurityGroups": ("security-groups",),
}


def _served_resources(h: Harness) -> int:
    return h.responder.served.get(("apigateway", "GetResources"), 0)


def _discover(h: Harness, data: st.DataObject, *, errors: bool) -> Topology | Exception:
    h.responder.reset(data.draw, errors=errors, pages=True)
    try:
        return h.run(discover(h.factory, "a1b2c3", "prod"))
    except (ConfigError, AwsAccessError) as exc:
        return exc


@SETTINGS
@given(data=st.data())
def test_discovery_follows_every_page_and_keeps_everything(harness: Harness, data: st.DataObject) -> None:
    topo = _discover(harness, data, errors=False)
    assert isinstance(topo, Topology), f"discover() failed on valid answers: {topo!r}"
    assert harness.responder.unfollowed() == [], "one-page reads (tokens never followed)"
    assert len(topo.resources) == _served_resources(harness)
    # With no error answers, a part is partial only for a reason of ours, each one a fact the
    # user should see: a stage variable that does not resolve, a policy document that is not
    # JSON, an id from one answer that botocore refuses to send in the next request.
    unexplained = [e for e in topo.errors if not _explained(e.operation, e.error)]
    assert not unexplained, unexplained


def _explained(operation: str, error: str) -> bool:
    return (
        operation == "stage-variables"
        or error.startswith("unreadable policy document")
        or "Parameter validation failed" in error
    )


@SETTINGS
@given(data=st.data())
def test_discovery_isolates_the_part_that_failed(harness: Harness, data: st.DataObject) -> None:
    got = _discover(harness, data, errors=True)
    failed = {op for _, op, _ in harness.responder.failed}
    if isinstance(got, Exception):
        assert failed & FATAL, f"discover() ended on a non-fatal failure {failed}: {got}"
        return
    topo = got
    named = {e.operation for e in topo.errors}
    missing = (failed - FATAL) - named
    assert not missing, f"failed calls without a PartError: {missing}; PartErrors: {topo.errors}"
    if "GetResources" not in failed:
        assert len(topo.resources) == _served_resources(harness)
    _no_ok_without_facts(topo, failed)


def _no_ok_without_facts(topo: Topology, failed: set[str]) -> None:
    findings = {f.check_id: f for f in run_checks(Observations(now=0.0, topology=topo))}
    for op in failed:
        for check_id in NEEDS.get(op, ()):
            f = findings[check_id]
            relevant = _relevant(topo, op)
            if relevant:
                assert f.verdict != Verdict.OK, f"{check_id} says ok although {op} failed: {f.summary}"


def _relevant(topo: Topology, op: str) -> bool:
    """Did the failed call concern the path the check evaluates (not, say, an unused VPC)?"""
    parts: dict[str, Any] = {e.operation: e for e in topo.errors}
    err = parts.get(op)
    if err is None:
        return False
    if op == "GetVpcLink":
        return True
    # Network checks evaluate NLB targets; a failure matters when there is an NLB on the path.
    return bool(topo.load_balancers)

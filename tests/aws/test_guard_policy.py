"""The read-only guard through real clients, and the allowlist ↔ IAM policy agreement."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.loaders
import pytest

from apigw_cockpit.aws import guard
from apigw_cockpit.aws.errors import ReadOnlyViolation
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings

POLICY = Path(__file__).resolve().parents[2] / "iam" / "apigw-cockpit-readonly.json"


def _factory() -> ClientFactory:
    # Port 9 on loopback: nothing listens, and nothing should ever be sent there anyway.
    return ClientFactory(
        AwsSettings("a", "prod", region="us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=1)
    )


async def test_our_clients_have_no_write_operations_at_all() -> None:
    """The models are cut to the allowlist (aws/models.py): a write is not even a method."""
    f = _factory()
    try:
        ec2 = await f.client("ec2")
        assert hasattr(ec2, "describe_security_groups")
        assert not hasattr(ec2, "revoke_security_group_ingress")
        assert not hasattr(await f.client("lambda"), "remove_permission")
        assert f.meter.snapshot().total_calls == 0
    finally:
        await f.aclose()


async def test_guard_blocks_write_through_real_client(_read_only_sentinel: list[str]) -> None:
    f = _factory()
    # The guard on its own, behind clients with botocore's whole models (as before the cut).
    f._session.register_component("data_loader", botocore.loaders.create_loader())
    try:
        ec2 = await f.client("ec2")
        with pytest.raises(ReadOnlyViolation) as exc:
            await ec2.revoke_security_group_ingress(GroupId="sg-0123", IpPermissions=[])
        assert str(exc.value) == "refused ec2:RevokeSecurityGroupIngress: apigw-cockpit is read-only"
        lam = await f.client("lambda")
        with pytest.raises(ReadOnlyViolation, match="refused lambda:RemovePermission"):
            await lam.remove_permission(FunctionName="f", StatementId="s")
        # The meter never saw them: refused calls do not leave the process.
        assert f.meter.snapshot().total_calls == 0
    finally:
        await f.aclose()
    assert _read_only_sentinel == ["ec2:RevokeSecurityGroupIngress", "lambda:RemovePermission"]
    _read_only_sentinel.clear()


async def test_test_invoke_needs_confirmation(_read_only_sentinel: list[str]) -> None:
    f = _factory()
    try:
        apigw = await f.client("apigateway")
        with pytest.raises(ReadOnlyViolation, match="confirm it first"):
            await apigw.test_invoke_method(restApiId="a", resourceId="r", httpMethod="GET")
        _read_only_sentinel.clear()
        # Confirmed: the guard lets it through, and it fails only on the network.
        with guard.confirmed("TestInvokeMethod"), pytest.raises(Exception) as exc:
            await apigw.test_invoke_method(restApiId="a", resourceId="r", httpMethod="GET")
        assert not isinstance(exc.value, ReadOnlyViolation)
        # …and the confirmation does not outlive its block.
        with pytest.raises(ReadOnlyViolation):
            await apigw.test_invoke_method(restApiId="a", resourceId="r", httpMethod="GET")
    finally:
        await f.aclose()
    _read_only_sentinel.clear()


def test_guard_check_allows_reads_only(_read_only_sentinel: list[str]) -> None:
    guard.check("logs", "FilterLogEvents")
    guard.check("apigateway", "GetRestApi")
    for service, op in [("logs", "PutLogEvents"), ("apigateway", "UpdateStage"), ("iam", "PutRolePolicy")]:
        with pytest.raises(ReadOnlyViolation):
            guard.check(service, op)
    _read_only_sentinel.clear()


def _policy_actions() -> tuple[set[str], set[str]]:
    doc = json.loads(POLICY.read_text())
    always: set[str] = set()
    opt_in: set[str] = set()
    for s in doc["Statement"]:
        assert s["Effect"] == "Allow"
        actions = {s["Action"]} if isinstance(s["Action"], str) else set(s["Action"])
        assert not any("*" in a for a in actions), "no wildcard actions in a least-privilege policy"
        (opt_in if s.get("Sid") == "OptInTestInvokeMethod" else always).update(actions)
    return always, opt_in


def test_allowlist_and_policy_agree() -> None:
    always, opt_in = _policy_actions()
    al = guard.ALLOWLIST
    read = {
        al.iam_action(s, op) for s, ops in al.actions.items() for op in ops if op not in al.opt_in.get(s, {})
    }
    opt = {al.iam_action(s, op) for s, ops in al.opt_in.items() for op in ops}
    assert always == read, f"policy-only: {always - read}; allowlist-only: {read - always}"
    assert opt_in == opt == {"apigateway:POST"}
    assert "apigateway:POST" not in always


def test_every_allowlisted_operation_exists_in_botocore() -> None:
    import botocore.session

    s = botocore.session.get_session()
    for service, ops in guard.ALLOWLIST.actions.items():
        names = set(s.get_service_model(service).operation_names)
        assert set(ops) <= names, f"{service}: {set(ops) - names}"
        assert not {op for op in ops if op.split("Describe")[0] in {"Put", "Delete", "Create", "Update"}}


def test_opt_in_statement_scoped_to_methods() -> None:
    doc = json.loads(POLICY.read_text())
    [stmt] = [s for s in doc["Statement"] if s.get("Sid") == "OptInTestInvokeMethod"]
    assert stmt["Resource"] == ["arn:aws:apigateway:*::/restapis/*/resources/*/methods/*"]

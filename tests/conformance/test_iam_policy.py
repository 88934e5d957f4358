"""The shipped IAM policy lists exactly the actions the code calls — derived from the calls made.

Discovery, every poller (Live Tail included) and the probes run against generated answers
and the published examples; every operation that reached the client stack is recorded by
the responder and mapped to its IAM action (`allowlist.toml` holds the op → action mapping,
API Gateway authorizes by HTTP verb). The policy and the allowlist must both be exactly that.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_cockpit.aws import guard
from apigw_cockpit.aws.discovery import discover
from apigw_cockpit.aws.inventory import list_apis
from apigw_cockpit.aws.probes import Probes
from apigw_cockpit.aws.resolve_url import resolve_url
from apigw_cockpit.errors import ConfigError

from .harness import EXAMPLES, SETTINGS, Harness
from .test_examples import LAMBDA_API, NETWORK_API, world
from .test_model_pollers import FN, ROLE, TOPOLOGY, _rounds

pytestmark = pytest.mark.sim  # slow lane: generated answers through the whole client stack

POLICY = Path(__file__).resolve().parents[2] / "iam" / "apigw-cockpit-readonly.json"
OPT_IN_SID = "OptInTestInvokeMethod"


def _policy() -> tuple[set[str], set[str]]:
    always: set[str] = set()
    opt_in: set[str] = set()
    for s in json.loads(POLICY.read_text())["Statement"]:
        actions = {s["Action"]} if isinstance(s["Action"], str) else set(s["Action"])
        (opt_in if s.get("Sid") == OPT_IN_SID else always).update(actions)
    return always, opt_in


def _calls_made(h: Harness) -> set[tuple[str, str]]:
    made: set[tuple[str, str]] = set()

    async def everything(live_tail: bool) -> None:
        await discover(h.factory, "a1b2c3", "prod")  # clean answers: never raises (test_model_discovery)
        await _rounds(h, live_tail)
        probes = Probes(h.factory, h.clock, TOPOLOGY, "http://127.0.0.1:9/prod")
        await probes.simulate(ROLE, "lambda:InvokeFunction", FN)
        await probes.test_invoke("r2", "POST", confirmed=True)

    @settings(SETTINGS, max_examples=max(12, EXAMPLES // 2))
    @given(data=st.data(), live_tail=st.booleans())
    def sweep(data: st.DataObject, live_tail: bool) -> None:
        h.responder.reset(data.draw, errors=False, pages=True)
        h.run(everything(live_tail))
        made.update(h.responder.calls)

    sweep()

    async def front_door() -> None:
        # The inventory (both products, stages, one GetMetricData) and `--url` for a custom
        # domain (domain names, base-path and API mappings). Its own sweep, so the one above
        # draws exactly as before (its deepest paths, GetPolicyVersion, depend on the draws).
        await list_apis(h.factory, h.clock.now())
        with contextlib.suppress(ConfigError):  # a generated domain list may not hold the host
            await resolve_url(h.factory, "https://api.example.com/orders/x")

    @settings(SETTINGS, max_examples=12)
    @given(data=st.data())
    def front_door_sweep(data: st.DataObject) -> None:
        h.responder.reset(data.draw, errors=False, pages=True)
        h.run(front_door())
        made.update(h.responder.calls)

    front_door_sweep()
    # The published APIs (Lambda integration; private integration) walk every discovery call.
    # With the published managed-policy answers too, GetPolicyVersion is reached whatever the
    # generated draws above happened to walk (it sits four calls deep).
    # The published GetPolicy prints CreateDate "2015-06-17T19:23;32Z" (not a timestamp), so its
    # two members that matter here are taken as published and the rest left out.
    published = world("iam-get-policy")[("iam", "GetPolicy")]["Policy"]
    policy = {k: published[k] for k in ("Arn", "PolicyName", "DefaultVersionId")}
    managed = {**LAMBDA_API, **world("iam-get-policy-version"), ("iam", "GetPolicy"): {"Policy": policy}}
    for fixed in (LAMBDA_API, NETWORK_API, managed):
        h.responder.reset(None, fixed=fixed)
        h.run(discover(h.factory, "o1y243m4f5", "dev"))
        made.update(h.responder.calls)
    # A private API (its endpoint configuration names VPC endpoints) walks DescribeVpcEndpoints;
    # the generated sweep only reaches it when hypothesis happens to draw one.
    rest = dict(NETWORK_API[("apigateway", "GetRestApi")])
    rest["endpointConfiguration"] = {"types": ["PRIVATE"], "vpcEndpointIds": ["vpce-032a826a"]}
    private = {
        **NETWORK_API,
        ("apigateway", "GetRestApi"): rest,
        **world("ec2-describe-vpc-endpoints"),
    }
    h.responder.reset(None, fixed=private)
    h.run(discover(h.factory, "o1y243m4f5", "dev"))
    made.update(h.responder.calls)
    # An API given by name: GetRestApi says NotFound, discovery lists the APIs (GetRestApis).
    by_name = {k: v for k, v in NETWORK_API.items() if k != ("apigateway", "GetRestApi")}
    h.responder.reset(None, fixed={**by_name, **world("apigateway-get-rest-apis")})
    # The published list may not hold that name (ConfigError): the call was made all the same.
    with contextlib.suppress(ConfigError):
        h.run(discover(h.factory, "myAPI", "dev"))
    made.update(h.responder.calls)
    # An HTTP API id where a REST API is expected: GetApi says what it is (ConfigError).
    h.responder.reset(None, fixed={**by_name, **world("apigateway-get-rest-apis", "apigatewayv2-get-api")})
    with contextlib.suppress(ConfigError):
        h.run(discover(h.factory, "a1b2c3d4", "dev"))
    made.update(h.responder.calls)
    # An HTTP API stage discovered end to end (apigatewayv2 GetStage/Routes/Integrations/
    # Authorizers/VpcLink), answers shaped as botocore's apigatewayv2 model.
    h.responder.reset(
        None, fixed={**by_name, **world("apigateway-get-rest-apis", "apigatewayv2-get-api"), **HTTP_API}
    )
    h.run(discover(h.factory, "a1b2c3d4", "dev"))
    made.update(h.responder.calls)
    return made


_LISTENER = (
    "arn:aws:elasticloadbalancing:us-west-2:123456789012:"
    "listener/app/my-load-balancer/50dc6c495c0c9188/f2f7dc8efc522ab2"
)
HTTP_API: dict[tuple[str, str], dict[str, Any]] = {
    ("apigatewayv2", "GetStage"): {
        "StageName": "dev",
        "AccessLogSettings": {
            "DestinationArn": "arn:aws:logs:us-west-2:123456789012:log-group:http-access",
            "Format": '{"requestId":"$context.requestId","status":"$context.status"}',
        },
        "DefaultRouteSettings": {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50.0},
    },
    ("apigatewayv2", "GetRoutes"): {
        "Items": [
            {"RouteId": "r1", "RouteKey": "GET /pets", "Target": "integrations/i1", "AuthorizerId": "a1"}
        ]
    },
    ("apigatewayv2", "GetIntegrations"): {
        "Items": [
            {
                "IntegrationId": "i1",
                "IntegrationType": "HTTP_PROXY",
                "IntegrationUri": _LISTENER,
                "ConnectionType": "VPC_LINK",
                "ConnectionId": "abcdef",
            }
        ]
    },
    ("apigatewayv2", "GetAuthorizers"): {"Items": [{"AuthorizerId": "a1", "AuthorizerType": "JWT"}]},
    ("apigatewayv2", "GetVpcLink"): {
        "VpcLinkId": "abcdef",
        "VpcLinkVersion": "V2",
        "SecurityGroupIds": ["sg-1"],
    },
}


def test_policy_and_allowlist_are_exactly_the_calls_made(harness: Harness) -> None:
    made = _calls_made(harness)
    al = guard.ALLOWLIST
    refused = {(s, op) for s, op in made if not al.allows(s, op)}
    assert not refused, f"calls the guard would refuse: {refused}"
    opt_in_ops = {(s, op) for s, ops in al.opt_in.items() for op in ops}
    always = {al.iam_action(s, op) for s, op in made - opt_in_ops}
    opt = {al.iam_action(s, op) for s, op in made & opt_in_ops}
    policy_always, policy_opt_in = _policy()
    assert policy_always == always, (
        f"policy grants actions never called: {sorted(policy_always - always)}; "
        f"called but not granted: {sorted(always - policy_always)}"
    )
    assert policy_opt_in == opt == {"apigateway:POST"}
    listed = {(s, op) for s, ops in al.actions.items() for op in ops}
    assert listed == made, f"allowlisted, never called: {sorted(listed - made)}"


def test_aws_calls_doc_lists_every_call() -> None:
    """docs/AWS-CALLS.md: one row per allowlisted operation (the same set the calls above make)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "AWS-CALLS.md").read_text()
    rows = [r.split("|")[1:-1] for r in doc.splitlines() if r.startswith("| ") and "`" in r]
    documented = {(c[0].strip(), c[1].strip()): c[2].strip().split("`")[1] for c in rows}
    al = guard.ALLOWLIST
    listed = {(s, op): al.iam_action(s, op) for s, ops in al.actions.items() for op in ops}
    assert documented == listed

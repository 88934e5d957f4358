"""The world's signals per scenario, the fix loop, and the API the server helper uses."""

from __future__ import annotations

import pytest

from apigw_cockpit.demo.world import World, list_scenarios, load_scenario
from apigw_cockpit.model import FrozenClock
from scenario_phrases import ERROR_METRIC_OF, PHRASE_OF

pytestmark = pytest.mark.sim  # slow lane: the simulated world itself (its engine, a simulated hour per test)

NOW = 1_750_000_000.0
API = {"ApiName": "orders-prod", "Stage": "prod"}

# The execution-log line each root cause must produce (verbatim starts from AWS-FACTS, or SIM CHOICE).
SIGNATURE = {
    "sg-blocks-nlb-targets": "Execution failed due to a timeout error",
    "nlb-subnet-mismatch": "a network error communicating with endpoint: Connection is closed",
    "vpc-link-unavailable": "There was an internal error while executing your request",
    "lambda-permission-missing": "Invalid permissions on Lambda function",
    "execution-role-missing-invoke": "Invalid permissions on Lambda function",
    "integration-timeout": "Execution failed due to a timeout error",
    "lambda-function-error": "Lambda execution failed with status 200 due to customer function error: ",
    "malformed-lambda-proxy-response": "Malformed Lambda proxy response",
    "mapping-template-invalid": "Unable to transform request",
    "backend-error-unmapped": "No match for output mapping and no default output mapping configured",
    "stage-variable-stale": "Lambda invocation failed with status: 404",
    "cors-preflight-no-integration": "No integration defined for method",
    "invalid-backend-response": "Invalid endpoint response",
    "backend-crash-under-load": "network error communicating with endpoint: Connection is closed",
    "tls-name-mismatch": "does not match the certificate subject provided by the peer (CN=",
    "lambda-throttled": "Lambda invocation failed with status: 429",
    "tls-certificate-invalid": "PKIX path validation failed",
    "backend-unreachable": "network error communicating with endpoint: Connection is closed",
    "backend-5xx-passthrough": "Method completed with status: 503",
    "lambda-timeout": "Task timed out after 6.00 seconds",
    "authorizer-failure": "Authorizer error",
    "usage-plan-throttled": "Key throttle limit exceeded for Usage Plan ID",
}
SIGNATURE_OF = PHRASE_OF  # tests/scenario_phrases.py
ERROR_METRIC = {"usage-plan-throttled": "4XXError"}  # a throttled key gets 429
SILENT = {"expire_backend_cert", "crash_backend", "restart_backend", "set_latency_tail"}


def _world(name: str, backfill: float = 900) -> tuple[World, FrozenClock]:
    s = load_scenario(name, now=NOW)
    clock = FrozenClock(s.start)
    w = World(s, clock, seed=1)
    w.backfill(backfill)
    return w, clock


def _sum(w: World, metric: str, start: float, end: float, dims: dict[str, str] = API) -> list[float]:
    return [v for _, v in w.metrics.query("AWS/ApiGateway", metric, dims, "Sum", start, end, 60)]


@pytest.mark.parametrize("scenario", [s.id for s in list_scenarios(now=NOW)])
def test_signals_then_fix_recovers(scenario: str) -> None:
    w, clock = _world(scenario)
    s = w.scenario
    api = {"ApiName": w.state.api.name, "Stage": w.state.stage.name}  # each scenario's own topology
    metric = ERROR_METRIC_OF.get(scenario, ERROR_METRIC.get(s.root_cause, "5XXError"))
    five = "5XXError"
    if w.state.is_http:  # apigatewayv2: by ApiId, lower-case names; the access log per request
        api, five = {"ApiId": w.state.api.id, "Stage": w.state.stage.name}, "5xx"
        metric = "4xx" if metric == "4XXError" else "5xx"
    before = _sum(w, metric, s.start - 180, s.start, api)
    if s.root_cause == "recovered":  # over before t=0: errors earlier, none in the last minutes
        assert sum(before) == 0 and sum(_sum(w, five, s.start - 1800, s.start, api)) > 100
        return
    if s.root_cause == "none":
        assert sum(_sum(w, five, s.start - 900, s.start, api)) == 0
        assert {a["StateValue"] for a in w.alarms()} == {"OK"}
    else:
        assert min(before) > 10, before
        group = w.state.stage.access_log_group if w.state.is_http else w.state.execution_log_group()
        if w.state.stage.logging_level != "OFF" or w.state.is_http:
            events, _ = w.logs.filter(
                group,
                int((s.start - 120) * 1000),
                None,
                f'"{SIGNATURE_OF.get(scenario, SIGNATURE[s.root_cause])}"',
                None,
                5,
            )
            assert events, f"no {SIGNATURE[s.root_cause]!r} in {scenario}"
        if not SILENT & {a["do"] for a in s.actions}:  # a fault with no API call leaves no event
            assert w.trail.lookup(s.start - 3600, s.start)[0], "the cause is in CloudTrail"
    w.apply_fix()
    fixed_at = clock.now()
    clock.advance(180)
    w.advance()
    assert _sum(w, metric, fixed_at + 60, clock.now(), api)[-1] < 10  # 4XX: the usual few
    assert _sum(w, five, fixed_at + 60, clock.now(), api) == [0.0, 0.0]
    assert sum(_sum(w, "Count", fixed_at + 60, clock.now(), api)) > 100


def test_midnight_pager_tells_the_seed_story() -> None:
    w, clock = _world("midnight-pager", 3600)
    s = w.scenario
    errors = _sum(w, "5XXError", s.start - 240, s.start)
    counts = _sum(w, "Count", s.start - 240, s.start)
    assert all(120 <= e <= 190 for e in errors), errors
    assert 0.7 <= sum(errors) / sum(counts) <= 0.9
    assert _sum(w, "5XXError", s.start - 3600, s.start - 360) == [0.0] * 54
    p99 = w.metrics.query("AWS/ApiGateway", "IntegrationLatency", API, "p99", s.start - 180, s.start, 60)
    assert all(27_500 <= v <= 29_500 for _, v in p99)
    tg = w.state.target_groups["orders-tg"]
    dims = {"LoadBalancer": w.state.nlbs["orders-nlb"].dims_value, "TargetGroup": tg.id.split(":", 5)[-1]}
    assert dims["LoadBalancer"].startswith("net/orders-nlb/") and dims["TargetGroup"].startswith(
        "targetgroup/"
    )
    unhealthy = w.metrics.query(
        "AWS/NetworkELB", "UnHealthyHostCount", dims, "Maximum", s.start - 240, s.start, 60
    )
    assert [v for _, v in unhealthy] == [4.0] * 4
    health = w.target_health("orders-tg")
    assert [h["TargetHealth"]["Reason"] for h in health] == ["Target.FailedHealthChecks"] * 4
    revoke, _ = w.trail.lookup(attr_key="EventName", attr_value="RevokeSecurityGroupIngress")
    assert revoke[0]["Username"] == "alex" and revoke[0]["EventTime"] == s.start - 300
    assert '"cidrIp": "10.0.0.0/16"' in revoke[0]["CloudTrailEvent"]
    assert revoke[0]["Resources"] == [
        {"ResourceType": "AWS::EC2::SecurityGroup", "ResourceName": "sg-0ab12cd34ef567890"}
    ]
    rejects, _ = w.logs.filter(
        w.state.vpc.flow_log_group, int((s.start - 180) * 1000), None, "REJECT", None, 50
    )
    assert rejects and all(" 10.0.1." in e.message or " 10.0.2." in e.message for e in rejects)
    assert [a["StateValue"] for a in w.alarms()] == ["ALARM", "ALARM"]
    w.apply_fix()
    clock.advance(60)
    assert all(h["TargetHealth"]["State"] == "healthy" for h in w.target_health(tg.id))


def test_full_success_trace_in_order() -> None:
    w, _ = _world("healthy", 120)
    events, _ = w.logs.filter(w.state.execution_log_group(), None, None, '"Resource Path: /orders"', None, 1)
    rid = events[0].message[1:].split(")")[0]
    trace, _ = w.logs.filter(w.state.execution_log_group(), None, None, f'"({rid})"', None, 100)
    lines = [e.message.split(") ", 1)[1] for e in trace]
    order = [
        "Extended Request Id",
        "Starting execution for request",
        "HTTP Method: GET, Resource Path: /orders",
        "Endpoint request URI",
        "Sending request to",
        "Received response. Status: 200, Integration latency: ",
        "Successfully completed execution",
        "Method completed with status: 200",
        "X-ray Tracing ID : ",
    ]
    positions = [next(i for i, x in enumerate(lines) if x.startswith(o)) for o in order]
    assert positions == sorted(positions)


def test_lambda_permission_missing_is_500_fast_and_lambda_silent() -> None:
    w, _ = _world("lambda-permission-missing")
    s = w.scenario
    r = w.handle("GET", "/prod/users", {}, b"")
    assert r.status == 500 and r.body == b'{"message": "Internal server error"}'
    assert r.integration_latency_ms < 100
    assert any("Invalid permissions on Lambda function" in x for x in r.log_lines)
    assert r.log_lines[-2:] != [] and "Method completed with status: 500" in r.log_lines
    inv = w.metrics.query(
        "AWS/Lambda", "Invocations", {"FunctionName": "users-fn"}, "Sum", s.start - 120, s.start, 60
    )
    assert inv == []
    assert w.handle("GET", "/prod/health", {}, b"").status == 200
    assert w.handle("GET", "/prod/nothing", {}, b"").status == 403


def test_logging_levels() -> None:
    w, clock = _world("logging-off-sg", 300)
    assert w.logs.count(w.state.execution_log_group()) == 0
    assert sum(_sum(w, "5XXError", w.scenario.start - 120, w.scenario.start)) > 100
    w.apply_action({"do": "set_logging", "params": {"level": "ERROR"}}, "oncall")
    clock.advance(30)
    w.advance()
    clock.advance(10)
    events, _ = w.logs.filter(w.state.execution_log_group())
    assert events and all("Execution failed" in e.message or "status: 5" in e.message for e in events)


def test_test_invoke_bypasses_vpc_link_but_not_lambda_permissions() -> None:
    w, _ = _world("midnight-pager", 120)
    r = w.test_invoke("r0rd3r5", "GET", "/orders", "", {})
    assert r["status"] == 200
    assert r["log"].startswith("Execution log for request ")
    assert " UTC " in r["log"].splitlines()[1] and " : " in r["log"].splitlines()[1]
    w2, _ = _world("lambda-permission-missing", 120)
    assert w2.test_invoke("rus3r5", "GET", "/users", "", {})["status"] == 500


def test_bind_ids_subscribe_and_policy_simulation() -> None:
    w, _ = _world("execution-role-missing-invoke", 120)
    w.bind_ids(
        {
            "tasks-sg": "sg-0moto0000000001",
            "orders-tg": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-tg/abc",
        }
    )
    assert w.id_of("tasks-sg") == "sg-0moto0000000001"
    w.bind_ids({"api": "zz9api0001"})
    assert w.logs.has_group("API-Gateway-Execution-Logs_zz9api0001/prod")
    seen = []
    w.subscribe(seen.append)
    w.apply_action(
        {"do": "revoke_ingress", "params": {"sg": "tasks-sg", "port": 80, "cidr": "10.0.0.0/16"}}, "bob"
    )
    assert seen[0]["ids"] == {"sg": "sg-0moto0000000001"}
    assert '"groupId": "sg-0moto0000000001"' in seen[0]["trail"]["CloudTrailEvent"]
    assert w.target_health("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-tg/abc")
    role = w.state.roles["apigw-invoke-role"].arn
    fn = w.state.lambdas["invoices-fn"].arn
    assert (
        w.simulate_principal_policy(role, ["lambda:InvokeFunction"], [fn])[0]["EvalDecision"]
        == "implicitDeny"
    )
    w.apply_fix()
    assert w.simulate_principal_policy(role, ["lambda:InvokeFunction"], [fn])[0]["EvalDecision"] == "allowed"


def test_deterministic_and_advance_idempotent() -> None:
    a, ca = _world("midnight-pager", 300)
    b, _ = _world("midnight-pager", 300)
    s = a.scenario
    assert _sum(a, "Count", s.start - 300, s.start) == _sum(b, "Count", s.start - 300, s.start)
    n = a.logs.count(a.state.execution_log_group())
    a.advance()
    a.advance()
    assert a.logs.count(a.state.execution_log_group()) == n
    ca.advance(60)
    a.advance()
    assert a.logs.count(a.state.execution_log_group()) > n


def test_timeout_lines_arrive_when_the_timeout_happens() -> None:
    w, clock = _world("midnight-pager", 300)
    group, s = w.state.execution_log_group(), w.scenario
    started, _ = w.logs.filter(group, int((s.start - 20) * 1000), None, '"Resource Path: /orders"', None, 500)
    rids = {e.message[1:].split(")")[0] for e in started}
    assert rids

    def failed_rids() -> set[str]:
        events, _ = w.logs.filter(group, int((s.start - 20) * 1000), None, '"Execution failed"', None, 10_000)
        return {e.message[1:].split(")")[0] for e in events} & rids

    assert failed_rids() == set()  # still waiting on the integration timeout
    clock.advance(45)
    w.advance()
    assert len(failed_rids()) >= len(rids) * 0.6

"""Where execution logging is really on: the stage, per-method overrides, the account's role.

API Gateway writes execution logs only when (1) the method's effective `loggingLevel` is
ERROR or INFO — a `methodSettings` key "<path with / as ~1>/<VERB>" overrides "*/*" for
that method — and (2) the account has a CloudWatch Logs role for this region
(`GetAccount` `cloudwatchRoleArn`). Without (2) nothing is written at all, whatever the stage
says. https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
"""

from __future__ import annotations

from apigw_cockpit.model import MethodSetting, Stage, Topology


def method_key(path: str, verb: str) -> str:
    """`/orders/{id}`, GET → `~1orders~1{id}/GET` (the methodSettings key)."""
    return f"{path.replace('/', '~1')}/{verb}"


def effective_setting(stage: Stage, path: str, verb: str) -> MethodSetting | None:
    """The setting that applies to one method: its own key, then "<path>/*", then "*/*"."""
    by_key = {m.key: m for m in stage.method_settings}
    for key in (method_key(path, verb), method_key(path, "*"), "*/*"):
        if key in by_key:
            return by_key[key]
    return None


def effective_level(stage: Stage, path: str, verb: str) -> str:
    setting = effective_setting(stage, path, verb)
    if setting is not None:
        return setting.logging_level.upper()
    return stage.logging_level.upper() if not stage.method_settings else "OFF"


def methods_logging_off(topo: Topology) -> list[str]:
    """'GET /orders' for every method whose effective level is OFF while the stage's is on."""
    if topo.stage.logging_level.upper() == "OFF":
        return []
    return [
        f"{m.http_method} {r.path}"
        for r, m in topo.methods()
        if m.http_method != "OPTIONS" and effective_level(topo.stage, r.path, m.http_method) == "OFF"
    ]


def role_problem(topo: Topology) -> str:
    """Why no execution log can be written at all (no account role), or ''."""
    if topo.cloudwatch_role_arn == "":
        return (
            f"no CloudWatch Logs role set for API Gateway in {topo.region} "
            "(GetAccount cloudwatchRoleArn is empty): no execution logs are written"
        )
    return ""

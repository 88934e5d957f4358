"""What a request leaves behind: execution-log lines, Lambda log lines, flow-log records."""

from __future__ import annotations

import base64
import random
import time

from apigw_cockpit.demo.world.evaluate import Outcome
from apigw_cockpit.demo.world.gate import throttle_line
from apigw_cockpit.demo.world.outcome import LambdaCall
from apigw_cockpit.demo.world.state import LambdaState, WorldState

GATEWAY_OVERHEAD_MS = 6.0


def request_id(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _ext_id(rng: random.Random) -> str:
    return base64.b64encode(rng.getrandbits(80).to_bytes(10, "big")).decode()[:14] + "="


def trace_id(rng: random.Random, t: float) -> str:
    return f"Root=1-{int(t):08x}-{rng.getrandbits(96):024x}"


def execution_lines(
    ws: WorldState, o: Outcome, rid: str, verb: str, path_tpl: str, rpath: str, t: float, rng: random.Random
) -> list[tuple[float, str, bool]]:
    """The whole trace as (seconds since request start, line, is_error), without the "(id) " prefix."""
    api, stage = ws.api.id, ws.stage.name
    pp = "{}"
    if "{" in path_tpl:
        pp = "{id=" + rpath.rsplit("/", 1)[-1] + "}"
    plan = o.usage_plan
    usage = [
        f"Verifying Usage Plan for request: {rid}. API Key:  API Stage: {api}/{stage}",
        f"API Key  authorized because method '{verb} {path_tpl}' does not require API Key. "
        "Request will not contribute to throttle or quota limits",
        f"Usage Plan check succeeded for API Key  and API Stage {api}/{stage}",
    ]
    if plan is not None:
        key = f"****{plan.key_id[-5:]}"
        usage = [f"Verifying Usage Plan for request: {rid}. API Key: {key} API Stage: {api}/{stage}"]
        if o.status == 429:  # throttled before execution starts: the trace ends here
            first = f"Extended Request Id: {_ext_id(rng)}"
            return [(0.0, first, False), (0.0, usage[0], False), (0.0, throttle_line(ws, plan), True)]
        usage.append(f"Usage Plan check succeeded for API Key {key} and API Stage {api}/{stage}")
    head = [
        f"Extended Request Id: {_ext_id(rng)}",
        *usage,
        f"Starting execution for request: {rid}",
        f"HTTP Method: {verb}, Resource Path: {rpath}",
        f"Method request path: {pp}",
        "Method request query string: {}",
        "Method request headers: {Accept=application/json, User-Agent=Mozilla/5.0, "
        f"Host={api}.execute-api.{ws.api.region}.amazonaws.com, X-Forwarded-Proto=https, "
        "X-Forwarded-Port=443, "
        f"X-Forwarded-For=198.51.100.{rng.randint(2, 250)}}}",
        "Method request body before transformations: ",
    ]
    out: list[tuple[float, str, bool]] = [(0.0, x, False) for x in head]
    out += [(ms / 1000.0, line, err) for ms, line, err in o.lines]
    end = (o.integration_latency_ms + GATEWAY_OVERHEAD_MS) / 1000.0
    out.append((end, f"Method completed with status: {o.status}", o.status >= 500))
    if o.endpoint_request_id:
        out.append((end, f"AWS Integration Endpoint RequestId : {o.endpoint_request_id}", False))
    if ws.stage.tracing_enabled:
        out.append((end, f"X-ray Tracing ID : {trace_id(rng, t)}", False))
    return out


def lambda_lines(
    fn: LambdaState, o: Outcome, t: float, call: LambdaCall | None = None
) -> list[tuple[float, str]]:
    """/aws/lambda/<fn> lines for the invocation in `o` (or `call`: the authorizer's), in seconds
    since request start."""
    c = call or o.lambda_call
    assert c is not None
    ver = "$LATEST"
    out = [(0.01, f"START RequestId: {c.request_id} Version: {ver}")]
    end = 0.01 + c.duration_ms / 1000.0
    iso = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t + end)) + f".{int((t + end) * 1000) % 1000:03d}Z"
    if c.timed_out:
        out.append((end, f"{iso} {c.request_id} Task timed out after {fn.timeout_s:.2f} seconds"))
    elif c.error:
        out.append(
            (
                end,
                f"{iso}\t{c.request_id}\tERROR\tInvoke Error \t"
                f'{{"errorType":"{fn.error_type}","errorMessage":"{c.error}",'
                f'"stack":["{fn.error_type}: {c.error}",'
                '"    at Runtime.handler (/var/task/index.js:42:17)"]}',
            )
        )
    out.append((end, f"END RequestId: {c.request_id}"))
    billed = int(c.duration_ms) + 1
    out.append(
        (
            end,
            f"REPORT RequestId: {c.request_id}\tDuration: {c.duration_ms:.2f} ms\t"
            f"Billed Duration: {billed} ms\t"
            f"Memory Size: {fn.memory_mb} MB\tMax Memory Used: {min(fn.memory_mb, 60 + billed % 30)} MB",
        )
    )
    return out


def nlb_ip(ws: WorldState, subnet: str) -> str:
    net = ws.subnets[subnet].cidr.split("/")[0].rsplit(".", 1)[0]
    return f"{net}.{37 + len(subnet) % 40}"


def flow_record(
    ws: WorldState,
    eni: str,
    src: str,
    dst: str,
    sport: int,
    dport: int,
    packets: int,
    start: int,
    action: str,
) -> str:
    """VPC flow log, default (version 2) format."""
    nbytes = packets * (60 if action == "REJECT" else 420)
    head = f"2 {ws.api.account} {eni} {src} {dst} {sport} {dport} 6"
    return f"{head} {packets} {nbytes} {start} {start + 60} {action} OK"

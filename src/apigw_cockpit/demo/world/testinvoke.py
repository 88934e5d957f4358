"""TestInvokeMethod: the console's "Test" button, answered from the same evaluation logic.

It runs on stage `test-invoke-stage`, writes nothing to the stage's logs or metrics, and (per
AWS-FACTS) does not go through the VPC link: a VPC-link integration is evaluated straight against
its backend, which is why it often succeeds while real traffic fails.
"""

from __future__ import annotations

import random
import time
import zlib
from typing import TYPE_CHECKING, Any

from apigw_cockpit.demo.world.evaluate import Outcome, _done, _http, evaluate
from apigw_cockpit.demo.world.traces import execution_lines, request_id

if TYPE_CHECKING:
    from apigw_cockpit.demo.world.engine import World


def _stamp(t: float) -> str:
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(t))


def test_invoke(world: World, resource_id: str, http_method: str, path_with_query: str) -> dict[str, Any]:
    ws = world.state
    t = world.clock.now()
    res = next((r for r in ws.resources.values() if r.id == resource_id or r.name == resource_id), None)
    if res is None or http_method.upper() not in res.methods:
        raise KeyError(f"Invalid Method identifier specified: {resource_id} {http_method}")
    verb = http_method.upper()
    rpath = (path_with_query or res.path).split("?", 1)[0]
    rng = random.Random(zlib.crc32(f"{world.seed}:{t}:{resource_id}:{verb}".encode()))
    method = res.methods[verb]
    integ = method.integration
    o: Outcome
    if integ is not None and integ.connection_type == "VPC_LINK":
        link = ws.vpc_links[integ.vpc_link]
        tgs = ws.nlbs[link.nlb].listeners.values()
        tgt = next((x for x in ws.targets.values() if x.target_group in tgs), None)
        uri = integ.uri.replace("{id}", rpath.rsplit("/", 1)[-1])
        pre = [(1.0, f"Endpoint request URI: {uri}", False), (2.0, f"Sending request to {uri}", False)]
        if tgt is None:
            o = evaluate(ws, world.health, res.name, verb, rpath, t, rng, {})
        else:
            o = _http(ws, integ, method, ws.backends[tgt.backend], uri, rng, pre, 0.0)
    else:
        o = evaluate(ws, world.health, res.name, verb, rpath, t, rng, {})
    if o.status < 500 and not any("Successfully completed" in x[1] for x in o.lines):
        o = _done(o, o.integration_latency_ms)
    rid = request_id(rng)
    lines = execution_lines(ws, o, rid, verb, res.path, rpath, t, rng)
    log = [f"Execution log for request {rid}"]
    log += [
        f"{_stamp(t + off)} : {txt}"
        for off, txt, _ in lines
        if not txt.startswith(("Extended Request Id", "Verifying Usage", "API Key ", "Usage Plan"))
    ]
    hdrs = {
        "Content-Type": "application/json",
        "X-Amzn-Trace-Id": f"Root=1-{int(t):08x}-{rng.getrandbits(96):024x}",
    }
    if o.status >= 500:
        hdrs["x-amzn-ErrorType"] = o.error_type or "InternalServerErrorException"
    return {
        "status": o.status,
        "body": o.body.decode(errors="replace"),
        "headers": hdrs,
        "multiValueHeaders": {k: [v] for k, v in hdrs.items()},
        "log": "\n".join(log) + "\n",
        "latency": int(o.integration_latency_ms + 6),
    }

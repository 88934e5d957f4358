"""`apigw-cockpit verify`: the verification checklist V1–V6 (DESIGN section 7).

Exit 0 only when every step passes; 1 when any fails or is pending; 2 usage; 3 AWS.
V1 always sends one request through the invoke URL; V5 (TestInvokeMethod) runs only with
`--confirm-test-invoke`; V6 only with `--load N` (loopback unless --allow-remote-load).
`--json` shape: `{"api", "stage", "since", "passed", "steps": [{"id", "title", "status", "evidence"}]}`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from apigw_cockpit import safe_write
from apigw_cockpit.commands.check import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    collect_round,
    emit,
    write_json,
)
from apigw_cockpit.diagnose import VerifyStep, verify
from apigw_cockpit.diagnose.observations import Probe
from apigw_cockpit.diagnose.report import step_json
from apigw_cockpit.diagnose.verification import all_passed, probe_target
from apigw_cockpit.model import Clock, SystemClock, Topology

DEFAULT_SINCE_S = 15 * 60
_RELATIVE = re.compile(r"^-?(\d+(?:\.\d+)?)([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(text: str | None, now: float) -> float:
    """ISO 8601 (naive = UTC) or a relative '-15m' / '-2h' → epoch seconds. ValueError if neither."""
    if not text:
        return now - DEFAULT_SINCE_S
    m = _RELATIVE.match(text.strip())
    if m:
        return now - float(m.group(1)) * _UNIT[m.group(2)]
    stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


async def _probes(
    feed: Any, *, test_invoke: bool, load: int, allow_remote: bool, k6: str | None
) -> tuple[Probe, ...]:
    resource_id, method, path = probe_target(feed.topology)
    out: list[Probe] = [await feed.probes.invoke_url(path, method)]
    if test_invoke and resource_id:
        out.append(await feed.probes.test_invoke(resource_id, method, confirmed=True))
    if load:
        n = max(1, int(load))
        out.append(
            await feed.probes.load_test(
                path, method, max_requests=n, duration_s=max(5.0, n / 20), allow_remote=allow_remote
            )
        )
    if k6:
        safe_write.write_text(k6, feed.probes.k6_script(path, method))  # regular files only
    return tuple(out)


async def verify_once(
    settings: Any,
    clock: Clock,
    since: float,
    *,
    test_invoke: bool = False,
    load: int = 0,
    allow_remote: bool = False,
    k6: str | None = None,
) -> tuple[list[VerifyStep], Topology]:
    """What `verify` does, callable from tests (settings: aws.AwsSettings)."""
    from apigw_cockpit.aws.feed import open_feed

    feed = await open_feed(settings, clock)
    try:
        builder = await collect_round(feed)
        probes = await _probes(feed, test_invoke=test_invoke, load=load, allow_remote=allow_remote, k6=k6)
    finally:
        await feed.aclose()
    obs = builder.build(clock.now(), probes=probes, fix_time=since)
    return verify(obs), feed.topology


async def _run(args: argparse.Namespace, clock: Clock) -> tuple[list[VerifyStep], float, Topology]:
    from apigw_cockpit.commands.watch import settings_from_args

    since = parse_since(args.since, clock.now())
    steps, topo = await verify_once(
        settings_from_args(args),
        clock,
        since,
        test_invoke=args.confirm_test_invoke,
        load=args.load,
        allow_remote=args.allow_remote_load,
        k6=args.k6,
    )
    return steps, since, topo


def render_text(steps: list[VerifyStep], passed: bool, out: TextIO) -> None:
    for s in steps:
        out.write(f"{s.id} {s.status.upper():<8} {s.title}\n")
        for line in s.evidence[:4]:
            out.write(f"             | {line}\n")
    out.write("\nverified: every step passes\n" if passed else "\nnot verified yet\n")


def run(args: argparse.Namespace) -> int:
    clock = SystemClock()
    try:
        parse_since(args.since, clock.now())
    except ValueError:
        print(f"apigw-cockpit verify: --since {args.since!r}: use ISO 8601 or -15m / -2h", file=sys.stderr)
        return EXIT_USAGE
    from apigw_cockpit.aws.errors import CockpitAwsError

    try:
        steps, since, topo = asyncio.run(_run(args, clock))
    except CockpitAwsError as exc:
        print(f"apigw-cockpit verify: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"apigw-cockpit verify: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug, not "AWS unreachable": exit 70 + traceback file
        from apigw_cockpit.crash import report_bug

        return report_bug(exc, "verify")
    passed = all_passed(steps)
    if args.json:
        doc = {
            "api": topo.api_id,
            "stage": topo.stage.name,
            "since": since,
            "passed": passed,
            "steps": [step_json(s) for s in steps],
        }
        emit(write_json(doc))
    else:
        emit(lambda out: render_text(steps, passed, out))
    return EXIT_OK if passed else EXIT_FINDINGS

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
from typing import TextIO

from apigw_cockpit.commands.output import emit, write_json
from apigw_cockpit.diagnose import VerifyStep
from apigw_cockpit.diagnose.report import step_json
from apigw_cockpit.diagnose.verification import all_passed
from apigw_cockpit.model import Clock, SystemClock, Topology
from apigw_cockpit.service.exits import EXIT_AWS, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from apigw_cockpit.service.observe import verify_once
from apigw_cockpit.service.settings import settings_from_args

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


async def _run(args: argparse.Namespace, clock: Clock) -> tuple[list[VerifyStep], float, Topology]:
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
    except Exception as exc:  # never a traceback
        print(f"apigw-cockpit verify: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_AWS
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

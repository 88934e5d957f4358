"""`apigw-cockpit verify`: the verification checklist V1–V6 (DESIGN section 7).

Exit 0 only when every step passes; 1 when any fails or is pending; 2 usage; 3 AWS.
V1 always sends one request through the invoke URL; V5 (TestInvokeMethod) runs only with
`--confirm-test-invoke`; V6 only with `--load N` (loopback unless --allow-remote-load).
The probed route is the one failing most (diagnose.probe_choice), never a MOCK, never a write
unless named with `--route "POST /orders"` and confirmed with `--confirm-unsafe`; the request
carries the route's sample from the config file (`[verify.requests."POST /orders"]`).
`--invoke-url` (or `[verify] invoke_url`) sends probes to a custom domain, a private API's
`vpce-…` endpoint (with `x-apigw-api-id`) or the simulated world's loopback URL.
`--json` shape: `{"api", "stage", "since", "passed", "probe": {"route", "path", "why", "refused"},
"steps": [{"id", "title", "status", "evidence"}]}`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from datetime import UTC, datetime
from typing import TextIO

from apigw_cockpit.commands.output import emit, write_json
from apigw_cockpit.diagnose import VerifyStep
from apigw_cockpit.diagnose.probe_choice import ProbeChoice, parse_route
from apigw_cockpit.diagnose.report import step_json
from apigw_cockpit.diagnose.verification import all_passed, probe_target  # noqa: F401 (re-export)
from apigw_cockpit.model import Clock, SystemClock, Topology
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from apigw_cockpit.service.verify import samples_from, verify_once, verify_run  # noqa: F401 (re-export)

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


async def _run(
    args: argparse.Namespace, clock: Clock
) -> tuple[list[VerifyStep], float, Topology, ProbeChoice]:
    import dataclasses

    from apigw_cockpit.config import load_settings
    from apigw_cockpit.service.settings import settings_from_args

    since = parse_since(args.since, clock.now())
    config = load_settings(args)
    settings = settings_from_args(args)
    if not settings.invoke_url and config.invoke_url:
        settings = dataclasses.replace(settings, invoke_url=config.invoke_url)
    steps, topo, choice = await verify_run(
        settings,
        clock,
        since,
        test_invoke=args.confirm_test_invoke,
        load=args.load,
        allow_remote=args.allow_remote_load,
        k6=args.k6,
        route=args.route or "",
        allow_unsafe=args.confirm_unsafe,
        samples=samples_from(config),
    )
    return steps, since, topo, choice


def render_text(
    steps: list[VerifyStep], passed: bool, out: TextIO, choice: ProbeChoice | None = None
) -> None:
    if choice is not None:
        out.write(f"{choice.note}\n\n")
    for s in steps:
        out.write(f"{s.id} {s.status.upper():<8} {s.title}\n")
        for line in s.evidence[:4]:
            out.write(f"             | {line}\n")
    out.write("\nverified: every step passes\n" if passed else "\nnot verified yet\n")


def run(args: argparse.Namespace) -> int:
    from apigw_cockpit.service.target import apply_url

    code = apply_url(args, "verify")
    if code is not None:
        return code
    clock = SystemClock()
    try:
        parse_since(args.since, clock.now())
    except ValueError:
        err_line(f"apigw-cockpit verify: --since {args.since!r}: use ISO 8601 or -15m / -2h")
        return EXIT_USAGE
    if args.route:
        try:
            parse_route(args.route)
        except ValueError as exc:
            err_line(f"apigw-cockpit verify: --route: {exc}")
            return EXIT_USAGE
    from apigw_cockpit.errors import CockpitError

    try:
        steps, since, topo, choice = asyncio.run(_run(args, clock))
    except CockpitError as exc:  # a bad setting (exit 2) or AWS refusing (exit 3)
        err_line(f"apigw-cockpit verify: {exc}")
        return exc.exit_code
    except OSError as exc:
        err_line(f"apigw-cockpit verify: {exc}")
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
            "probe": {
                "route": choice.route,
                "path": choice.path_with_query,
                "why": choice.why,
                "refused": choice.refused,
            },
            "steps": [step_json(s) for s in steps],
        }
        emit(write_json(doc))
    else:
        emit(lambda out: render_text(steps, passed, out, choice))
    return EXIT_OK if passed else EXIT_FINDINGS

"""`apigw-cockpit check [CHECK...] [--json]`: one round of every source, the checks, the ranking.

Exit codes: 0 healthy, 1 at least one finding at error level, 2 usage/config error,
3 AWS unreachable/denied. `--json` shape (stable):
`{"api", "stage", "root_cause", "onset", "findings": [...], "hypotheses": [...], "sources": [...]}`.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import TextIO

from apigw_cockpit.commands.output import emit, write_json
from apigw_cockpit.diagnose import CHECKS, Observations
from apigw_cockpit.diagnose.report import Diagnosis, diagnosis_json
from apigw_cockpit.model import Clock, SystemClock, Verdict
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_AWS, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from apigw_cockpit.service.observe import all_sources_failed, check_once
from apigw_cockpit.service.settings import settings_from_args


def render_text(d: Diagnosis, obs: Observations, out: TextIO) -> None:
    topo = obs.topology
    out.write(f"api {topo.api_name} ({topo.api_id}) stage {topo.stage.name} {topo.region}\n\n")
    for f in d.findings:
        out.write(f"{f.verdict.value.upper():<8} {f.check_id:<18} {f.summary}\n")
        if f.verdict in (Verdict.ERROR, Verdict.WARN):
            for line in f.evidence[:3]:
                out.write(f"{'':<27}| {line}\n")
    out.write("\n")
    if not d.hypotheses:
        out.write("root cause: unexplained 5XX — read the findings above\n")
    for i, h in enumerate(d.hypotheses[:3]):
        label = "root cause" if i == 0 else "  or"
        out.write(f"{label}: {h.root_cause} (confidence {h.confidence:.2f})\n")
        for because in h.because[:4]:
            out.write(f"    because {because}\n")


async def _run(args: argparse.Namespace, clock: Clock) -> tuple[Diagnosis, Observations] | int:
    d, obs = await check_once(settings_from_args(args), clock, args.checks or None)
    failed = all_sources_failed(obs)
    if failed:
        err_line(f"apigw-cockpit check: {failed}")
        return EXIT_AWS
    return d, obs


def run(args: argparse.Namespace) -> int:
    from apigw_cockpit.service.target import apply_url

    code = apply_url(args, "check")
    if code is not None:
        return code
    unknown = [c for c in (args.checks or []) if c not in CHECKS]
    if unknown:
        err_line(f"apigw-cockpit check: unknown check {unknown[0]!r}; known: {', '.join(CHECKS)}")
        return EXIT_USAGE
    from apigw_cockpit.errors import CockpitError

    try:
        result = asyncio.run(_run(args, SystemClock()))
    except CockpitError as exc:
        err_line(f"apigw-cockpit check: {exc}")
        return exc.exit_code
    except Exception as exc:  # a bug, not "AWS unreachable": exit 70 + traceback file
        from apigw_cockpit.crash import report_bug

        return report_bug(exc, "check")
    if isinstance(result, int):
        return result
    d, obs = result
    if args.json:
        emit(write_json(diagnosis_json(d, obs)))
    else:
        emit(lambda out: render_text(d, obs, out))
    return EXIT_FINDINGS if d.has_errors else EXIT_OK

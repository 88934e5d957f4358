"""`apigw-cockpit check [CHECK...] [--json]`: one round of every source, the checks, the ranking.

Exit codes: 0 healthy, 1 at least one finding at error level, 2 usage/config error,
3 AWS unreachable/denied. `--json` shape (stable):
`{"api", "stage", "root_cause", "onset", "findings": [...], "hypotheses": [...], "sources": [...]}`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from apigw_cockpit import outbound
from apigw_cockpit.diagnose import CHECKS, Observations
from apigw_cockpit.diagnose.collect import ObservationBuilder
from apigw_cockpit.diagnose.report import Diagnosis, diagnose, diagnosis_json
from apigw_cockpit.model import Clock, SourceState, SourceStatus, SystemClock, Verdict

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_AWS = 0, 1, 2, 3
ROUND_DEADLINE_S = 30.0  # real seconds to wait for every poller's first answer


async def collect_round(feed: Any, deadline_s: float = ROUND_DEADLINE_S) -> ObservationBuilder:
    """Consume the feed until every poller has answered once (data or error), or the deadline."""
    builder = ObservationBuilder(feed.topology)
    waiting = {p.name for p in feed.pollers}
    end = time.monotonic() + deadline_s
    it = feed.updates().__aiter__()
    try:
        while waiting:
            remaining = end - time.monotonic()
            if remaining <= 0:
                break
            try:
                update = await asyncio.wait_for(it.__anext__(), remaining)
            except (TimeoutError, StopAsyncIteration):
                break
            builder.add(update)
            if isinstance(update, SourceStatus) and update.state == SourceState.STARTING:
                continue
            waiting.discard(getattr(update, "source", ""))
    finally:
        await it.aclose()
    return builder


def all_sources_failed(obs: Observations) -> str:
    """One line when nothing could be read at all (exit 3), else ''."""
    bad = [s for s in obs.sources if s.state in (SourceState.DENIED, SourceState.ERROR)]
    has_data = obs.metrics or obs.traces or obs.target_health or obs.changes
    if bad and not has_data and len(bad) == len(obs.sources):
        return f"every source failed; first: {bad[0].source}: {bad[0].last_error or bad[0].state.value}"
    return ""


def emit(write: Callable[[TextIO], None]) -> bool:
    """Write to stdout; a reader that went away (`| head`) is not an error. False if it did.

    The output boundary of `check` and `verify`, text and JSON: evidence quotes log lines and
    probe answers, so everything passes the redactor and the control-character sanitiser."""
    try:
        out = outbound.SafeWriter(sys.stdout)
        write(out)  # type: ignore[arg-type]
        out.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return False
    return True


def write_json(doc: Any) -> Callable[[TextIO], None]:
    def write(out: TextIO) -> None:
        out.write(outbound.dumps(doc, indent=2) + "\n")

    return write


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


async def observe_once(settings: Any, clock: Clock, deadline_s: float = ROUND_DEADLINE_S) -> Observations:
    """Open the feed, collect one round from every poller, close it: the Observations of now."""
    from apigw_cockpit.aws.feed import open_feed

    feed = await open_feed(settings, clock)
    try:
        builder = await collect_round(feed, deadline_s)
    finally:
        await feed.aclose()
    return builder.build(clock.now())


async def check_once(
    settings: Any, clock: Clock, ids: list[str] | None = None, deadline_s: float = ROUND_DEADLINE_S
) -> tuple[Diagnosis, Observations]:
    """What `check` does, callable from tests and other commands (settings: aws.AwsSettings)."""
    obs = await observe_once(settings, clock, deadline_s)
    return diagnose(obs, ids or None), obs


async def _run(args: argparse.Namespace, clock: Clock) -> tuple[Diagnosis, Observations] | int:
    from apigw_cockpit.commands.watch import settings_from_args

    d, obs = await check_once(settings_from_args(args), clock, args.checks or None)
    failed = all_sources_failed(obs)
    if failed:
        print(f"apigw-cockpit check: {failed}", file=sys.stderr)
        return EXIT_AWS
    return d, obs


def run(args: argparse.Namespace) -> int:
    unknown = [c for c in (args.checks or []) if c not in CHECKS]
    if unknown:
        print(
            f"apigw-cockpit check: unknown check {unknown[0]!r}; known: {', '.join(CHECKS)}", file=sys.stderr
        )
        return EXIT_USAGE
    from apigw_cockpit.aws.errors import CockpitAwsError

    try:
        result = asyncio.run(_run(args, SystemClock()))
    except CockpitAwsError as exc:
        print(f"apigw-cockpit check: {exc}", file=sys.stderr)
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

"""One recovery detector: the report, facts and the pipeline read the same recovery time."""

from __future__ import annotations

from dataclasses import replace

import pytest
from diagnose_world import ONSET, SG_TARGETS, T0, change, series
from scenarios import recovered

from apigw_cockpit.diagnose import Observations, pipeline, run_checks
from apigw_cockpit.diagnose.facts import situation
from apigw_cockpit.diagnose.recovery import RECOVERY_PERIODS, find_recovery
from apigw_cockpit.diagnose.report import diagnosis_json

# The revoke one minute before the 5XX start (minute 20).
REVOKE = change("RevokeSecurityGroupIngress", (ONSET - (T0 + 19 * 60)) / 60, [SG_TARGETS])


def _ended_by_the_data() -> Observations:
    return replace(recovered(), changes=(REVOKE,))  # 5XX minutes 20–34, quiet since: ended at 35


def _fixed_at_minute_50() -> Observations:
    # Still failing until the fix at minute 50; zero since, 10 periods: the fix proved it.
    five = [150.0 if 20 <= i < 50 else 0.0 for i in range(60)]
    p99 = [28100.0 if 20 <= i < 50 else 120.0 for i in range(60)]
    metrics = (
        series("5XXError", five),
        series("Count", [200] * 60),
        series("IntegrationLatency", p99, stat="p99"),
    )
    return replace(recovered(), metrics=metrics, changes=(REVOKE,), fix_time=T0 + 50 * 60)


@pytest.mark.parametrize(
    ("build", "at", "by"),
    [(_ended_by_the_data, T0 + 35 * 60, "quiet"), (_fixed_at_minute_50, T0 + 50 * 60, "fix")],
)
def test_report_changes_facts_and_pipeline_agree(build: object, at: float, by: str) -> None:
    o = build()  # type: ignore[operator]
    rec = find_recovery(o)
    assert rec is not None and rec.at == at and rec.by == by
    result = pipeline.run(o)
    assert result.recovery == rec
    assert result.window is not None and not result.window.ongoing and result.window.end == at
    assert situation(run_checks(o), o).recovery == rec
    doc = diagnosis_json(result.diagnosis, o)
    assert doc["state"] == "recovered" and doc["recovery"]["at"] == at


def test_after_a_fix_recovery_waits_for_its_periods() -> None:
    o = _fixed_at_minute_50()
    # Only RECOVERY_PERIODS - 1 clean periods after the fix so far: not proved, and not quiet long.
    early = replace(o, now=T0 + (50 + RECOVERY_PERIODS - 1) * 60 + 1)
    early = replace(
        early, metrics=tuple(replace(m, points=m.points[: 50 + RECOVERY_PERIODS - 1]) for m in o.metrics)
    )
    assert find_recovery(early) is None
    assert pipeline.run(early).recovery is None
    assert diagnosis_json(pipeline.run(early).diagnosis, early)["state"] == "incident"

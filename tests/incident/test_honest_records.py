"""The record states the incident, not its first sample (issue 12, "honest records").

The journal, the timeline and the postmortem kept the first check run ("1 of 100 requests
failed", "1/1 failing traces") while 73–80 % of requests failed. Now the engine computes the
incident window's totals (diagnose/window.py), the journal keeps checks whose numbers grew,
and the report takes the latest window and says which window every figure covers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.observations import Observations
from apigw_cockpit.diagnose.report import result_json
from apigw_cockpit.incident import Journal, build_report, build_timeline, read_journal, render_markdown
from apigw_cockpit.incident.record import window_fields
from apigw_cockpit.model import Finding, FrozenClock, Hypothesis, Verdict

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "diagnose"))
from diagnose_world import NOW, ONSET, api_metrics, obs, traces, vpc_topology

TIMEOUT = "Execution failed due to a timeout error"


def test_the_engine_totals_the_whole_incident_window() -> None:
    # 45 quiet minutes at 200 req/min, then 150 5XX/min of 200 for 15 minutes; 12 failing traces.
    o = obs(vpc_topology(), metrics=api_metrics(), traces=traces(TIMEOUT, 504, n=12))
    result = pipeline.run(o)
    w = result.window
    assert result.onset is not None and w is not None
    assert w.ongoing and w.start == result.onset.at and w.end == NOW
    minutes = round((NOW - ONSET) / 60)
    assert w.periods == minutes and w.requests == 200 * minutes and w.errors_5xx == 150 * minutes
    assert w.error_rate == 0.75 and w.peak_error_rate == 0.75
    assert w.peak_5xx_per_min == 150 and w.mean_5xx_per_min == 150
    assert w.failing_traces == 12 and w.traces == 12
    # The same totals in `check --json`.
    doc = result_json(result)["window"]
    assert doc["errors_5xx"] == w.errors_5xx and doc["error_rate"] == 0.75 and doc["end"] is None


def test_no_incident_no_window() -> None:
    o = obs(vpc_topology(), metrics=api_metrics(five_xx_after=0))
    assert pipeline.run(o).window is None


def _finding(summary: str, at: float) -> Finding:
    return Finding("exec-log-errors", "Execution log errors", Verdict.ERROR, summary, at=at)


def test_report_and_timeline_carry_the_latest_window_not_the_first_run(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    early = Observations(
        now=ONSET + 120, topology=vpc_topology(), metrics=api_metrics(), traces=traces(TIMEOUT, 504, n=1)
    )
    late = obs(vpc_topology(), metrics=api_metrics(), traces=traces(TIMEOUT, 504, n=12))
    first, last = pipeline.run(early).window, pipeline.run(late).window
    assert first is not None and last is not None
    with Journal.open(path, api="a1b2c3d4e5", stage="prod", clock=FrozenClock(ONSET)) as j:
        j.mark_onset(ONSET, source="5XXError")
        j.note_findings([_finding("1 of 100 requests failed: 1 timeout (504)", ONSET + 60)])
        j.note_hypotheses(
            [Hypothesis("integration-timeout", 0.6, ("1/1 failing traces: timeout",))], ONSET + 60
        )
        j.note_impact(ONSET + 60, **window_fields(first))
        # Later, the same verdicts with the incident's real numbers.
        assert j.note_findings([_finding("412 of 560 requests failed: 412 timeout (504)", NOW)]) == 1
        assert j.note_hypotheses(
            [Hypothesis("integration-timeout", 0.6, ("412/412 failing traces: timeout",))], NOW
        )
        j.note_impact(NOW, **window_fields(last))
    entries = read_journal(path).entries
    report = build_report(entries)
    assert report.impact.requests == last.requests and report.impact.requests_failed == last.errors_5xx
    assert report.impact.error_rate == 0.75 and report.impact.failing_traces == 12
    assert report.impact.window_start == ONSET and report.impact.window_end == NOW
    assert report.root_cause.because == ("412/412 failing traces: timeout",)
    assert [f.summary for f in report.root_cause.findings] == [
        "412 of 560 requests failed: 412 timeout (504)"
    ]
    md = render_markdown(report)
    assert "1 of 100" not in md and "1/1 failing" not in md
    assert "| Error rate | 75.0% (onset → " in md and "ongoing) |" in md
    assert "| Window |" in md and "ongoing" in md
    # The timeline marks when the verdict changed once; the refresh is not a new event.
    rows = build_timeline(entries)
    checks = [r for r in rows if r.kind == "check"]
    assert len(checks) == 1 and checks[0].at == ONSET + 60
    assert "412 of 560" in checks[0].title and "as of" in checks[0].title
    hyps = [r for r in rows if r.kind == "hypothesis"]
    assert len(hyps) == 1 and "412/412 failing traces" in hyps[0].detail
    impact_rows = [r.title for r in rows if r.kind == "impact"]
    assert impact_rows and f"{last.errors_5xx:,} 5XX of {last.requests:,} requests" in impact_rows[-1]
    assert "75%" in impact_rows[-1] and "12 failing traces" in impact_rows[-1]

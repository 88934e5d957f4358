"""Verification waits for evidence: F with nothing fixed is pending, then failing — never pass."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import ONSET, exec_trace, series
from scenarios import TIMEOUT, sg_blocks

from apigw_cockpit.diagnose import verify
from apigw_cockpit.diagnose.verification import PASS, PENDING, VerifyBounds

B = VerifyBounds()


def _at(now: float, fix: float, healed: bool, rate_s: float = 2.0):  # type: ignore[no-untyped-def]
    """The world as the cockpit sees it at `now`, requests every `rate_s` since the fix.

    Fast answers (MOCK /health) are visible at once; a request to /orders that fails takes the
    29 s integration timeout and then the log delivery delay before its trace shows up."""
    base = sg_blocks()
    seen = []
    t, i = fix, 0
    while t < now:
        health = exec_trace(f"h{i:07x}-0000-0000-0000-000000000000", t, None, 200, path="/health")
        if t + 1 <= now:
            seen.append(health)
        done = t + (0.1 if healed else 29.0) + 10.0  # answered, then delivered ~10 s later
        if done <= now:
            failure = None if healed else TIMEOUT
            status = 200 if healed else 504
            rid = f"o{i:07x}-0000-0000-0000-000000000000"
            seen.append(exec_trace(rid, t, failure, status, latency_ms=90 if healed else None))
        t += rate_s
        i += 1
    minutes = int((now - base.metrics[0].points[0][0]) // 60) + 1
    five = [150.0] * minutes if not healed else [0.0] * minutes
    metrics = (series("5XXError", five), *base.metrics[1:])
    return replace(base, now=now, traces=base.traces + tuple(seen), metrics=metrics, fix_time=fix)


def _steps(o):  # type: ignore[no-untyped-def]
    return {s.id: s for s in verify(o)}


def test_fix_mark_with_nothing_fixed_is_pending_then_failing_never_pass() -> None:
    fix = ONSET + 15 * 60
    history = []
    for dt in range(0, 120, 3):
        steps = _steps(_at(fix + dt, fix, healed=False))
        history.append((dt, steps["V3"].status, steps["V4"].status))
        assert steps["V3"].status != PASS and steps["V4"].status != PASS, history[-1]
    assert history[0][1:] == (PENDING, PENDING)
    assert history[-1][1:] == ("fail", "fail")
    # Before the first failure could have shown, pending says what it waits for and how long.
    early = _steps(_at(fix + 10, fix, healed=False))["V3"]
    assert "waiting for evidence" in early.evidence[0] and "s to go" in early.evidence[0]


def test_a_real_fix_passes_once_the_window_has_enough_requests() -> None:
    fix = ONSET + 15 * 60
    early = _steps(_at(fix + 30, fix, healed=True))
    assert early["V3"].status == PENDING and early["V4"].status == PENDING
    later = _steps(_at(fix + 120, fix, healed=True))
    assert later["V3"].status == PASS and later["V4"].status == PASS, later["V3"].evidence


def test_the_evidence_counts_the_failing_routes_not_the_mock() -> None:
    fix = ONSET + 15 * 60
    o = _at(fix + 300, fix, healed=True)
    only_health = replace(o, traces=tuple(t for t in o.traces if t.first_ts < fix or "/health" in t.lines[2]))
    v3 = _steps(only_health)["V3"]
    assert v3.status == PENDING and "GET /orders" in v3.evidence[0], v3.evidence


def test_v2_counts_only_complete_published_periods() -> None:
    fix = ONSET + 15 * 60  # minute-aligned
    o = _at(fix + 3 * 60 + 30, fix, healed=True)  # three minutes over, the third not published yet
    v2 = _steps(o)["V2"]
    assert v2.status == PENDING and "2/3 complete periods" in v2.evidence[-1], v2.evidence
    assert _steps(_at(fix + 4 * 60 + 1, fix, healed=True))["V2"].status == PASS

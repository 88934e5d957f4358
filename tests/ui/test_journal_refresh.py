"""The cockpit's journal follows the incident: a check whose numbers grew under the same verdict
is journaled again, at most once per REFRESH_S, and a new verdict at once (ui/journal_watch.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apigw_cockpit.model import Finding, Hypothesis, Verdict
from apigw_cockpit.ui.journal_watch import REFRESH_S, JournalWatch


class _Recorder:
    """Stands in for the Journal the sink's jobs run against: records what they write."""

    def __init__(self) -> None:
        self.findings: list[tuple[str, str]] = []
        self.because: list[str] = []

    def note_findings(self, findings: list[Finding], at: float | None = None) -> int:
        self.findings += [(f.verdict.value, f.summary) for f in findings]
        return len(findings)

    def note_hypotheses(self, ranked: tuple[Hypothesis, ...], at: float | None = None) -> bool:
        self.because.append(ranked[0].because[0])
        return True


class _Sink:
    def __init__(self, journal: _Recorder) -> None:
        self.journal = journal

    def submit(self, job: Callable[[Any], Any]) -> None:
        job(self.journal)


class _State:
    """The parts of CockpitState the watch reads, with an engine answer set by the test."""

    def __init__(self) -> None:
        self.changes: dict[str, Any] = {}
        self.alarms: tuple[Any, ...] = ()
        self.verification: tuple[Any, ...] = ()
        self.rediscoveries: list[Any] = []
        self.fix_time = None
        self.result = None
        self.findings: tuple[Finding, ...] = ()
        self.hypotheses: tuple[Hypothesis, ...] = ()
        self._v = 0

    def answer(self, summary: str, verdict: Verdict, because: str) -> None:
        self.findings = (Finding("exec-log-errors", "t", verdict, summary),)
        self.hypotheses = (Hypothesis("integration-timeout", 0.6, (because,)),)
        self._v += 1

    def version(self, area: str) -> int:
        return self._v if area == "findings" else 0


def test_grown_numbers_are_journaled_paced_and_a_new_verdict_at_once() -> None:
    journal, state = _Recorder(), _State()
    watch = JournalWatch(_Sink(journal))  # type: ignore[arg-type]
    watch.opened = True
    t = 1000.0
    state.answer("1 of 100 requests failed", Verdict.ERROR, "1/1 failing traces")
    watch.observe(state, t)  # type: ignore[arg-type]
    state.answer("40 of 140 requests failed", Verdict.ERROR, "40/40 failing traces")
    watch.observe(state, t + 10)  # type: ignore[arg-type]
    assert journal.findings == [("error", "1 of 100 requests failed")]  # paced: too soon
    watch.observe(state, t + REFRESH_S)  # type: ignore[arg-type]  # no new answer, but due now
    assert journal.findings[-1] == ("error", "40 of 140 requests failed")
    assert journal.because == ["1/1 failing traces", "40/40 failing traces"]
    watch.observe(state, t + 3 * REFRESH_S)  # type: ignore[arg-type]
    assert len(journal.findings) == 2  # the same answer is not written again
    state.answer("0 of 300 requests failed", Verdict.OK, "40/40 failing traces")
    watch.observe(state, t + 3 * REFRESH_S + 1)  # type: ignore[arg-type]
    assert journal.findings[-1] == ("ok", "0 of 300 requests failed")  # a new verdict: at once

"""Property: a secret planted in any field reaches no output — offline channels.

Every kind of secret (kinds.KINDS) in every carrier it fits (kinds.CARRIERS) goes through the
real commands: `explain` (text and JSON) reads the planted execution-log lines; `verify`'s
writers (text and JSON) print steps quoting them; the journal is
written through its API with the planted notes, changes and findings; `report` renders it as
Markdown and JSON. The cockpit's screens and the simulated world's headless stream are covered
by test_no_secret_leaves_screen.py and test_no_secret_leaves_sim.py.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings

from apigw_cockpit.incident import Journal
from apigw_cockpit.model import Finding, FrozenClock, Severity, Verdict

from . import planted
from .kinds import KINDS, Plant, all_plants, leaks, plant_values
from .outputs import capture, report_outputs, run_cli

NOW = 1_795_000_000.0
GROUP = "API-Gateway-Execution-Logs_a1b2c3d4e5/prod"


def _explain_outputs(plants: list[Plant]) -> dict[str, str]:
    stdin = planted.execution_log_text(plants).encode()
    code, text = run_cli(["explain"], stdin)
    assert code == 0
    code, js = run_cli(["explain", "--json"], stdin)
    assert code == 0
    doc = json.loads(js)
    # The planted requests were understood (so their lines were really rendered), not skipped.
    assert doc["summary"]["requests"] >= len(planted.requests(plants))
    return {"explain text": text, "explain json": js}


def _journal(plants: list[Plant], path: Path) -> Path:
    j = Journal.open(path, api="a1b2c3d4e5", stage="prod", clock=FrozenClock(NOW))
    for p in planted.of(plants, "note-text"):
        j.note(p.text)
    j.note_changes(planted.changes(plants, NOW))
    findings = [
        Finding(
            "exec-log-errors",
            "execution log errors",
            Verdict.ERROR,
            f"{len(trace.lines)} lines",
            Severity.ERROR,
            evidence=trace.lines,
            at=NOW,
        )
        for trace in planted.traces(plants, GROUP, NOW)
    ]
    findings += [
        Finding("source-health", "sources", Verdict.UNKNOWN, p.text, why=p.text, at=NOW)
        for p in planted.of(plants, "source-error")
    ]
    j.note_findings(findings, NOW)
    j.close("exit")
    return path


def _verify_outputs(plants: list[Plant]) -> dict[str, str]:
    """`verify` text and `--json` as its run() writes them (the steps quote probe answers and
    log lines); the AWS round itself is the sim test's job."""
    from apigw_cockpit.commands import verify
    from apigw_cockpit.commands.output import emit, write_json
    from apigw_cockpit.diagnose import VerifyStep
    from apigw_cockpit.diagnose.report import step_json

    texts = [p.text for p in plants]
    # The text view shows four evidence lines a step: four planted lines per step, all shown.
    steps = [VerifyStep(f"V{i}", "step", "fail", tuple(texts[i : i + 4])) for i in range(0, len(texts), 4)]
    with capture() as text:
        emit(lambda out: verify.render_text(steps, False, out))
    with capture() as js:
        emit(write_json({"api": "a1b2c3d4e5", "passed": False, "steps": [step_json(s) for s in steps]}))
    return {"verify text": text.getvalue(), "verify json": js.getvalue()}


@settings(max_examples=12, deadline=None)
@given(plant_values)
def test_no_planted_secret_reaches_explain_verify_journal_or_report(values: tuple[str, ...]) -> None:
    plants = all_plants(values)
    outputs = _explain_outputs(plants) | _verify_outputs(plants)
    with tempfile.TemporaryDirectory() as d:
        outputs |= report_outputs(_journal(plants, Path(d) / "j.jsonl"))
    assert leaks(outputs, plants) == []
    # Each output really carried the planted material (redacted), not nothing.
    for name, text in outputs.items():
        assert "[REDACTED]" in text, name
    assert len(KINDS) >= 14

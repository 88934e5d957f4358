"""The bad-input table, run the way a user runs the CLI: one subprocess per row.

Each row: the exit code, exactly one line on stderr matching its regex (or none, for a reader
that left early), and never a traceback. Nothing in the table may start a simulated world or
contact AWS: every row fails validation first (the per-row timeout would catch one that did).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.badinput.cases import CASES, Case
from tests.badinput.tally import TALLY

pytestmark = pytest.mark.sim  # slow lane: one CLI process per row, 200+ rows

# A row that hangs fails on this timeout. Measuring an older build (where rows do hang),
# BADINPUT_TIMEOUT_S makes that run finish sooner; it changes no row's expectation.
TIMEOUT_S = float(os.environ.get("BADINPUT_TIMEOUT_S", "30"))


def _argv(case: Case, bad_dir: Path, busy: int) -> list[str]:
    return [a.replace("{d}", str(bad_dir)).replace("{busy}", str(busy)) for a in case.argv]


def run_case(case: Case, bad_dir: Path, busy: int, env: dict[str, str]) -> tuple[int, str]:
    """(exit code, stderr) of one row."""
    cmd = [sys.executable, "-m", "apigw_cockpit", *_argv(case, bad_dir, busy)]
    stdin_file = bad_dir / f".stdin-{case.id}"
    stdin_file.write_bytes(case.stdin)
    full_env = {**env, **case.env}
    with stdin_file.open("rb") as stdin:
        if case.stdout == "head":
            # A reader that takes the first bytes and leaves, like `| head -c 100`.
            p = subprocess.Popen(
                cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env
            )
            assert p.stdout is not None and p.stderr is not None
            p.stdout.read(100)
            p.stdout.close()
            err = p.stderr.read().decode("utf-8", "replace")
            p.stderr.close()
            return p.wait(TIMEOUT_S), err
        if case.stdout == "full":
            with open("/dev/full", "wb") as out:
                done = subprocess.run(
                    cmd, stdin=stdin, stdout=out, stderr=subprocess.PIPE, env=full_env, timeout=TIMEOUT_S
                )
        else:
            done = subprocess.run(
                cmd,
                stdin=stdin,
                capture_output=True,
                env=full_env,
                timeout=TIMEOUT_S,
            )
    return done.returncode, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, bad_dir: Path, busy: int, user_env: dict[str, str]) -> None:
    TALLY["invocations"] += 1
    try:
        rc, err = run_case(case, bad_dir, busy, user_env)
    except subprocess.TimeoutExpired:
        TALLY["hangs"] += 1
        raise
    TALLY["tracebacks"] += "Traceback" in err
    assert "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    if case.message:
        assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{err}"
        assert re.search(case.message, lines[0]), lines[0]
    else:
        assert lines == [], err
    assert rc == case.rc, f"exit {rc}, expected {case.rc}: {err}"
    assert "internal error" not in err


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 150

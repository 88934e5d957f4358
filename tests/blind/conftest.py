"""Counts blind cases right and wrong (xdist-safe: reports reach the controller) and prints
the accuracy figure the README reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

_RESULTS: dict[str, bool] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "test_blind_case[" not in report.nodeid or report.when != "call":
        return
    # passed → right; failed or xfailed → wrong (an xfail is a known wrong answer)
    _RESULTS[report.nodeid] = report.passed and not hasattr(report, "wasxfail")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _RESULTS:
        right = sum(_RESULTS.values())
        terminalreporter.write_line(f"blind accuracy: {right}/{len(_RESULTS)} ranked as written")

"""Counts across the table's rows, printed at the end of the run (one module object for all)."""

from __future__ import annotations

TALLY = {"invocations": 0, "tracebacks": 0, "hangs": 0}

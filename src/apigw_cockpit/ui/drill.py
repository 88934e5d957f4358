"""Demo drills (DESIGN section 5): how fast a person got from the first screen to the right root cause.

Human time is wall time (`time.monotonic`), whatever speed the simulated world runs at;
fix → recovery is world time (the clock the metrics are stamped with).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DrillSpec:
    """What the demo knows and the cockpit must not show: the scenario's answer."""

    scenario: str
    root_cause: str


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = round(seconds)
    return f"{s} s" if s < 90 else f"{s // 60} min {s % 60:02d} s"


class DrillTracker:
    def __init__(self, spec: DrillSpec | None, mono: Callable[[], float] = time.monotonic) -> None:
        self.spec = spec
        self._mono = mono
        self.started = mono()
        self.keys = 0
        self.found_after: float | None = None  # wall seconds from start to the answer on screen
        self.found_keys: int | None = None
        self.fix_at: float | None = None  # world time of the drill's fix
        self.fix_keys: int | None = None
        self.top_at_fix: str | None = None
        self.recovered_after: float | None = None
        self.verified_after: float | None = None
        self.written = False

    def key(self) -> None:
        self.keys += 1

    def shown(self, top: str | None) -> bool:
        """The screen names `top` as the first suspect; True the first time that is the right one."""
        if self.spec is None or self.found_after is not None or top != self.spec.root_cause:
            return False
        self.found_after = self._mono() - self.started
        self.found_keys = self.keys
        return True

    def fixed(self, at: float, top: str | None) -> None:
        if self.fix_at is None:
            self.fix_at, self.fix_keys, self.top_at_fix = at, self.keys, top

    def milestone(self, what: str, at: float) -> bool:
        """Recovery / verification after the drill's fix; True when the drill is now complete."""
        if self.fix_at is None or self.written:
            return False
        if what == "recovery" and self.recovered_after is None:
            self.recovered_after = max(0.0, at - self.fix_at)
        elif what == "verified" and self.verified_after is None:
            self.verified_after = max(0.0, at - self.fix_at)
        return self.recovered_after is not None or self.verified_after is not None

    @property
    def pending(self) -> bool:
        return self.spec is not None and self.fix_at is not None and not self.written

    def entry(self) -> dict[str, str | bool | int | float]:
        """Fields of the journal's `drill` entry (scenario first, as `note_drill` wants)."""
        assert self.spec is not None
        named = self.spec.root_cause if self.found_after is not None else self.top_at_fix
        out: dict[str, str | bool | int | float] = {
            "root_cause": named or "",
            "expected_root_cause": self.spec.root_cause,
            "correct": named == self.spec.root_cause,
            "keystrokes": self.found_keys if self.found_keys is not None else (self.fix_keys or self.keys),
        }
        if self.found_after is not None:
            out["time_to_root_cause_s"] = round(self.found_after, 1)
        if self.fix_keys is not None:
            out["keystrokes_to_fix"] = self.fix_keys
        if self.recovered_after is not None:
            out["fix_to_recovery_s"] = round(self.recovered_after, 1)
        if self.verified_after is not None:
            out["fix_to_verified_s"] = round(self.verified_after, 1)
        return out

    def summary(self) -> str:
        assert self.spec is not None
        e = self.entry()
        verdict = "right" if e["correct"] else f"wrong (expected {self.spec.root_cause})"
        parts = [
            f"{self.spec.scenario}: root cause {e['root_cause'] or '—'} ({verdict})",
            f"found in {_duration(self.found_after)} with {e['keystrokes']} keys",
        ]
        if self.recovered_after is not None:
            parts.append(f"fix → recovery {_duration(self.recovered_after)}")
        if self.verified_after is not None:
            parts.append(f"fix → verified {_duration(self.verified_after)}")
        return "; ".join(parts)

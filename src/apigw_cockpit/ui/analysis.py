"""The hook into `diagnose`: per-request verdicts and the findings, if that layer is there.

The UI never guesses a verdict itself: if `diagnose` is missing a name, the column
shows "—" and the findings list stays empty.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from apigw_cockpit.model import Finding, Hypothesis

NO_VERDICT = "—"


@dataclass(frozen=True)
class RequestVerdict:
    verdict: str = NO_VERDICT
    status: int | None = None
    method: str = ""
    path: str = ""
    integration_latency_ms: float | None = None


def _diagnose_attr(name: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("apigw_cockpit.diagnose")
    except Exception:  # a half-written layer must not take the screen down
        return None
    found = getattr(module, name, None)
    return found if callable(found) else None


class Diagnoser:
    """Looks the diagnose functions up once; every call is guarded."""

    def __init__(
        self,
        *,
        lookup: bool = True,
        classify: Callable[..., Any] | None = None,
        run_checks: Callable[..., Any] | None = None,
        rank: Callable[..., Any] | None = None,
        observations: Callable[..., Any] | None = None,
    ) -> None:
        # lookup=False with explicit functions: snapshots that must not move when diagnose evolves.
        def pick(given: Callable[..., Any] | None, name: str) -> Callable[..., Any] | None:
            return given if given is not None or not lookup else _diagnose_attr(name)

        self._classify = pick(classify, "classify")
        self._run_checks = pick(run_checks, "run_checks")
        self._rank = pick(rank, "rank")
        self._observations = pick(observations, "Observations")
        self._verify = pick(None, "verify")
        self.last_error = ""

    @property
    def can_check(self) -> bool:
        return self._run_checks is not None and self._observations is not None

    def classify(self, lines: Sequence[str]) -> RequestVerdict:
        if self._classify is None:
            return RequestVerdict()
        try:
            c = self._classify(list(lines))
        except Exception as exc:
            self.last_error = f"classify: {exc}"
            return RequestVerdict()
        verdict = getattr(c, "verdict", None)
        status = getattr(c, "status", None)
        latency = getattr(c, "integration_latency_ms", None)
        return RequestVerdict(
            verdict=str(getattr(verdict, "value", verdict) or NO_VERDICT),
            status=status if isinstance(status, int) else None,
            method=str(getattr(c, "method", "") or ""),
            path=str(getattr(c, "path", "") or ""),
            integration_latency_ms=float(latency) if isinstance(latency, int | float) else None,
        )

    def diagnose(self, **observations: Any) -> tuple[list[Finding], list[Hypothesis]]:
        if not self.can_check:
            return [], []
        assert self._observations is not None and self._run_checks is not None
        try:
            obs = self._observations(**observations)
            findings = list(self._run_checks(obs))
            ranked = list(self._rank(findings, obs)) if self._rank is not None else []
        except Exception as exc:
            self.last_error = f"diagnose: {exc}"
            return [], []
        self.last_error = ""
        return findings, ranked

    def verify(self, **observations: Any) -> list[Any]:
        """V1–V6 since the fix time (diagnose.verify); [] when that layer cannot say."""
        if self._verify is None or self._observations is None or observations.get("fix_time") is None:
            return []
        try:
            return list(self._verify(self._observations(**observations)))
        except Exception as exc:
            self.last_error = f"verify: {exc}"
            return []

"""diagnose layer (DESIGN section 2): pure functions over model objects, no I/O.

obs = Observations(now=..., topology=..., metrics=..., traces=..., ...)
findings = run_checks(obs)            # every check of DESIGN section 6
hypotheses = rank(findings, obs)      # root causes, best first ([] = unexplained 5XX)
steps = verify(obs)                   # V1–V6 since obs.fix_time
states = walk(obs, findings)          # the guided walkthrough
diagnose(obs)                         # all of the above in one call
"""

from __future__ import annotations

from apigw_cockpit.diagnose import verification, walkthrough
from apigw_cockpit.diagnose.checks import checks, run_check, run_checks
from apigw_cockpit.diagnose.checks.base import CheckSpec
from apigw_cockpit.diagnose.classifier import VERDICTS, Classification, classify, group_lines
from apigw_cockpit.diagnose.correlate import Correlated, correlate
from apigw_cockpit.diagnose.observations import Observations, find_series, stage_series
from apigw_cockpit.diagnose.onset import Onset, find_onset
from apigw_cockpit.diagnose.ranking import rank
from apigw_cockpit.diagnose.report import Diagnosis, diagnose
from apigw_cockpit.diagnose.verification import VerifyBounds, VerifyStep, verify
from apigw_cockpit.diagnose.vocabulary import ROOT_CAUSES
from apigw_cockpit.diagnose.walkthrough import StepState, walk

CHECKS = checks()

__all__ = [
    "CHECKS",
    "ROOT_CAUSES",
    "VERDICTS",
    "CheckSpec",
    "Classification",
    "Correlated",
    "Diagnosis",
    "Observations",
    "Onset",
    "StepState",
    "VerifyBounds",
    "VerifyStep",
    "checks",
    "classify",
    "correlate",
    "diagnose",
    "find_onset",
    "find_series",
    "group_lines",
    "rank",
    "run_check",
    "run_checks",
    "stage_series",
    "verification",
    "verify",
    "walk",
    "walkthrough",
]

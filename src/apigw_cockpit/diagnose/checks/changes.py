"""The recent-changes check: which change could have started the incident — and which could not.

A change is blamed (error) only when it is on the failing route's hop, came shortly before
onset, and its effect can produce what the failing requests show (changes.toml). A harmless
change right before onset (an API deploy, an ingress authorize) is shown as such, a warning at
most; when nothing recent explains the failure, the last change to the failing hop is shown
however old it is. Once the incident is over, nothing here is an error any more.
"""

from __future__ import annotations

import time
from collections import Counter

from apigw_cockpit.diagnose.checks.base import CheckSpec
from apigw_cockpit.diagnose.correlate import WINDOW_S, Correlated, correlate
from apigw_cockpit.diagnose.facts import incident_traces
from apigw_cockpit.diagnose.observations import Observations, latency_p99, median, stage_series
from apigw_cockpit.diagnose.onset import find_onset
from apigw_cockpit.diagnose.recovery import find_recovery
from apigw_cockpit.diagnose.vocabulary import ROOT_CAUSES, causes_of_verdict
from apigw_cockpit.model import Finding, Verdict

BLAME_SCORE = 0.4  # proximity × on-path at or above which a producing change is blamed
MAJOR_SHARE = 0.1  # verdicts on fewer failing traces than this do not decide what is "seen"


# Without traces (logging off, logs unreadable) the metrics and target health still narrow it.
_PINNED = {"integration-timeout", "sg-blocks-nlb-targets", "nlb-subnet-mismatch"}
_UNHEALTHY = {"sg-blocks-nlb-targets", "backend-unreachable", "backend-crash-under-load"}
_FAST = set(ROOT_CAUSES) - _PINNED - {"backend-crash-under-load", "none", "recovered"}


def _signal_causes(obs: Observations) -> tuple[set[str], list[str]]:
    seen: set[str] = set()
    signals: list[str] = []
    series = latency_p99(obs)
    timeouts = [i.timeout_ms for i in obs.topology.integrations() if i.type != "MOCK"]
    if series is not None and series.points and timeouts:
        p99 = max(v for _, v in series.points[-5:])
        if p99 >= 0.85 * max(timeouts):
            seen |= _PINNED
            signals.append("latency pinned at the timeout")
        elif p99 < 1000:
            seen |= _FAST
            signals.append("fast 5XX")
    states = {t.state for t in obs.target_health}
    if states and "healthy" not in states:
        seen |= _UNHEALTHY
        signals.append("all targets unhealthy")
    if any(t.reason == "Target.NotInUse" for t in obs.target_health):
        seen.add("nlb-subnet-mismatch")
        signals.append("targets not in use")
    onset = find_onset(obs)
    count = stage_series(obs, "Count", ("Sum", "SampleCount"))
    if onset is not None and count is not None:
        before = [v for t, v in count.points if t < onset.at][-30:]
        during = [v for t, v in count.points if t >= onset.at]
        if before and during and median(before) > 0 and max(during) >= 2 * median(before):
            seen.add("backend-crash-under-load")
            signals.append("request rate doubled")
    return seen, signals


def _seen_causes(obs: Observations) -> tuple[set[str], list[str]]:
    """Causes the failing requests are consistent with (empty: nothing known, anything goes)."""
    bad = incident_traces(obs, find_onset(obs))
    if not bad:
        return _signal_causes(obs)
    counts = Counter(c.result.verdict for c in bad)
    major = [v for v, n in counts.most_common() if n >= MAJOR_SHARE * len(bad)]
    return {c for v in major for c in causes_of_verdict(v)}, major


def _line(c: Correlated, seen: set[str]) -> str:
    can = (set(c.produces) & seen) if seen else set(c.produces)
    what = f"can produce {', '.join(sorted(can)[:3])}" if can else "cannot produce what fails"
    res = ", ".join(c.change.resources)[:80]
    return f"{c.change.event_name} by {c.change.user or '?'} on {res} — {c.reason} ({c.effect}: {what})"


def _ago(delta: float) -> str:
    return f"{delta / 3600:.1f} h" if delta >= 5400 else f"{delta / 60:.0f} min"


def trail_gap(obs: Observations, onset_at: float | None) -> str:
    """Why "no change before onset" cannot be stated yet, or '' when the trail vouches for it.

    CloudTrail delivers within ~5 minutes (not guaranteed): until the delay has passed over
    the onset the answer is "none seen yet". A lookup that hit its page cap did not read
    events older than `truncated_before`.
    """
    w = obs.trail
    if w is None or onset_at is None:
        return ""  # no onset: no "before onset" to vouch for
    if onset_at > w.settled_until:
        return (
            f"none seen yet: CloudTrail delivers within ~{w.delivery_delay_s / 60:.0f} min,"
            f" events after {_hhmm(w.settled_until)} may still arrive"
        )
    if w.truncated_before is not None and w.truncated_before > onset_at - WINDOW_S:
        return f"truncated: the lookup hit its page cap, events before {_hhmm(w.truncated_before)} not read"
    return ""


def _hhmm(t: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(t))


def check_recent_changes(spec: CheckSpec, obs: Observations) -> Finding:
    if not obs.changes:
        first = find_onset(obs)
        gap = trail_gap(obs, first.at if first is not None else None)
        return spec.unknown(obs, gap or "no data: no CloudTrail changes in the window")
    onset = find_onset(obs)
    recovery = find_recovery(obs, onset) if onset is not None else None
    ranked = correlate(obs, onset)
    seen, verdicts = _seen_causes(obs)
    evidence = [_line(c, seen) for c in ranked[:5]]
    if onset is not None:
        evidence.insert(0, f"onset {onset.source}: {onset.evidence}")
    if verdicts:
        evidence.insert(1 if onset else 0, f"failing requests show: {', '.join(verdicts)}")

    def explains(c: Correlated) -> bool:
        # Without traces anything the change can produce is possible; an add produces nothing.
        return c.on_path and bool(set(c.produces) & seen if seen else c.produces)

    blamed = [c for c in ranked if explains(c) and c.score >= BLAME_SCORE]
    if blamed:
        top = blamed[0]
        summary = f"{top.change.event_name} on the failing path {top.delta_s / 60:.0f} min before onset"
        if recovery is not None:
            over = time.strftime("%H:%M UTC", time.gmtime(recovery.at))
            return spec.finding(
                obs, Verdict.WARN, f"{summary} (incident over since {over})", evidence=evidence
            )
        return spec.finding(obs, Verdict.ERROR, summary, evidence=evidence)
    near = [c for c in ranked if c.on_path and c.score >= BLAME_SCORE]
    if near:
        top = near[0]
        return spec.finding(
            obs,
            Verdict.WARN,
            f"{top.change.event_name} on the path {top.delta_s / 60:.0f} min before onset, but a "
            f"{top.kind} change ({top.effect}) cannot produce {', '.join(verdicts) or 'this'}",
            evidence=evidence,
        )
    older = [c for c in ranked if explains(c) and c.score > 0 and c.delta_s > WINDOW_S]
    if onset is not None and older:
        top = older[0]
        return spec.finding(
            obs,
            Verdict.WARN,
            f"nothing on the failing path in the 30 min before onset; its last change: "
            f"{top.change.event_name} by {top.change.user or '?'} {_ago(top.delta_s)} before onset",
            evidence=evidence,
        )
    gap = trail_gap(obs, onset.at if onset is not None else None)
    if gap:  # the absence of a change is not a fact yet
        return spec.unknown(obs, f"{len(ranked)} changes, none on the path so far; {gap}", evidence=evidence)
    return spec.finding(
        obs, Verdict.OK, f"{len(ranked)} changes, none on the path shortly before onset", evidence=evidence
    )

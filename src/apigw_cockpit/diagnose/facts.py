"""Facts the ranking weighs (names documented in rules.toml): strength in [0, 1] plus why.

Facts are read over the incident window (onset → recovery, or now), never over "the last N
points": an incident stays explained until it is over, and an incident that is over says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from apigw_cockpit.diagnose.correlate import WINDOW_S, Correlated, correlate
from apigw_cockpit.diagnose.observations import (
    ClassifiedTrace,
    Observations,
    errors_5xx,
    failing,
    find_series,
    median,
    path_matches,
    stage_series,
)
from apigw_cockpit.diagnose.onset import Onset, find_onset
from apigw_cockpit.diagnose.recovery import Recovery, find_recovery
from apigw_cockpit.model import Finding, Integration, LambdaFunction, Verdict

# Checks whose verdict describes the present configuration, not the incident's history: when
# the incident is over they say how things are now, not how they were.
PRESENT_STATE = ("check:", "cause:", "targets:", "integration:")


@dataclass(frozen=True)
class Fact:
    strength: float
    why: str


@dataclass(frozen=True)
class Situation:
    """Everything the ranking needs, computed once."""

    facts: dict[str, Fact]
    onset: Onset | None
    changes: list[Correlated]
    recent_5xx: float
    failing_traces: int
    recovery: Recovery | None = None
    bad: tuple[ClassifiedTrace, ...] = ()  # failing traces inside the incident window
    obs: Observations | None = field(default=None, compare=False)

    @property
    def incident(self) -> bool:
        """5XX cleared the noise floor at some point in the data."""
        return self.onset is not None


def recent_5xx(obs: Observations, onset: Onset | None = None) -> float:
    """5XX counted over the incident window (0 when no incident cleared the noise floor)."""
    series = errors_5xx(obs)
    if series is None or onset is None:
        return 0.0
    return sum(v for t, v in series.points if t >= onset.at)


def _finding_facts(findings: Sequence[Finding], facts: dict[str, Fact]) -> None:
    for f in findings:
        if f.verdict == Verdict.OK:
            facts[f"check:{f.check_id}:ok"] = Fact(1.0, f"{f.check_id} passes: {f.summary}")
            continue
        if f.verdict not in (Verdict.ERROR, Verdict.WARN):
            continue
        strength = 1.0 if f.verdict == Verdict.ERROR else 0.5
        facts[f"check:{f.check_id}:{f.verdict.value}"] = Fact(1.0, f"{f.check_id}: {f.summary}")
        for cause in f.root_causes:
            facts[f"cause:{f.check_id}:{cause}"] = Fact(strength, f"{f.check_id}: {f.summary}")


def incident_traces(obs: Observations, onset: Onset | None) -> list[ClassifiedTrace]:
    """Failing traces from a little before onset on (traces can lead the minute-aligned metric)."""
    bad = failing(obs)
    if onset is None:
        return bad
    return [c for c in bad if c.trace.first_ts >= onset.at - 120]


def _log_facts(bad: Sequence[ClassifiedTrace], facts: dict[str, Fact]) -> None:
    counts = Counter(c.result.verdict for c in bad)
    for verdict, n in counts.items():
        example = next(c for c in bad if c.result.verdict == verdict)
        line = example.result.evidence[0] if example.result.evidence else verdict
        paths = sorted({c.result.path for c in bad if c.result.verdict == verdict and c.result.path})
        where = f" on {', '.join(paths[:3])}" if paths else ""
        facts[f"log:{verdict}"] = Fact(n / len(bad), f"{n}/{len(bad)} failing traces{where}: {line}")
    options = sum(1 for c in bad if c.result.method == "OPTIONS")
    if options:
        facts["method:options"] = Fact(
            options / len(bad), f"{options}/{len(bad)} failing requests are OPTIONS"
        )


def _target_facts(obs: Observations, facts: dict[str, Fact]) -> None:
    if not obs.target_health:
        return
    total = len(obs.target_health)
    healthy = sum(1 for t in obs.target_health if t.state == "healthy")
    not_in_use = sum(1 for t in obs.target_health if t.reason == "Target.NotInUse" or t.state == "unused")
    failing_checks = sum(1 for t in obs.target_health if t.state == "unhealthy")
    if healthy == 0 and failing_checks * 2 >= total:
        facts["targets:all-unhealthy"] = Fact(1.0, f"0/{total} targets healthy")
    elif healthy < total:
        facts["targets:some-unhealthy"] = Fact(1.0, f"{healthy}/{total} targets healthy")
    else:
        facts["targets:all-healthy"] = Fact(1.0, f"{total}/{total} targets healthy")
    if not_in_use:
        facts["targets:not-in-use"] = Fact(
            not_in_use / total, f"{not_in_use}/{total} targets unused (AZ not enabled)"
        )


def _load_fact(obs: Observations, onset: Onset | None, end: float, facts: dict[str, Fact]) -> None:
    count = stage_series(obs, "Count", ("Sum", "SampleCount"))
    if count is None or onset is None or not count.points:
        return
    before = [v for t, v in count.points if t < onset.at][-30:]
    during = [v for t, v in count.points if onset.at <= t < max(end, onset.at + 60)]
    base = median(before)
    if before and during and base > 0 and max(during) >= 2 * base:
        facts["load:high"] = Fact(
            1.0, f"requests/min {max(during):.0f} in the incident vs baseline {base:.0f}"
        )


def _failing_integrations(obs: Observations, bad: Sequence[ClassifiedTrace]) -> list[Integration]:
    """Integrations of the failing methods (all of them when the traces name no path)."""
    paths = {(c.result.method, c.result.path) for c in bad if c.result.path}
    out = []
    for res, method in obs.topology.methods():
        integ = method.integration
        if integ is None or integ.type == "MOCK":
            continue
        if not paths or any(m == method.http_method and path_matches(res.path, p) for m, p in paths):
            out.append(integ)
    return out


def _lambda_facts(obs: Observations, fns: Sequence[LambdaFunction], facts: dict[str, Fact]) -> None:
    """The function's own evidence: Throttles, Duration at its timeout, 'Task timed out' lines."""
    for fn in fns:
        throttles = [
            v
            for s in find_series(obs, "Throttles", namespace="AWS/Lambda", dims={"FunctionName": fn.name})
            for _, v in s.points[-10:]
        ]
        if sum(throttles) > 0:
            facts["lambda:throttles"] = Fact(1.0, f"{fn.name}: Throttles {sum(throttles):.0f} (10 min)")
        durations = [
            v
            for s in find_series(
                obs, "Duration", namespace="AWS/Lambda", stat="Maximum", dims={"FunctionName": fn.name}
            )
            for _, v in s.points[-10:]
        ]
        logs = [e.message for e in obs.events_in(fn.log_group or f"/aws/lambda/{fn.name}")]
        timed_out = [m for m in logs if "Task timed out" in m]
        if timed_out:
            facts["lambda:timed-out"] = Fact(1.0, f"/aws/lambda/{fn.name}: {timed_out[-1][:160]}")
        elif durations and max(durations) >= 0.95 * fn.timeout_s * 1000:
            facts["lambda:timed-out"] = Fact(
                0.7, f"{fn.name}: Duration max {max(durations) / 1000:.1f} s at its {fn.timeout_s} s timeout"
            )


def _window_sum(obs: Observations, metric: str, fn: str, start: float, end: float) -> float:
    found = find_series(obs, metric, namespace="AWS/Lambda", stat="Sum", dims={"FunctionName": fn})
    return sum(v for s in found for t, v in s.points if start <= t < end)


def _window_facts(
    obs: Observations, onset: Onset | None, end: float, fns: Sequence[LambdaFunction], facts: dict[str, Fact]
) -> None:
    """What the metrics say about the incident window itself (they outlive the log window)."""
    if onset is None:
        return
    for fn in fns or obs.topology.lambdas:
        errors = _window_sum(obs, "Errors", fn.name, onset.at, end)
        if errors > 0:
            facts["lambda:errors"] = Fact(1.0, f"{fn.name}: {errors:.0f} Lambda Errors during the incident")
        throttles = _window_sum(obs, "Throttles", fn.name, onset.at, end)
        if throttles > 0:
            facts.setdefault(
                "lambda:throttles", Fact(1.0, f"{fn.name}: {throttles:.0f} Throttles during the incident")
            )
    p99 = stage_series(obs, "IntegrationLatency", ("p99", "Maximum"))
    timeouts = [i.timeout_ms for i in obs.topology.integrations() if i.type != "MOCK"]
    if p99 is not None and timeouts:
        during = [v for t, v in p99.points if onset.at <= t < end]
        if during and median(during) >= 0.85 * max(timeouts):
            facts.setdefault(
                "latency:pinned",
                Fact(
                    1.0,
                    f"IntegrationLatency p99 at the {max(timeouts) / 1000:.0f} s timeout during the incident",
                ),
            )


def situation(findings: Sequence[Finding], obs: Observations) -> Situation:
    facts: dict[str, Fact] = {}
    _finding_facts(findings, facts)
    onset = find_onset(obs)
    recovery = find_recovery(obs, onset) if onset is not None else None
    end = recovery.at if recovery is not None else obs.now
    bad = incident_traces(obs, onset)
    if bad:
        _log_facts(bad, facts)
    _target_facts(obs, facts)
    _load_fact(obs, onset, end, facts)
    shape = next((f for f in findings if f.check_id == "latency-shape"), None)
    if shape is not None and shape.verdict == Verdict.ERROR:
        facts["latency:pinned"] = Fact(1.0, shape.summary)
    elif shape is not None and shape.verdict == Verdict.WARN:
        facts["latency:fast"] = Fact(1.0, shape.summary)
    changes = correlate(obs, onset)
    near = [c for c in changes if c.on_path and 0 <= c.delta_s <= WINDOW_S]
    if not near and ("log:network-error" in facts or "log:connection-refused" in facts):
        facts["no-path-change"] = Fact(1.0, "no change on the request path in the 30 min before onset")
    integs = _failing_integrations(obs, bad)
    lambdas = [i for i in integs if i.lambda_arn]
    if lambdas and all(i.credentials for i in lambdas):
        facts["integration:credentials"] = Fact(1.0, "Lambda integrations use a credentials role")
    elif lambdas and not any(i.credentials for i in lambdas):
        facts["integration:no-credentials"] = Fact(1.0, "Lambda integrations rely on the resource policy")
    if integs and all(i.type == "HTTP_PROXY" or i.type == "AWS_PROXY" for i in integs):
        facts["integration:proxy"] = Fact(
            1.0, "failing routes use proxy integrations (backend status passes through)"
        )
    fns = [fn for i in lambdas if (fn := obs.topology.lambda_by_arn(i.lambda_arn)) is not None]
    _lambda_facts(obs, fns, facts)
    if recovery is not None:
        _window_facts(obs, onset, end, fns, facts)
    return Situation(
        facts,
        onset,
        changes,
        recent_5xx(obs, onset),
        len(bad),
        recovery,
        tuple(bad),
        obs,
    )

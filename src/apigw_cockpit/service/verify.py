"""Verification as a service: choose what to probe, send it, and judge V1–V6 (`verify`, tests).

The probed route is the one failing most (diagnose.probe_choice), never a MOCK, never a write
unless named and confirmed; the steps come from the one engine's verification logic.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

from apigw_cockpit import safe_write
from apigw_cockpit.aws.feed import Feed, open_feed
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.config import Settings
from apigw_cockpit.diagnose import VerifyStep, verify
from apigw_cockpit.diagnose.observations import Observations, Probe
from apigw_cockpit.diagnose.probe_choice import ProbeChoice, SampleRequest, choose_probe
from apigw_cockpit.model import Clock, Topology
from apigw_cockpit.service.observe import collect_round


def samples_from(settings: Settings) -> dict[str, SampleRequest]:
    """config.Settings.sample_requests → diagnose SampleRequests (validated by config already)."""
    out: dict[str, SampleRequest] = {}
    for route, req in dict(getattr(settings, "sample_requests", {}) or {}).items():
        headers = tuple((str(k), str(v)) for k, v in dict(req.get("headers", {})).items())
        out[route] = SampleRequest(
            str(req.get("path", "")), str(req.get("query", "")), headers, str(req.get("body", ""))
        )
    return out


async def _probes(
    feed: Feed,
    choice: ProbeChoice,
    *,
    test_invoke: bool,
    load: int,
    allow_remote: bool,
    k6: str | None,
) -> tuple[Probe, ...]:
    if choice.refused:
        return ()
    path, method, note = choice.path_with_query, choice.method, choice.note
    headers, body = dict(choice.headers), choice.body.encode() if choice.body else None
    out: list[Probe] = [await feed.probes.invoke_url(path, method, headers=headers, body=body, note=note)]
    if test_invoke and choice.resource_id and not feed.topology.is_http:  # REST only
        out.append(
            await feed.probes.test_invoke(
                choice.resource_id, method, confirmed=True, path_with_query=path, body=choice.body,
                headers=headers, note=note,
            )
        )  # fmt: skip
    if load:
        n = max(1, int(load))
        out.append(
            await feed.probes.load_test(
                path, method, max_requests=n, duration_s=max(5.0, n / 20), allow_remote=allow_remote,
                headers=headers, body=body, note=note,
            )
        )  # fmt: skip
    if k6:
        safe_write.write_text(k6, feed.probes.k6_script(path, method))  # regular files only
    return tuple(out)


class VerifyOptions(TypedDict, total=False):
    """`verify_run`'s keyword options, so `verify_once` forwards them typed."""

    test_invoke: bool
    load: int
    allow_remote: bool
    k6: str | None
    route: str
    allow_unsafe: bool
    samples: dict[str, SampleRequest] | None


async def verify_once(
    settings: AwsSettings, clock: Clock, since: float, **options: Unpack[VerifyOptions]
) -> tuple[list[VerifyStep], Topology]:
    """`verify_run` without the probe choice (steps, topology)."""
    steps, topo, _ = await verify_run(settings, clock, since, **options)
    return steps, topo


async def verify_run(
    settings: AwsSettings,
    clock: Clock,
    since: float,
    *,
    test_invoke: bool = False,
    load: int = 0,
    allow_remote: bool = False,
    k6: str | None = None,
    route: str = "",
    allow_unsafe: bool = False,
    samples: dict[str, SampleRequest] | None = None,
) -> tuple[list[VerifyStep], Topology, ProbeChoice]:
    """What `verify` does, callable from tests (settings: aws.AwsSettings): the steps, the
    topology, and which route was probed and why."""
    feed = await open_feed(settings, clock)
    try:
        builder = await collect_round(feed)
        # Choose from what the logs say is failing now, before sending anything.
        seen = builder.build(clock.now(), fix_time=since)
        choice = choose_probe(seen, route=route, allow_unsafe=allow_unsafe, samples=samples)
        probes = await _probes(
            feed, choice, test_invoke=test_invoke, load=load, allow_remote=allow_remote, k6=k6
        )
    finally:
        await feed.aclose()
    obs = builder.build(clock.now(), probes=probes, fix_time=since)
    return _with_choice(verify(obs), choice, obs), feed.topology, choice


def _with_choice(steps: list[VerifyStep], choice: ProbeChoice, obs: Observations) -> list[VerifyStep]:
    """A refused probe leaves V1/V5/V6 pending with the reason, not with "not run"."""
    if not choice.refused:
        return steps
    probed = {"V1", "V5", "V6"}
    return [
        VerifyStep(s.id, s.title, s.status, (choice.note, *s.evidence)) if s.id in probed else s
        for s in steps
    ]

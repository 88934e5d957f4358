"""A rediscovery that changes a verdict is a timeline event (issue 12, live configuration).

The store keeps the engine's answer from before a TopologyUpdate; the first answer over the new
topology is compared with it (diagnose/flips.py), and each flipped verdict becomes a timeline row
and a journal entry — "security-groups: error → ok after rediscovery (CloudTrail
AuthorizeSecurityGroupIngress …)". Real diagnose layer, FakeFeed's midnight-pager signals.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from apigw_cockpit.diagnose import pipeline
from apigw_cockpit.diagnose.flips import rediscovery_reason
from apigw_cockpit.incident import Journal, build_report, build_timeline, read_journal
from apigw_cockpit.model import FrozenClock, TopologyUpdate
from apigw_cockpit.ui.screens.timeline import merged_rows, state_rows
from apigw_cockpit.ui.state import CockpitState

from .fixtures import NOW, midnight_pager, topology

REASON = "change: AuthorizeSecurityGroupIngress sg-0ab12cd34ef567890"


def _broken_state() -> CockpitState:
    feed = midnight_pager()
    state = CockpitState(feed.topology)

    async def drain() -> None:
        for poller in feed.pollers:
            async for update in poller:
                state.apply(update)

    asyncio.run(drain())
    state.set_result(pipeline.run(state.snapshot(NOW)))
    return state


def _verdict(state: CockpitState, check: str) -> str:
    assert state.result is not None
    found = state.result.finding(check)
    assert found is not None
    return found.verdict.value


def test_a_rediscovery_that_flips_a_verdict_is_a_timeline_row_and_a_journal_entry(tmp_path: Path) -> None:
    state = _broken_state()
    assert _verdict(state, "security-groups") == "error"
    stale = pipeline.run(state.snapshot(NOW + 4))  # an engine run already under way
    # Live configuration: the security group admits the health checks again.
    state.apply(TopologyUpdate("topology", NOW + 5, topology(broken=False), REASON, ("security_groups",)))
    # An answer computed over the old topology is not the one after the read.
    state.set_result(stale)
    assert not state.rediscoveries
    state.set_result(pipeline.run(state.snapshot(NOW + 6)))
    assert _verdict(state, "security-groups") == "ok"
    flips = [f for f in state.rediscoveries if f.check_id == "security-groups"]
    assert len(flips) == 1 and flips[0].at == NOW + 5
    title = (
        "security-groups: error → ok after rediscovery"
        " (CloudTrail AuthorizeSecurityGroupIngress sg-0ab12cd34ef567890)"
    )
    assert flips[0].title == title
    assert any(r.kind == "rediscovery" and r.title == title for r in state_rows(state))
    # The next answer (same topology) flips nothing more.
    before = len(state.rediscoveries)
    state.set_result(pipeline.run(state.snapshot(NOW + 7)))
    assert len(state.rediscoveries) == before

    # Journaled, it is in the postmortem's timeline, and shown once on the cockpit's timeline.
    path = tmp_path / "j.jsonl"
    with Journal.open(path, api="a1b2c3d4e5", stage="prod", clock=FrozenClock(NOW)) as j:
        assert all(j.note_rediscovery(f) for f in state.rediscoveries)
    entries = read_journal(path).entries
    assert any(r.title == title for r in build_timeline(entries))
    assert any(r.title == title for r in build_report(entries).timeline)
    assert [r.title for r in merged_rows(state, entries)].count(title) == 1


def test_no_answer_before_the_read_means_no_flip() -> None:
    state = CockpitState(topology(broken=True))
    state.apply(TopologyUpdate("topology", NOW, topology(broken=False), "periodic"))
    state.set_result(pipeline.run(state.snapshot(NOW)))
    assert state.rediscoveries == []
    assert rediscovery_reason("periodic") == "periodic refresh"

"""Live Tail: sampling surfaced, identical lines kept apart, a clean handover to FilterLogEvents."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.aws.sources.live_tail import LiveTailPoller
from apigw_cockpit.model import FrozenClock, LogsUpdate

T0 = 1_780_000_000.0
GROUP = "API-Gateway-Execution-Logs_a1/prod"
ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{GROUP}"


def _line(ms: int, msg: str, stream: str = "s1") -> dict[str, Any]:
    return {"logStreamName": stream, "logGroupIdentifier": ARN, "message": msg, "timestamp": ms,
            "ingestionTime": ms + 5}  # fmt: skip


class FakeLogs:
    """StartLiveTail streams two updates (the first sampled), then ends; FilterLogEvents has ids."""

    def __init__(self) -> None:
        self.consumed = asyncio.Event()  # the poller asked for the 2nd update: the 1st is processed
        self.gate = asyncio.Event()
        ms = int(T0 * 1000)
        self.first = [
            _line(ms, "(r1) Starting execution"),
            _line(ms + 1, "(r1) dup"),
            _line(ms + 1, "(r1) dup"),
        ]
        self.second = [_line(ms + 2, "(r1) Method completed with status: 502")]
        self.polled = [{**e, "eventId": f"id{i}"} for i, e in enumerate([*self.first, *self.second])] + [
            {**_line(ms + 3, "(r2) Starting execution"), "eventId": "id-new"}
        ]

    async def _stream(self) -> AsyncIterator[dict[str, Any]]:
        yield {"sessionStart": {"sessionId": "x"}}
        yield {"sessionUpdate": {"sessionMetadata": {"sampled": True}, "sessionResults": self.first}}
        self.consumed.set()
        await self.gate.wait()
        yield {"sessionUpdate": {"sessionMetadata": {"sampled": False}, "sessionResults": self.second}}

    async def start_live_tail(self, **kw: Any) -> dict[str, Any]:
        return {"responseStream": self._stream()}

    async def filter_log_events(self, **kw: Any) -> dict[str, Any]:
        return {"events": [e for e in self.polled if e["timestamp"] >= kw["startTime"]]}


class Factory:
    def __init__(self, logs: FakeLogs) -> None:
        self.logs = logs

    async def client(self, service: str) -> FakeLogs:
        return self.logs


async def test_sampling_identical_lines_and_handover() -> None:
    logs = FakeLogs()
    p = LiveTailPoller(
        Factory(logs), FrozenClock(T0 + 10), [GROUP], 2.0, account="123456789012", region="us-east-1"
    )
    assert await p.poll() == []  # session started
    await asyncio.wait_for(logs.consumed.wait(), 5)
    assert "sampled" in p.status().note  # lines above 500/s are being dropped: say so
    [u] = await p.poll()
    assert isinstance(u, LogsUpdate)
    dups = [e for e in u.events if e.message == "(r1) dup"]
    assert len(dups) == 2 and dups[0].event_id != dups[1].event_id  # two events, not one
    logs.gate.set()
    assert p._task is not None
    await asyncio.wait_for(p._task, 5)  # the session ended
    assert p.status().note == ""
    updates = await p.poll()  # hands over to FilterLogEvents
    messages = [e.message for up in updates if isinstance(up, LogsUpdate) for e in up.events]
    assert not p.live
    # The session's last line, then only what Live Tail never showed: nothing repeated.
    assert messages == ["(r1) Method completed with status: 502", "(r2) Starting execution"]
    await p.aclose()


@pytest.mark.parametrize(
    ("env", "logs_prefix", "ec2_prefix"),
    [
        ({}, True, True),
        ({"AWS_ENDPOINT_URL_EC2": "http://127.0.0.1:1"}, True, False),
        ({"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": "http://127.0.0.1:1"}, False, True),
        ({"AWS_ENDPOINT_URL": "http://127.0.0.1:1"}, False, False),
    ],
)
def test_host_prefix_off_only_where_the_endpoint_is_overridden(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], logs_prefix: bool, ec2_prefix: bool
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    f = ClientFactory(AwsSettings("a", "s", region="us-east-1"))
    assert f.config("logs").inject_host_prefix is logs_prefix
    assert f.config("ec2").inject_host_prefix is ec2_prefix

"""Front-door pieces that need no AWS: the worst-first order, the bare command at a terminal."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import pytest

from apigw_cockpit import cli
from apigw_cockpit.aws.inventory import ApiEntry, StageHealth, worst_first


def _api(name: str, *stages: StageHealth) -> ApiEntry:
    return ApiEntry("rest", name[:10], name, "us-east-1", stages=stages)


def test_worst_first_is_most_5xx_then_highest_rate_and_no_traffic_is_no_rate() -> None:
    big = _api("big", StageHealth("prod", 500, 10_000))  # 5 %
    tiny = _api("tiny", StageHealth("prod", 3, 3))  # 100 %, but 3 requests
    same_count = _api("same", StageHealth("prod", 500, 1_000))  # 50 %
    idle = _api("idle", StageHealth("prod", 0, 0))
    unknown = _api("unknown", StageHealth("prod"))
    got = [a.name for a in worst_first([idle, tiny, big, unknown, same_count])]
    assert got == ["same", "big", "tiny", "idle", "unknown"]
    assert idle.stages[0].rate is None and unknown.stages[0].rate is None


def test_bare_command_at_a_terminal_opens_the_front_door(monkeypatch: pytest.MonkeyPatch) -> None:
    from apigw_cockpit.commands import watch

    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(watch, "run", lambda args: seen.append(args) or 0)
    assert cli.main([]) == 0
    [args] = seen
    assert args.command == "watch" and args.api_id is None and args.url is None


def test_bare_command_in_a_pipe_prints_help(capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert cli.main([]) == cli.EXIT_USAGE
    assert "apis" in capsys.readouterr().out


def test_headless_watch_without_an_api_says_how_to_name_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["watch", "--headless"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "--api-id and --stage are required" in err and "--url" in err and "apigw-cockpit apis" in err

"""check/verify argument handling that needs no AWS: one-line errors and exit codes."""

from __future__ import annotations

import pytest
from diagnose_world import lambda_topology, vpc_topology

from apigw_cockpit.cli import main
from apigw_cockpit.commands.verify import parse_since
from apigw_cockpit.diagnose.verification import probe_target


def test_unknown_check_id_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no-such-check", "--api-id", "x", "--stage", "prod"]) == 2
    err = capsys.readouterr().err
    assert "unknown check 'no-such-check'" in err and "security-groups" in err and err.count("\n") == 1


def test_check_without_api_is_config_error(
    capsys: pytest.CaptureFixture[str], aws_env: dict[str, str]
) -> None:
    assert main(["check"]) == 2
    assert "--api-id and --stage are required" in capsys.readouterr().err


def test_verify_bad_since(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--since", "yesterday-ish", "--api-id", "x", "--stage", "prod"]) == 2
    assert "ISO 8601" in capsys.readouterr().err


def test_parse_since_forms() -> None:
    now = 1_800_000_000.0
    assert parse_since("-15m", now) == now - 900
    assert parse_since("2h", now) == now - 7200
    assert parse_since(None, now) == now - 900
    assert parse_since("2027-01-15T00:00:00Z", now) == parse_since("2027-01-15T00:00:00", now)
    with pytest.raises(ValueError):
        parse_since("soon", now)


def test_probe_target_prefers_plain_get() -> None:
    assert probe_target(vpc_topology(cors=True)) == ("r1", "GET", "/orders")
    assert probe_target(lambda_topology())[1:] == ("GET", "/orders")

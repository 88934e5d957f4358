"""Region and credential errors tell the truth; a bug is exit 70 with a traceback file; no log noise."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, TokenRetrievalError, UnauthorizedSSOTokenError

from apigw_cockpit import cli
from apigw_cockpit.aws import errors
from apigw_cockpit.aws.errors import AwsAccessError, as_access_error
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.service import exits


def test_aws_region_wins_over_aws_default_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert ClientFactory(AwsSettings("a", "s")).region == "eu-west-1"
    assert ClientFactory(AwsSettings("a", "s", region="ap-south-1")).region == "ap-south-1"


def test_no_region_message_names_a_fix_that_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(AwsAccessError) as info:
        ClientFactory(AwsSettings("a", "s"))
    assert "AWS_REGION" in str(info.value) and "\n" not in str(info.value)
    monkeypatch.setenv("AWS_REGION", "eu-central-1")  # following the advice fixes it
    assert ClientFactory(AwsSettings("a", "s")).region == "eu-central-1"


def test_sso_errors_are_one_line_with_the_login_command(monkeypatch: pytest.MonkeyPatch) -> None:
    ClientFactory(AwsSettings("a", "s", profile=None))
    monkeypatch.setattr(errors, "_profile_hint", "oncall")
    for exc in (UnauthorizedSSOTokenError(), TokenRetrievalError(provider="sso", error_msg="expired")):
        msg = str(as_access_error(exc))
        assert "aws sso login --profile oncall" in msg and "\n" not in msg
    expired = ClientError({"Error": {"Code": "ExpiredTokenException", "Message": "x"}}, "GetRestApi")
    assert "aws sso login --profile oncall" in str(as_access_error(expired))


def test_unexpected_exception_is_exit_70_with_traceback_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from apigw_cockpit.commands import check

    async def boom(args: argparse.Namespace, clock: object) -> None:
        raise TypeError("argument of type 'NoneType' is not iterable")

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr(check, "_run", boom)
    code = cli.main(["check", "--api-id", "a", "--stage", "s"])
    err = capsys.readouterr().err
    assert code == 70 and code != exits.EXIT_AWS
    assert err.count("\n") == 1 and "internal error" in err and "TypeError" in err
    files = list((tmp_path / "apigw-cockpit" / "crashes").glob("*-check-*.txt"))
    assert len(files) == 1 and str(files[0]) in err
    assert "Traceback (most recent call last)" in files[0].read_text()


def test_traceback_file_is_redacted_and_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The crash file is an output channel too: a secret the exception quotes is masked there."""
    from apigw_cockpit.commands import check

    secret = "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    async def boom(args: argparse.Namespace, clock: object) -> None:
        raise TypeError(f"bad credentials line: {secret}")

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr(check, "_run", boom)
    assert cli.main(["check", "--api-id", "a", "--stage", "s"]) == 70
    err = capsys.readouterr().err
    [crash] = list((tmp_path / "apigw-cockpit" / "crashes").glob("*-check-*.txt"))
    text = crash.read_text()
    assert "Traceback (most recent call last)" in text and "[REDACTED]" in text
    assert "wJalrXUtnFEMI" not in text and "wJalrXUtnFEMI" not in err
    assert crash.stat().st_mode & 0o077 == 0


_NOISY = """
import logging, sys
from apigw_cockpit import cli
from apigw_cockpit.commands import scenarios

def run(args):
    for name in ("botocore.credentials", "aiobotocore.credentials", "urllib3.connectionpool", "asyncio"):
        logging.getLogger(name).warning("Found credentials in environment variables.")
        logging.getLogger(name).error("Task exception was never retrieved")
    return 0

scenarios.run = run
sys.exit(cli.main(["scenarios"]) if sys.argv[1] == "cli" else run(None))
"""


def test_library_warnings_do_not_reach_stderr() -> None:
    # A subprocess: pytest's own log capture would hide what a user's terminal shows.
    def stderr(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _NOISY, mode], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stderr

    assert "Found credentials" in stderr("bare")  # what Python does without our setup
    assert stderr("cli") == ""

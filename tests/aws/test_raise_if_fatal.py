"""What no reader may swallow into a partial answer: the guard's refusal and credential failures."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, NoCredentialsError

from apigw_cockpit.aws.errors import AwsAccessError, ReadOnlyViolation, raise_if_fatal


def test_the_guards_refusal_passes_through_unchanged() -> None:
    refused = ReadOnlyViolation("ec2:AuthorizeSecurityGroupIngress is not read-only")
    with pytest.raises(ReadOnlyViolation) as got:
        raise_if_fatal(refused)
    assert got.value is refused


def test_missing_credentials_end_the_run_as_one_access_line() -> None:
    with pytest.raises(AwsAccessError, match="no AWS credentials"):
        raise_if_fatal(NoCredentialsError())


def test_a_denied_or_missing_part_is_left_to_the_caller() -> None:
    for code in ("AccessDeniedException", "NotFoundException", "ThrottlingException"):
        raise_if_fatal(ClientError({"Error": {"Code": code, "Message": "m"}}, "GetStage"))

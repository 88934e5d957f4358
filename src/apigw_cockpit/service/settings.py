"""Command-line arguments → the `aws.AwsSettings` every AWS-touching command opens a feed with."""

from __future__ import annotations

import argparse
import dataclasses
import os

from apigw_cockpit.aws.settings import AwsSettings, Intervals
from apigw_cockpit.config import Settings
from apigw_cockpit.errors import ConfigError


def settings_from_args(args: argparse.Namespace) -> AwsSettings:
    if not getattr(args, "api_id", None) or not getattr(args, "stage", None):
        raise ConfigError("--api-id and --stage are required")
    return AwsSettings(
        api_id=args.api_id,
        stage=args.stage,
        region=getattr(args, "region", None),
        profile=getattr(args, "profile", None),
        endpoint_url=getattr(args, "endpoint_url", None),
        live_tail=bool(getattr(args, "live_tail", False)),
        invoke_url=getattr(args, "invoke_url", None) or None,
        # The standard AWS variable; our Config would otherwise override it.
        max_attempts=_int_env("AWS_MAX_ATTEMPTS", 4),
    )


def aws_intervals(settings: Settings) -> Intervals:
    """Config `[intervals]` (config.Settings.intervals) as the pollers' periods; unknown names ignored."""
    known = {f.name for f in dataclasses.fields(Intervals)}
    given = {k: float(v) for k, v in dict(getattr(settings, "intervals", {}) or {}).items() if k in known}
    return dataclasses.replace(Intervals(), **given)


def _int_env(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        raise ConfigError(f"{name} must be an integer") from None

"""Which API the user means: `--url` resolved to `--api-id/--stage/--region`, before any feed opens.

One place for watch, check and verify: the URL is resolved (aws/resolve_url.py), what it resolved
to is printed in one line on stderr (stdout stays the command's answer, `--json` included), and
the arguments are filled in as if the user had typed them. An HTTP API is said to be one (exit 2)
instead of the REST-only code paths answering `unknown REST API`.
"""

from __future__ import annotations

import argparse
import asyncio

from apigw_cockpit.aws.resolve_url import Resolved, resolve_url
from apigw_cockpit.aws.session import ClientFactory
from apigw_cockpit.aws.settings import AwsSettings
from apigw_cockpit.errors import CockpitError, ConfigError
from apigw_cockpit.outbound import err_line
from apigw_cockpit.service.exits import EXIT_USAGE


async def _resolve(args: argparse.Namespace) -> Resolved:
    settings = AwsSettings(
        api_id="",
        stage="",
        region=getattr(args, "region", None),
        profile=getattr(args, "profile", None),
        endpoint_url=getattr(args, "endpoint_url", None),
    )
    factory = ClientFactory(settings)
    try:
        return await resolve_url(factory, args.url, getattr(args, "api_id", None))
    finally:
        await factory.aclose()


def apply_url(args: argparse.Namespace, command: str) -> int | None:
    """Fill args from `--url`; None to go on, else the exit code (the error already printed)."""
    url = getattr(args, "url", None)
    if not url:
        return None
    try:
        got = asyncio.run(_resolve(args))
        if got.api_type not in ("rest", "http"):
            raise ConfigError(f"{got.api_id} is a {got.api_type} API: not diagnosed")
        given = getattr(args, "api_id", None)
        if given and given != got.api_id:
            raise ConfigError(f"--url names API {got.api_id} but --api-id says {given}")
        if getattr(args, "stage", None) and args.stage != got.stage:
            raise ConfigError(f"--url names stage {got.stage} but --stage says {args.stage}")
    except CockpitError as exc:
        err_line(f"apigw-cockpit {command}: {exc}")
        return exc.exit_code
    err_line(f"apigw-cockpit {command}: {got.line(url)}")
    args.api_id, args.stage = got.api_id, got.stage
    if got.region:
        args.region = got.region
    args.url_route = got.route
    if got.base_url and hasattr(args, "invoke_url") and not args.invoke_url:
        # Probes go where the user's clients go: the custom domain and base path, not execute-api.
        args.invoke_url = got.base_url
    return None


def require_target(args: argparse.Namespace, command: str) -> int | None:
    """The message for no API at all (the picker is only for a screen)."""
    if getattr(args, "api_id", None) and getattr(args, "stage", None):
        return None
    err_line(
        f"apigw-cockpit {command}: error: --api-id and --stage are required "
        "(or --url URL; `apigw-cockpit apis` lists every API)"
    )
    return EXIT_USAGE

"""Keep library log noise off the user's terminal.

botocore, aiobotocore, urllib3, aiohttp and asyncio log warnings (retries, credential
lookups, "Unclosed client session", "Task exception was never retrieved") through Python's
last-resort handler, which prints them on stderr with tracebacks: under a full-screen app or
a one-line error contract that is noise. They go to a NullHandler unless the user asks for
them with APIGW_COCKPIT_LOG=<file> (then everything at DEBUG goes to that file).
"""

from __future__ import annotations

import logging
import os

LIBRARIES = ("botocore", "aiobotocore", "boto3", "urllib3", "aiohttp", "asyncio", "s3transfer")


def quiet_libraries(env: dict[str, str] | None = None) -> None:
    target = (env if env is not None else os.environ).get("APIGW_COCKPIT_LOG", "")
    handler: logging.Handler
    if target:
        handler = logging.FileHandler(target, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    else:
        handler = logging.NullHandler()
    for name in LIBRARIES:
        log = logging.getLogger(name)
        log.handlers = [handler]
        log.propagate = False
        log.setLevel(logging.DEBUG if target else logging.CRITICAL)

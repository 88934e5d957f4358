"""Partial discovery: run one AWS read, and on failure record a PartError and go on."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from apigw_cockpit.aws.errors import is_denied, raise_if_fatal, short
from apigw_cockpit.aws.untyped import Client
from apigw_cockpit.model import PartError

T = TypeVar("T")


class Parts:
    """Collects the PartErrors of one discovery run."""

    def __init__(self) -> None:
        self.errors: list[PartError] = []

    async def get(self, part: str, operation: str, call: Awaitable[T]) -> T | None:
        """Await `call`; credential/endpoint failures still raise AwsAccessError (nothing would work)."""
        try:
            return await call
        except Exception as exc:
            raise_if_fatal(exc)
            self.errors.append(PartError(part, operation, short(exc), denied=is_denied(exc)))
            return None


async def paginate(client: Client, operation: str, key: str, **kwargs: object) -> list[Any]:
    """All items of a paginated operation (botocore paginator, async): raw dicts, or strings
    for a few operations (ListRolePolicies' PolicyNames)."""
    out: list[Any] = []
    async for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key, []))
    return out

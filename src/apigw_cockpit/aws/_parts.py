"""Partial discovery: run one AWS read, and on failure record a PartError and go on."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from apigw_cockpit.aws.errors import ReadOnlyViolation, as_access_error, is_denied, short
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
        except ReadOnlyViolation:
            raise
        except Exception as exc:
            access = as_access_error(exc)
            if access is not None:
                raise access from None
            self.errors.append(PartError(part, operation, short(exc), denied=is_denied(exc)))
            return None


async def paginate(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    """All items of a paginated operation (botocore paginator, async)."""
    out: list[Any] = []
    async for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key, []))
    return out

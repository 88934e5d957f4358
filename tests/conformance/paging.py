"""Each operation's real pagination contract, read from botocore's paginators-1.json."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import botocore.session

_SESSION = botocore.session.get_session()


@dataclass(frozen=True)
class Paging:
    input_token: str  # request parameter that carries the token (NextToken, position, Marker, …)
    output_token: str  # response member that holds the next token
    more_results: str = ""  # IAM: IsTruncated must be true while there are more pages
    result_key: str = ""  # the (first) list member that holds the items


def _one(value: object) -> str:
    if isinstance(value, list):
        assert len(value) == 1, value  # none of the operations we call has compound tokens
        value = value[0]
    assert isinstance(value, str)
    return value


@cache
def paging(service: str, operation: str) -> Paging | None:
    try:
        config = _SESSION.get_paginator_model(service).get_paginator(operation)
    except (ValueError, Exception):  # no paginator for this operation (or service)
        return None
    keys = config.get("result_key", "")
    result = keys[0] if isinstance(keys, list) else keys
    return Paging(
        _one(config["input_token"]), _one(config["output_token"]), config.get("more_results", ""), result
    )


def token_members(service: str, operation: str) -> set[str]:
    p = paging(service, operation)
    if p is None:
        return set()
    return {p.output_token.split(".")[0]} | ({p.more_results} if p.more_results else set())

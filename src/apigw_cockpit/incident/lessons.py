"""The lesson table (lessons.toml): one suggested guard set per root-cause id."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Lesson:
    root_cause: str
    summary: str
    guards: tuple[str, ...]
    docs: tuple[str, ...] = ()


GENERIC = Lesson(
    root_cause="",
    summary="The root cause was not identified with confidence.",
    guards=(
        "Alarm on 5XXError and IntegrationLatency p99 for the stage.",
        "Keep execution logging at INFO or ERROR so the next incident starts with evidence.",
        "Alert on mutating CloudTrail events for every resource on the request path.",
    ),
)


@cache
def lessons() -> dict[str, Lesson]:
    raw = tomllib.loads(resources.files("apigw_cockpit.incident").joinpath("lessons.toml").read_text("utf-8"))
    return {
        rc: Lesson(rc, str(v["summary"]), tuple(v.get("guards", ())), tuple(v.get("docs", ())))
        for rc, v in raw.items()
    }


def lesson_for(root_cause: str | None) -> Lesson:
    if not root_cause:
        return GENERIC
    found = lessons().get(root_cause)
    return found if found else Lesson(root_cause, GENERIC.summary, GENERIC.guards)

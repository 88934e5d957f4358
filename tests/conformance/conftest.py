"""Fixtures of the conformance suite: a fake-credential env and one Harness per module.

Each test adds the number of generated answers per operation to its report
(`user_properties`, which pytest-xdist carries back to the controller); the summary hook in
tests/conftest.py prints the totals at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .harness import Harness, fake_env


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    with fake_env():
        h = Harness()
        try:
            yield h
        finally:
            h.close()


@pytest.fixture(autouse=True)
def _report_cases(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    h = request.node.funcargs.get("harness")
    if isinstance(h, Harness) and h.responder.cases:
        request.node.user_properties.append(("conformance_cases", dict(h.responder.cases)))
        h.responder.cases.clear()

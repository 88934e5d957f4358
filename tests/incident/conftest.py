"""Fixtures for the incident tests (helpers live in incident_fixtures.py: a unique module name)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from incident_fixtures import write_midnight_pager


@pytest.fixture
def midnight_journal(tmp_path: Path) -> Path:
    return write_midnight_pager(tmp_path / "midnight-pager.jsonl")


@pytest.fixture
def write_lines(tmp_path: Path) -> Callable[[str | bytes], Path]:
    def write(content: str | bytes, name: str = "j.jsonl") -> Path:
        p = tmp_path / name
        p.write_bytes(content.encode() if isinstance(content, str) else content)
        return p

    return write

"""The blind cases: their written expectations and one headless run each.

`python tests/blind/blind_cases.py [FILE...]` prints expected vs ranked for each case and the
accuracy (the figure the README reports); test_blind.py asserts the same per case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
HEADLESS_S = 600


@dataclass(frozen=True)
class Case:
    path: Path
    expected: tuple[str, ...]  # one id, or two for two real faults (both must be on top)
    source: str
    round: int
    not_blamed: tuple[str, ...] = ()  # events the story says are harmless: never an error finding

    @property
    def id(self) -> str:
        return self.path.stem


def _header(path: Path, key: str) -> str:
    for line in path.read_text("utf-8").splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return ""


def cases() -> list[Case]:
    out = []
    for p in sorted(HERE.glob("b*.toml")):
        expected = tuple(x.strip() for x in _header(p, "expected").split(",") if x.strip())
        written = _header(p, "written")
        rnd = int(written.rsplit("round:", 1)[1].strip()) if "round:" in written else 1
        harmless = tuple(x.strip() for x in _header(p, "not-blamed").split(",") if x.strip())
        out.append(Case(p, expected, _header(p, "source"), rnd, harmless))
    return out


def run(case: Case, python: str = sys.executable) -> dict[str, Any]:
    """`demo --headless 600 --scenario FILE --json`, as a user runs it (patient first round)."""
    proc = subprocess.run(
        [
            python,
            str(HERE / "patient_demo.py"),
            "demo",
            "--headless",
            str(HEADLESS_S),
            "--scenario",
            str(case.path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{case.id}: exit {proc.returncode}: {proc.stderr.strip()[-400:]}")
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def ranked(doc: dict[str, Any]) -> list[str]:
    return [h["root_cause"] for h in doc["diagnosis"]["hypotheses"]]


def blamed(doc: dict[str, Any]) -> str:
    """The change the recent-changes finding blames at error level ('' when none)."""
    for f in doc["diagnosis"]["findings"]:
        if f["check_id"] == "recent-changes" and f["verdict"] == "error":
            return str(f["summary"]).split(" ", 1)[0]
    return ""


def correct(case: Case, doc: dict[str, Any]) -> bool:
    if blamed(doc) and blamed(doc) in case.not_blamed:
        return False
    top = ranked(doc)[: len(case.expected)]
    if case.expected == ("none",):
        return (not top or top[0] == "none") and not any(
            f["verdict"] == "error" for f in doc["diagnosis"]["findings"]
        )
    return set(top) == set(case.expected)


def main(argv: list[str]) -> int:
    chosen = [c for c in cases() if not argv or c.path.name in argv or c.id in argv]
    right = 0
    for c in chosen:
        try:
            doc = run(c)
        except Exception as exc:  # report and go on: one broken case must not hide the rest
            print(f"{c.id:45} ERROR {exc}")
            continue
        ok = correct(c, doc)
        right += ok
        errors = [f["check_id"] for f in doc["diagnosis"]["findings"] if f["verdict"] == "error"]
        top = [(h["root_cause"], h["confidence"]) for h in doc["diagnosis"]["hypotheses"][:3]]
        print(f"{c.id:45} {'OK ' if ok else 'BAD'} expected={','.join(c.expected)} got={top} errors={errors}")
        sys.stdout.flush()
    print(f"blind accuracy: {right}/{len(chosen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

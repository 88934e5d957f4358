"""`apigw-cockpit demo` as a person sees it: the real command on a real (pseudo) terminal.

The child runs `python -m apigw_cockpit demo` (midnight-pager) on a pty of the given size with
TERM=xterm-256color; pyte renders what it writes into a virtual screen, and the tests read that
screen like a person would: the outage numbers, the broken targets, the suspect change, the failing
requests; `c` for the suspected root cause; `q` to leave, with the terminal given back.

HOME and every XDG directory are a temp dir (no user config, themes or journal leak in or out);
AWS credentials are fake and the world is on loopback.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from screen import ALT_SCREEN_OFF, ALT_SCREEN_ON, PtyScreen, isolated_env

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sim,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty"),
]

DEMO = [sys.executable, "-m", "apigw_cockpit", "demo"]
ROOT_CAUSE = "sg-blocks-nlb-targets"
START_S = 90.0  # interpreter + the world (~4 s) + discovery + every first round, on a busy 2-core box
KEY_S = 8.0  # a screen change after a key (the checks run off the UI thread)
EXIT_S = 5.0  # `q` to process exit

# What a person reads on the cockpit (patterns, not exact values: the world is random but seeded).
FIVE_XX = re.compile(r"5XX\w*\s.*?\b(\d+)/min")
TARGETS_DOWN = re.compile(r"\b0/4 healthy\b")
CHANGE = "RevokeSecurityGroupIngress"
# One collapsed failing request in the execution-log pane: time, request id, method/path, 5XX, verdict.
FAILED_REQUEST = re.compile(
    r"\d\d:\d\d:\d\d\s+[0-9a-f]{6,}\s+[A-Z]+ /\S*\s+50[24]\s+(integration-timeout|Execution failed)"
)
MIN_ROWS = 3  # failing requests listed before the log pane counts as showing data
# Everything Textual may write after leaving the alternate screen: mode resets only (CSI sequences
# such as show-cursor, mouse/focus reporting off, kitty keyboard pop), never a drawn character.
ONLY_MODE_RESETS = re.compile(rb"(?:\x1b\[[?<>=]?[0-9;]*[a-zA-Z])*")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path)


@pytest.fixture
def demo_term(env: dict[str, str], tmp_path: Path) -> Iterator[type[PtyScreen]]:
    """`with demo_term(cols=…, rows=…) as term:` — the demo on a pty; killed if a test fails."""
    opened: list[PtyScreen] = []

    class Demo(PtyScreen):
        def __init__(self, cols: int, rows: int) -> None:
            super().__init__(DEMO, cols=cols, rows=rows, env=env, cwd=tmp_path)
            opened.append(self)

    yield Demo
    for term in opened:
        term.close()


def failing_rows(text: str) -> int:
    return len(FAILED_REQUEST.findall(text))


def cockpit_ready(text: str) -> bool:
    """The panes show data: 5XX rate, target health, the change, and a list of failing requests."""
    return bool(FIVE_XX.search(text) and TARGETS_DOWN.search(text) and CHANGE in text) and (
        failing_rows(text) >= MIN_ROWS
    )


def quit_and_check_restored(term: PtyScreen) -> str:
    """`q`: exit 0 within EXIT_S, the alternate screen left, nothing drawn after it. How long it took."""
    at = term.elapsed()
    term.press("q")
    code = term.wait_exit(EXIT_S)
    took = f"terminal back {term.left_alt_at - at:.2f} s, exit {term.elapsed() - at:.2f} s after `q`"
    assert code == 0, f"exit code {code} after q\n{term.text()}"
    raw = bytes(term.raw)
    assert ALT_SCREEN_ON in raw, "the cockpit never entered the alternate screen"
    off = raw.rfind(ALT_SCREEN_OFF)
    assert off > raw.rfind(ALT_SCREEN_ON), "alternate screen not left: terminal not restored"
    tail = raw[off + len(ALT_SCREEN_OFF) :]
    assert ONLY_MODE_RESETS.fullmatch(tail), f"output after leaving the alternate screen: {tail!r}"
    # The cursor is visible again and mouse reporting is off after the last time it was turned on.
    assert raw.rfind(b"\x1b[?25h") > raw.rfind(b"\x1b[?25l"), "cursor left hidden"
    assert raw.rfind(b"\x1b[?1000l") > raw.rfind(b"\x1b[?1000h"), "mouse reporting left on"
    return took


def test_demo_tells_the_story_then_quits_cleanly(demo_term: type[PtyScreen], env: dict[str, str]) -> None:
    with demo_term(cols=120, rows=36) as term:
        text = term.wait_for(cockpit_ready, START_S, what="5XX, 0/4 healthy, the change, a failing request")
        ready_at = term.elapsed()
        lines = term.lines()

        assert "orders-prod" in lines[0] and "prod" in lines[0] and "LIVE" in lines[0], lines[0]
        five_xx = FIVE_XX.search(text)
        assert five_xx is not None and int(five_xx.group(1)) > 0, "no 5XX rate on screen"
        assert "IntLatency p99" in text and "timeout 29s" in text  # latency against the timeout
        assert "0/4 healthy" in text and "Target.FailedHealthChecks" in text
        assert "TG ✗" in text  # the hop map marks the broken hop
        assert CHANGE in text and "by alex" in text
        assert "execution log (Execution failed)" in text
        assert all(len(line) <= 120 for line in lines)

        term.press("c")
        text = term.wait_for(
            lambda t: "checks" in t and "esc back" in t and re.search(r"suspect \S+", t) is not None,
            KEY_S,
            what="the checks screen with a suspect",
        )
        assert re.findall(r"suspect (\S+)", text)[0] == ROOT_CAUSE, text
        root_cause_at = term.elapsed()
        assert "security-groups" in text and "target-health" in text

        took = quit_and_check_restored(term)
        # The session's journal went to the temp XDG state dir: nothing of the user's was touched.
        journals = list(Path(env["XDG_STATE_HOME"]).rglob("*.jsonl"))
        assert journals, "no incident journal in $XDG_STATE_HOME"
        print(
            f"\n120x36: data on screen {ready_at:.1f} s, root cause {root_cause_at - ready_at:.1f} s "
            f"after `c`, {took}"
        )


def test_demo_is_usable_at_80x24(demo_term: type[PtyScreen]) -> None:
    with demo_term(cols=80, rows=24) as term:
        text = term.wait_for(
            lambda t: bool(FIVE_XX.search(t) and TARGETS_DOWN.search(t)) and failing_rows(t) >= MIN_ROWS,
            START_S,
            what="5XX, 0/4 healthy and a failing request at 80x24",
        )
        ready_at = term.elapsed()
        lines = term.lines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        header = lines[0]
        assert "orders-prod" in header and "LIVE" in header, header
        assert re.search(r"\d+ findings?", header), header
        assert "orders-tg" in text and "0/4 healthy" in text
        five_xx = FIVE_XX.search(text)
        assert five_xx is not None and int(five_xx.group(1)) > 0
        # The culprit change (◆, the engine's suspect, first when space is short), the failing hop
        # and the key to the checks are on the first screen too (issue 15: priority collapsing).
        text = term.wait_for(lambda t: f"◆ 00:10 {CHANGE}" in t, KEY_S, what="the ◆ culprit change")
        assert "by alex" in text and "TG ✗" in text
        assert "c Checks" in term.lines()[-1], term.lines()[-1]
        took = quit_and_check_restored(term)
        print(f"\n80x24: data on screen {ready_at:.1f} s, {took}")

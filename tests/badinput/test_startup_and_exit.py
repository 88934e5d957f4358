"""Start-up with a bad user theme, typable [keys], explain's bounded stream, check's exit code."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from apigw_cockpit import config
from apigw_cockpit.commands import explain
from apigw_cockpit.model import SourceState, SourceStatus


@pytest.mark.parametrize(
    "body",
    [
        b'name = "bad"\nprimary = "#112233"\n[variables]\nfooter-key-foreground = "notacolour"\n',
        b'name = "bad"\nprimary = "#112233"\n[variables]\nmy-own = "}}}"\n',
        b"\xff\xfe not utf-8",
    ],
    ids=["textual-variable", "own-variable", "non-utf8"],
)
async def test_bad_user_theme_at_start_up_is_a_notice_not_the_css_error_screen(
    tmp_path: Path, body: bytes
) -> None:
    from tests.ui import fixtures

    from apigw_cockpit.model import FrozenClock
    from apigw_cockpit.paths import builtin_themes_dir
    from apigw_cockpit.ui.app import CockpitApp

    user = tmp_path / "themes"
    user.mkdir()
    (user / "bad.toml").write_bytes(body)
    dirs = [d for d in (builtin_themes_dir(),) if d is not None] + [user]
    app = CockpitApp(
        config.Settings(theme="bad"), fixtures.midnight_pager(), FrozenClock(fixtures.NOW), theme_dirs=dirs
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.is_running and app.theme == "cockpit-dark"  # fell back to the default
        assert any("bad.toml" in e or "'bad'" in e for e in app.themes.errors)
        assert app.screen.id == "cockpit" or app.screen.__class__.__name__ != "ErrorScreen"


def test_every_textual_key_name_is_typable_and_nonsense_is_not() -> None:
    from textual.keys import Keys

    # "<any>" etc. are not keys; "ctrl-at" is a legacy alias of "ctrl+@".
    names = {k.value for k in Keys if not k.value.startswith("<") and k.value != "ctrl-at"}
    assert all(config.typable_key(n) for n in names), sorted(n for n in names if not config.typable_key(n))
    for ok in ("q", "Q", "question_mark", "slash", "ctrl+r", "shift+tab", "f5", "space", "?"):
        assert config.typable_key(ok), ok
    for bad in ("", " ", "notakey", "ctrl+", "ctrl+ctrl+q", "hyper+", "\x07", "qq"):
        assert not config.typable_key(bad), bad


def _lines(n: int, open_every: int = 0) -> list[str]:
    out = []
    for i in range(n):
        out.append(f"(req-{i:07d}) Starting execution for request: req-{i:07d}")
        if not open_every or i % open_every:
            out.append(f"(req-{i:07d}) Method completed with status: 502")
    return out


def test_explain_holds_only_requests_still_open() -> None:
    batch_max = 0
    batch = explain.Batcher()
    for n, line in enumerate(_lines(60_000), 1):
        batch.add(line)
        if n % explain.BATCH_LINES == 0:
            batch.take(final=False)
            batch_max = max(batch_max, batch.held)
    assert batch_max <= 2  # a completed request is handed out at the next batch


def test_explain_says_where_it_stopped_when_too_much_is_open(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limit is what is under test here, so it is made small enough to reach.
    monkeypatch.setattr(explain, "MAX_OPEN_LINES", 1000)
    monkeypatch.setattr(explain, "BATCH_LINES", 500)
    seen = []
    with pytest.raises(explain.InputStopped, match=r"stopped at line \d+"):
        for r in explain.classify_stream(iter(_lines(5000, open_every=1))):
            seen.append(r)
    assert seen == []  # nothing completed, nothing guessed


def test_explain_never_reports_a_cut_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An over-long line keeps its head; its tail is never read as a line of its own."""
    tail = "(phantom-1) Method completed with status: 502"
    data = (
        "(real-1) Starting execution for request: real-1\n"
        "(real-1) " + "x" * (explain.MAX_LINE_BYTES + 10) + tail + "\n"
        "(real-1) Method completed with status: 200\n"
    ).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    from apigw_cockpit.cli import main

    assert main(["explain", "--json"]) == 0
    ids = [r["request_id"] for r in json.loads(capsys.readouterr().out)["requests"]]
    assert ids == ["real-1"]


def test_check_with_the_log_group_missing_exits_by_findings() -> None:
    """The logging check names the unreadable logs (warn); no error finding, so exit 0, not 1."""
    from tests.diagnose import diagnose_world as w

    from apigw_cockpit.diagnose.report import diagnose

    missing = "ResourceNotFoundException: The specified log group does not exist."
    obs = w.obs(
        w.vpc_topology(),
        metrics=w.healthy_metrics(),
        target_health=w.targets_health("healthy"),
        sources=(
            SourceStatus("logs", SourceState.ERROR, w.NOW, None, missing),
            SourceStatus("metrics", SourceState.OK, w.NOW, w.NOW),
        ),
    )
    d = diagnose(obs)
    logging = next(f for f in d.findings if f.check_id == "logging")
    assert logging.verdict.value == "warn" and "log group does not exist" in logging.summary
    assert not d.has_errors

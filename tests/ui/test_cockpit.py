"""The cockpit shows the midnight-pager picture: what is broken, where, since when, and the suspect change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apigw_cockpit.ui.panes.logs import LogPane

from .conftest import screen_text, settle
from .fakes import FailingPoller, healthy, midnight_pager


async def test_midnight_pager_tells_the_story(make_app: Callable[..., Any]) -> None:
    app = make_app(midnight_pager())
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
    assert "orders-prod (a1b2c3d4e5)" in text
    assert "● LIVE 00:15:30" in text
    assert "152/min since 00:12" in text  # current 5XX value and onset
    assert "28.9s (timeout 29s)" in text  # latency against the integration timeout
    assert "0/4 healthy" in text and "Target.FailedHealthChecks" in text
    assert "◆ 00:10 RevokeSecurityGroupIngress" in text and "by alex" in text
    assert "2m before onset" in text
    assert "TG ✗" in text and "✗ TG: target-health: 0/4 targets healthy" in text
    # The verdict line, first under the header: suspect, confidence, evidence, the change.
    verdict = text.splitlines()[1:3]
    assert "suspect sg-blocks-nlb-targets" in verdict[0] and "because security-groups:" in verdict[0]
    assert "likely change RevokeSecurityGroupIngress sg-0ab12cd34ef56 by alex at 00:10" in verdict[1]
    # One line per request (verdict from the classifier), and the route summary's verdict.
    assert text.count("integration-timeout") == 9
    assert "GET /orders" in text and "504×8" in text  # the summary's status mix
    assert "504" in text


async def test_healthy_picture_has_no_alarm_signs(make_app: Callable[..., Any]) -> None:
    app = make_app(healthy())
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "4/4 healthy" in text
        assert "✗" not in text
        assert "since" not in text  # no onset
        assert "healthy no 5XX above the noise floor" in text  # the verdict line says so
        # Failures-only by default: no rows; `a` shows every request.
        assert app.screen.query_one(LogPane).query_one("DataTable").row_count == 0
        await pilot.press("a")
        assert app.screen.query_one(LogPane).query_one("DataTable").row_count == 8


async def test_failing_source_is_marked_and_others_carry_on(make_app: Callable[..., Any]) -> None:
    feed = midnight_pager()
    feed.pollers[3] = FailingPoller("changes", PermissionError("AccessDenied: cloudtrail:LookupEvents"))  # type: ignore[call-overload]
    app = make_app(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert app.state.sources["changes"].state == "denied"
        assert "trail denied" in text
        assert "0/4 healthy" in text  # the other sources still rendered
        assert any("changes: PermissionError" in str(n.message) for n in app._notifications)


async def test_poller_status_is_read_each_tick(make_app: Callable[..., Any]) -> None:
    """aws/ pollers emit SourceStatus only on change: the cockpit asks `status()` each tick."""
    from apigw_cockpit.model import SourceState, SourceStatus

    from .fakes import NOW
    from .fixtures import FakePoller

    class QuietPoller(FakePoller):
        def status(self) -> SourceStatus:
            return SourceStatus("changes", SourceState.THROTTLED, NOW, last_ok=NOW - 5, throttles=3)

    feed = midnight_pager()
    feed.pollers[3] = QuietPoller("changes", [])
    app = make_app(feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        assert app.state.sources["changes"].throttles == 3
        assert "trail throttled" in screen_text(app)

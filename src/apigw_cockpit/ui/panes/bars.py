"""Header (what am I looking at, is it live) and status bar (how fresh, what it costs)."""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.model import SourceState
from apigw_cockpit.ui.panes.route_summary import logging_off
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import Pane, ago, hms, same_drawing

_SHORT = {
    "metrics": "metrics",
    "logs": "logs",
    "access_logs": "access",
    "lambda_logs": "{lambda_} logs",  # λ, or "fn" under --ascii
    "flow_logs": "flow",
    "target_health": "health",
    "changes": "trail",
    "alarms": "alarms",
    "topology": "config",
}


def coarse_age(seconds: float, fresh: str) -> str:
    """Ages in steps (fresh, 15 s, 30 s, …, minutes) so the bar is not redrawn every second."""
    if seconds < 15:
        return fresh
    if seconds < 120:
        return f"{int(seconds // 15) * 15}s"
    return ago(seconds - seconds % 60)


class HeaderBar(Pane):
    """What am I looking at: API, stage, region, account, findings. Changes rarely."""

    AREAS = ("findings",)

    def __init__(self) -> None:
        super().__init__(id="header")

    def render(self) -> Content:
        s, v = self.state, self.view
        if s is None:
            return Content("")
        t = s.topology
        account = "************" if v.presenter else t.account
        # A "finding" on screen is something wrong: ok/unknown check results are not counted.
        n = sum(1 for f in s.findings if str(f.verdict) in ("error", "warn"))
        findings_style = "$error bold" if any(f.verdict == "error" for f in s.findings) else "$text-muted"
        wide = self.size.width >= 80  # at 80 columns the labels and account give way
        return Content.assemble(
            ("api: " if wide else "", "$text-muted"),
            (clean(t.api_name), "bold"),
            f" ({clean(t.api_id)})  ",
            ("stage: " if wide else "", "$text-muted"),
            (clean(t.stage.name), "bold"),
            f"  {t.region}  ",
            (f"acct {account}  " if account and wide else "", "$text-muted"),
            (f"{n} finding{'s' if n != 1 else ''}", findings_style),
        )


class LiveClock(Pane):
    """● LIVE 00:15:30 in its own small widget: the once-a-second redraw costs ~15 cells, not a line."""

    AREAS = ("pause",)
    ALWAYS = True
    LAYOUT = False

    def __init__(self) -> None:
        super().__init__(id="clock")
        self._last = ""

    def on_state(self) -> None:
        text = self._text()
        if text != self._last:
            # Its width is auto: LIVE -> "PAUSED at …" is longer and needs a layout pass, or it is cut.
            layout = len(text) != len(self._last)
            self._last = text
            self.refresh(layout=layout)

    def _text(self) -> str:
        if self.state is None:
            return ""
        if self.state.paused:  # when it stopped, not a clock that seems to run: "paused at 00:17:03"
            return f"{self.view.glyphs.live} PAUSED at {hms(self.state.paused_at or self.view.now)}"
        return f"{self.view.glyphs.live} LIVE {hms(self.view.now)}"

    def render(self) -> Content:
        paused = self.state is not None and self.state.paused
        return Content.styled(self._last or self._text(), "$warning bold" if paused else "$success bold")


class StatusBar(Pane):
    """Per-source freshness (age, stale/throttled/denied), meter cost, dropped lines."""

    AREAS = ("sources", "logs", "fix")  # and the meter: ALWAYS redraws compare it
    ALWAYS = True

    def __init__(self, meter_snapshot: object = None) -> None:
        super().__init__(id="status")
        self.meter: object = meter_snapshot
        self._last: Content | None = None

    def on_state(self) -> None:
        content = self._content()
        if not same_drawing(content, self._last):
            self._last = content
            self.refresh(layout=False)

    def _content(self) -> Content:
        s, v = self.state, self.view
        if s is None:
            return Content("")
        parts: list[str | tuple[str, str]] = []
        order = list(_SHORT)
        # Execution logging off is a fact of the stage (the topology), not of the poller: an
        # empty log group polled fine must not read as "logs ✓".
        no_logs = bool(logging_off(s.topology))
        for name, status in sorted(
            s.sources.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0])
        ):
            label = _SHORT.get(name, name).format(lambda_=v.glyphs.lambda_)
            fresh = s.last_fresh(name)
            age = v.now - fresh if fresh is not None else None
            if name in ("logs", "execution_logs") and no_logs:
                parts.append((f"{label} OFF", "$error bold reverse"))
            elif status.state in (SourceState.DENIED, SourceState.ERROR):
                parts.append((f"{label} {status.state.value}", "$error bold"))
            elif status.state == SourceState.THROTTLED:
                parts.append((f"{label} throttled", "$warning"))
            elif status.state == SourceState.CONNECTING:  # no data yet: not a tick, not "no failures"
                parts.append((f"{label} connecting", "$warning"))
            elif status.state == SourceState.STALE or (age is not None and age > 120):
                parts.append((f"{label} stale {ago(age or 0)}", "$warning"))
            elif status.note:  # e.g. Live Tail sampling: the source is fine but not complete
                parts.append((f"{label} {status.note.split(':')[0]}", "$warning"))
            elif age is None:
                parts.append((f"{label} {v.glyphs.ellipsis}", "$text-muted"))
            else:
                parts.append((f"{label} {coarse_age(age, self.view.glyphs.ok)}", "$text-muted"))
            parts.append(" ")
        cost = getattr(self.meter, "cost_per_hour_usd", None)
        if isinstance(cost, int | float):
            parts.append((f" API ${cost:.2f}/h", "$text-muted"))
        if s.fix_time is not None:
            parts.append((f"  fix @ {hms(s.fix_time)}", "$success"))
        return Content.assemble(*parts)

    def render(self) -> Content:
        return self._last if self._last is not None else self._content()

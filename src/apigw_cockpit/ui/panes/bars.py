"""Header (what am I looking at, is it live) and status bar (how fresh, what it costs)."""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.model import SourceState
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import Pane, ago, hms

_SHORT = {
    "metrics": "metrics",
    "logs": "logs",
    "target_health": "health",
    "changes": "trail",
    "alarms": "alarms",
}


class HeaderBar(Pane):
    AREAS = ("findings", "pause")
    ALWAYS = True

    def __init__(self, **kw: object) -> None:
        super().__init__(id="header")
        self._last: Content | None = None

    def on_state(self) -> None:
        content = self._content()
        if content != self._last:  # the clock only moves once a second: skip identical frames
            self._last = content
            self.refresh(layout=False)

    def _content(self) -> Content:
        s, v, g = self.state, self.view, self.view.glyphs
        if s is None:
            return Content("")
        t = s.topology
        account = "************" if v.presenter else t.account
        live = (f"{g.live} PAUSED", "$warning bold") if s.paused else (f"{g.live} LIVE", "$success bold")
        n = len(s.findings)
        findings_style = "$error bold" if any(f.verdict == "error" for f in s.findings) else "$text-muted"
        wide = self.size.width >= 100  # at 80 columns the labels and account give way to the clock
        return Content.assemble(
            ("api: " if wide else "", "$text-muted"),
            (clean(t.api_name), "bold"),
            f" ({clean(t.api_id)})  ",
            ("stage: " if wide else "", "$text-muted"),
            (clean(t.stage.name), "bold"),
            f"  {t.region}  ",
            (f"acct {account}  " if account and wide else "", "$text-muted"),
            live,
            f" {hms(v.now)}  ",
            (f"{n} finding{'s' if n != 1 else ''}", findings_style),
        )

    def render(self) -> Content:
        return self._last if self._last is not None else self._content()


class StatusBar(Pane):
    """Per-source freshness (age, stale/throttled/denied), meter cost, dropped lines."""

    AREAS = ("sources", "meter", "logs", "fix")
    ALWAYS = True

    def __init__(self, meter_snapshot: object = None) -> None:
        super().__init__(id="status")
        self.meter: object = meter_snapshot
        self._last: Content | None = None

    def on_state(self) -> None:
        content = self._content()
        if content != self._last:
            self._last = content
            self.refresh(layout=False)

    def _content(self) -> Content:
        s, v = self.state, self.view
        if s is None:
            return Content("")
        parts: list[str | tuple[str, str]] = []
        order = list(_SHORT)
        for name, status in sorted(
            s.sources.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0])
        ):
            label = _SHORT.get(name, name)
            age = v.now - status.last_ok if status.last_ok is not None else None
            if status.state in (SourceState.DENIED, SourceState.ERROR):
                parts.append((f"{label} {status.state.value}", "$error bold"))
            elif status.state == SourceState.THROTTLED:
                parts.append((f"{label} throttled", "$warning"))
            elif status.state == SourceState.STALE or (age is not None and age > 120):
                parts.append((f"{label} stale {ago(age or 0)}", "$warning"))
            elif age is None:
                parts.append((f"{label} …", "$text-muted"))
            else:
                parts.append((f"{label} {ago(age)}", "$text-muted"))
            parts.append(" ")
        cost = getattr(self.meter, "cost_per_hour_usd", None)
        if isinstance(cost, int | float):
            parts.append((f" API ${cost:.2f}/h", "$text-muted"))
        if s.fix_time is not None:
            parts.append((f"  fix @ {hms(s.fix_time)}", "$success"))
        return Content.assemble(*parts)

    def render(self) -> Content:
        return self._last if self._last is not None else self._content()

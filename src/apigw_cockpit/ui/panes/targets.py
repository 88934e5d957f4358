"""Target health per target group and AZ: target, state, reason code; "0/4 healthy" summary.

When the pane is too short for one line per target, each AZ becomes one line (its marks, the
healthy count and the reasons), so a small terminal still sees every target's state.
"""

from __future__ import annotations

from collections import defaultdict

from textual.content import Content

from apigw_cockpit.model import TargetHealth
from apigw_cockpit.ui.panes.full_text import FullTextPane
from apigw_cockpit.ui.sanitize import clean


class TargetGrid(FullTextPane):
    AREAS = ("targets",)

    def __init__(self) -> None:
        super().__init__(id="targets", classes="pane")
        self.border_title = "targets"

    def on_resize(self) -> None:
        self.refresh()  # one line per target or per AZ depends on the height

    def lines_wanted(self) -> int:
        """Lines for one line per target (the screen's layout asks before sizing the pane)."""
        s = self.state
        if s is None or not s.targets:
            return 1
        return len(s.targets) + len({th.target_group_arn for th in s.targets})

    def lines_compact(self) -> int:
        """Lines for one line per target group and AZ."""
        s = self.state
        if s is None or not s.targets:
            return 1
        groups = {th.target_group_arn for th in s.targets}
        return len(groups) + len({(th.target_group_arn, th.az or "?") for th in s.targets})

    def render(self) -> Content:
        s = self.state
        if s is None:
            return Content("")
        if not s.targets:
            tgs = s.topology.target_groups()
            return Content.styled(
                "no target groups" if not tgs else f"waiting for target health{self.view.glyphs.ellipsis}",
                "$text-muted",
            )
        g = self.view.glyphs
        names = {tg.arn: tg.name for tg in s.topology.target_groups()}
        by_tg: dict[str, list[TargetHealth]] = defaultdict(list)
        for th in s.targets:
            by_tg[th.target_group_arn].append(th)
        parts: list[str | tuple[str, str]] = []
        for arn, rows in by_tg.items():
            healthy = sum(1 for r in rows if r.state == "healthy")
            style = "$success" if healthy == len(rows) else ("$error bold" if healthy == 0 else "$warning")
            icons = "".join(g.ok if r.state == "healthy" else g.bad for r in rows)
            tg_name = names.get(arn, arn.rsplit("/", 2)[-2] if "/" in arn else arn)
            parts += [(f"{clean(tg_name)} ", "bold"), (f"{icons} {healthy}/{len(rows)} healthy", style)]
            by_az: dict[str, list[TargetHealth]] = defaultdict(list)
            for r in rows:
                by_az[r.az or "?"].append(r)
            per_target = (self.size.height or 99) >= self.lines_wanted()
            for az, az_rows in sorted(by_az.items()):
                if not per_target:
                    parts += self._az_line(az, az_rows)
                    continue
                for r in az_rows:
                    ok = r.state == "healthy"
                    target = clean(r.target_id, presenter=self.view.presenter)
                    parts.append(f"\n{az[-2:]:>3} ")
                    parts.append((g.ok if ok else g.bad, "$success" if ok else "$error"))
                    parts.append(f" {target}:{r.port} ")
                    parts.append((r.state, "$success" if ok else "$error"))
                    if r.reason:
                        parts.append((f" {clean(r.reason)}", "$text-muted"))
        return Content.assemble(*parts)

    def _az_line(self, az: str, rows: list[TargetHealth]) -> list[str | tuple[str, str]]:
        g = self.view.glyphs
        healthy = sum(1 for r in rows if r.state == "healthy")
        reasons = sorted({clean(r.reason) for r in rows if r.reason})
        style = "$success" if healthy == len(rows) else "$error"
        marks = "".join(g.ok if r.state == "healthy" else g.bad for r in rows)
        return [
            f"\n{az[-2:]:>3} ",
            (f"{marks} {healthy}/{len(rows)}", style),
            (f" {', '.join(reasons)}" if reasons else "", "$text-muted"),
        ]

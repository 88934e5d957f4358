"""Target health per target group and AZ: target, state, reason code; "0/4 healthy" summary."""

from __future__ import annotations

from collections import defaultdict

from textual.content import Content

from apigw_cockpit.model import TargetHealth
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import Pane


class TargetGrid(Pane):
    AREAS = ("targets",)

    def __init__(self) -> None:
        super().__init__(id="targets", classes="pane")
        self.border_title = "targets"

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
            for az, az_rows in sorted(by_az.items()):
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

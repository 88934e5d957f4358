"""Under the targets: the verdict in one line, the walkthrough's next step and the fix direction.

All of it is the engine's result (the headline, the walkthrough's current step, the fix of the
top hypothesis' error findings); the pane only words it, so it cannot disagree with `c` or `w`.
"""

from __future__ import annotations

from textual.content import Content

from apigw_cockpit.diagnose.walkthrough import current
from apigw_cockpit.model import Verdict
from apigw_cockpit.ui.sanitize import clean
from apigw_cockpit.ui.view import Pane


class NextStep(Pane):
    AREAS = ("headline", "findings", "diagnosis")

    def __init__(self) -> None:
        super().__init__(id="next", classes="pane")
        self.border_title = "verdict and next step"

    def render(self) -> Content:
        s = self.state
        result = s.result if s is not None else None
        if result is None:
            return Content.styled("diagnosing... (the first answer comes with the first data)", "$text-muted")
        h = result.headline
        presenter = self.view.presenter
        parts: list[str | tuple[str, str]] = []
        if h.healthy:
            parts += [("healthy", "$success bold"), ("  no 5XX to explain", "$text-muted")]
        elif h.root_cause is None:
            parts += [("unexplained 5XX", "$error bold"), ("  read the checks (c)", "$text-muted")]
        else:
            parts += [(h.root_cause, "$error bold"), (f" {h.confidence:.0%}", "bold")]
        fix = ""
        if h.root_cause and not h.healthy:
            # The fix of the check whose evidence decided the verdict ("security-groups: …"),
            # else of the first error finding that names the suspect root cause.
            deciding = h.evidence.split(":", 1)[0]
            candidates = [
                f
                for f in result.diagnosis.findings
                if f.verdict == Verdict.ERROR and h.root_cause in f.root_causes and f.fix
            ]
            chosen = next((f for f in candidates if f.check_id == deciding), None)
            chosen = chosen or (candidates[0] if candidates else None)
            fix = chosen.fix if chosen else ""
        if fix:
            parts += [("\nfix ", "$success bold"), clean(fix, presenter=presenter)]
        step = current(result.diagnosis.walkthrough)
        if step is not None:
            parts += [
                ("\nnext ", "$accent bold"),
                (clean(step.title), "bold"),
                ("  w walkthrough", "$text-muted"),
            ]
            if step.look_at:
                parts += [("\n     ", ""), (clean(step.look_at, presenter=presenter), "$text-muted")]
        return Content.assemble(*parts)

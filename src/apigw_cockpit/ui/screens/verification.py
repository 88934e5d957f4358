"""The verification checklist V1–V6, with the probes that only a person should start.

V2–V4 are judged from the signals the cockpit already has. V1 (one request through the invoke
URL) and V6 (a bounded load test, loopback unless `verify --allow-remote-load`) send traffic, and
V5 (TestInvokeMethod) really calls the backend: they run on a key, V5 only after a yes.
The route is the one failing most (diagnose.probe_choice: never a MOCK, safe methods only);
`R` picks another, and a non-idempotent one is sent only after a yes.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from apigw_cockpit.diagnose.probe_choice import SAFE_METHODS, ProbeChoice, SampleRequest, choose_probe
from apigw_cockpit.ui.feed import probes_of
from apigw_cockpit.ui.screens.info import InfoScreen
from apigw_cockpit.ui.state import CockpitState
from apigw_cockpit.ui.view import cockpit_of, glyphs_of

# Bounded on purpose: a verification, not a stress test (the cockpit is an incident tool).
LOAD_REQUESTS = 100
LOAD_RATE_PER_S = 20.0
LOAD_CONCURRENCY = 10


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no before something that touches the customer's backend."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", tooltip="go ahead", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", tooltip="do nothing", id="confirm_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="pane confirm"):
            yield Static(self.question)
            yield Static(f"y yes {glyphs_of(self.app).sep} n no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class VerificationScreen(InfoScreen):
    BINDINGS = [
        Binding(
            "P",
            "run_probes",
            "Run V1+V6",
            tooltip="one request through the invoke URL, then a bounded load test",
            id="verify_probes",
        ),
        Binding(
            "T",
            "test_invoke",
            "V5 TestInvoke",
            tooltip="TestInvokeMethod on the route (calls the backend; asks first)",
            id="verify_test_invoke",
        ),
        Binding("R", "next_route", "Route", tooltip="pick the route the probes use", id="verify_route"),
    ]
    SENDS = frozenset({"run_probes", "test_invoke"})  # send traffic: not offered to read-only viewers

    def __init__(self) -> None:
        super().__init__("verify", "verification")
        self.route = ""  # "" = the route failing most; else "METHOD /path" picked with R
        self.unsafe_ok = False  # the user said yes to a non-idempotent route

    def compose(self) -> ComposeResult:
        yield from super().compose()
        bar = ProgressBar(id="load-progress", show_eta=False)
        bar.display = False
        yield bar

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SENDS:
            # Viewers of a shared screen (serve --read-only) must not send traffic.
            return not cockpit_of(self).settings.read_only and probes_of(cockpit_of(self).feed) is not None
        return True

    def _target(self) -> tuple[CockpitState, ProbeChoice]:
        state = cockpit_of(self).state
        obs = state.snapshot(cockpit_of(self).clock.now())
        samples = {
            route: SampleRequest(
                str(r.get("path", "")), str(r.get("query", "")),
                tuple(dict(r.get("headers", {})).items()), str(r.get("body", "")),
            )
            for route, r in dict(cockpit_of(self).settings.sample_requests or {}).items()
        }  # fmt: skip
        choice = choose_probe(obs, route=self.route, allow_unsafe=self.unsafe_ok, samples=samples)
        return state, choice

    def action_next_route(self) -> None:
        """Cycle: the route failing most (auto), then every route with a backend integration."""
        state = cockpit_of(self).state
        routes = [
            f"{m.http_method} {r.path}"
            for r, m in state.topology.methods()
            if m.integration is not None and m.integration.type != "MOCK" and m.http_method != "OPTIONS"
        ]
        cycle = ["", *routes]
        self.route = cycle[(cycle.index(self.route) + 1) % len(cycle)] if self.route in cycle else ""
        self.unsafe_ok = False
        _, choice = self._target()
        self.notify(choice.note if not choice.refused else f"{self.route}: {choice.refused}", title="route")

    def action_run_probes(self) -> None:
        _, choice = self._target()
        method = self.route.split()[0] if self.route else ""
        if choice.refused and method and method not in SAFE_METHODS and not self.unsafe_ok:
            question = f"{self.route} is not idempotent: it may write to production.\nSend it anyway?"
            self.app.push_screen(ConfirmScreen(question), self._unsafe_confirmed)
            return
        self._run_probes()

    def _unsafe_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.unsafe_ok = True
            self._run_probes()

    @work(exclusive=True, group="verify-probes", exit_on_error=False)
    async def _run_probes(self) -> None:
        probes = probes_of(cockpit_of(self).feed)
        if probes is None:
            return
        _state, choice = self._target()
        if choice.refused:
            self.notify(choice.refused, title="verify", severity="warning")
            return
        method, path, note = choice.method, choice.path_with_query, choice.note
        headers, body = dict(choice.headers), choice.body.encode() if choice.body else None
        self.notify(f"V1: {note}", title="verify")
        cockpit_of(self).add_probe(
            await probes.invoke_url(path, method, headers=headers, body=body, note=note)
        )
        self.sync()
        bar = self.query_one("#load-progress", ProgressBar)
        bar.update(total=LOAD_REQUESTS, progress=0)
        bar.display = True
        result = await probes.load_test(
            path,
            method,
            concurrency=LOAD_CONCURRENCY,
            rate_per_s=LOAD_RATE_PER_S,
            duration_s=LOAD_REQUESTS / LOAD_RATE_PER_S,
            max_requests=LOAD_REQUESTS,
            on_progress=lambda done, total: bar.update(total=total, progress=done),
            headers=headers,
            body=body,
            note=note,
        )
        cockpit_of(self).add_probe(result)
        bar.display = False
        self.sync()
        self.notify(
            f"V6: {result.requests} requests, {result.error_rate:.0%} errors, "
            f"p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms {result.aborted}".strip(),
            title="load test",
        )

    def action_test_invoke(self) -> None:
        _, choice = self._target()
        if choice.refused or not choice.resource_id:
            self.notify(choice.refused or "no method to test", severity="warning")
            return
        question = (
            f"TestInvokeMethod {choice.method} {choice.path_with_query} calls your backend for real"
            f" (it skips the VPC link).\n{choice.why}\nRun it?"
        )
        self.app.push_screen(ConfirmScreen(question), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if yes:
            self._run_test_invoke()

    @work(exclusive=True, group="verify-test-invoke", exit_on_error=False)
    async def _run_test_invoke(self) -> None:
        probes = probes_of(cockpit_of(self).feed)
        if probes is None:
            return
        _state, c = self._target()
        result = await probes.test_invoke(
            c.resource_id, c.method, confirmed=True, path_with_query=c.path_with_query, body=c.body,
            headers=dict(c.headers), note=c.note,
        )  # fmt: skip
        cockpit_of(self).add_probe(result)
        self.sync()
        self.notify(f"V5: TestInvokeMethod returned {result.status}", title="verify")

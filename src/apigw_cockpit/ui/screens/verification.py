"""The verification checklist V1–V6, with the probes that only a person should start.

V2–V4 are judged from the signals the cockpit already has. V1 (one request through the invoke
URL) and V6 (a bounded load test, loopback unless `verify --allow-remote-load`) send traffic, and
V5 (TestInvokeMethod) really calls the backend: they run on a key, V5 only after a yes.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from apigw_cockpit.diagnose.verification import probe_target
from apigw_cockpit.ui.feed import probes_of
from apigw_cockpit.ui.screens.info import InfoScreen

# Bounded on purpose: a verification, not a stress test (the cockpit is an incident tool).
LOAD_REQUESTS = 100
LOAD_RATE_PER_S = 20.0
LOAD_CONCURRENCY = 10


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no before something that touches the customer's backend."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="pane confirm"):
            yield Static(self.question)
            yield Static("y yes · n no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class VerificationScreen(InfoScreen):
    BINDINGS = [
        Binding("P", "run_probes", "Run V1+V6", id="verify_probes"),
        Binding("T", "test_invoke", "V5 TestInvoke", id="verify_test_invoke"),
    ]

    def __init__(self) -> None:
        super().__init__("verify", "verification")

    def compose(self) -> ComposeResult:
        yield from super().compose()
        bar = ProgressBar(id="load-progress", show_eta=False)
        bar.display = False
        yield bar

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run_probes", "test_invoke"):
            # Viewers of a shared screen (serve --read-only) must not send traffic.
            return not self.app.settings.read_only and probes_of(self.app.feed) is not None  # type: ignore[attr-defined]
        return True

    def _target(self) -> tuple[str, str, str]:
        return probe_target(self.app.state.topology)  # type: ignore[attr-defined]

    @work(exclusive=True, group="verify-probes", exit_on_error=False)
    async def action_run_probes(self) -> None:
        probes = probes_of(self.app.feed)  # type: ignore[attr-defined]
        if probes is None:
            return
        _, method, path = self._target()
        self.notify(f"V1: {method} {path} through the invoke URL…", title="verify")
        self.app.add_probe(await probes.invoke_url(path, method))  # type: ignore[attr-defined]
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
        )
        self.app.add_probe(result)  # type: ignore[attr-defined]
        bar.display = False
        self.sync()
        self.notify(
            f"V6: {result.requests} requests, {result.error_rate:.0%} errors, "
            f"p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms {result.aborted}".strip(),
            title="load test",
        )

    def action_test_invoke(self) -> None:
        rid, method, path = self._target()
        if not rid:
            self.notify("no method to test", severity="warning")
            return
        question = (
            f"TestInvokeMethod {method} {path} calls your backend for real (it skips the VPC link).\nRun it?"
        )
        self.app.push_screen(ConfirmScreen(question), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if yes:
            self._run_test_invoke()

    @work(exclusive=True, group="verify-test-invoke", exit_on_error=False)
    async def _run_test_invoke(self) -> None:
        probes = probes_of(self.app.feed)  # type: ignore[attr-defined]
        if probes is None:
            return
        rid, method, _ = self._target()
        result = await probes.test_invoke(rid, method, confirmed=True)
        self.app.add_probe(result)  # type: ignore[attr-defined]
        self.sync()
        self.notify(f"V5: TestInvokeMethod returned {result.status}", title="verify")

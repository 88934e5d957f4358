"""Answer AWS calls made through the project's own clients with answers drawn from botocore's shapes.

Where we answer: botocore's `before-call` event. By then the call has gone through the whole
client stack up to the wire: our guard and meter handlers, parameter validation against the
input shape, endpoint resolution and request serialisation. A handler that returns
`(http_response, parsed)` there replaces only the HTTP round trip and the response parser,
and botocore then runs `after-call` (our meter) and raises the modelled `ClientError` for a
status >= 300 exactly as it does for a real error answer. We answer in parsed form rather
than as wire bytes because parsing is botocore's own tested code, while what our code must
survive is the *parsed* shape; generating parsed values straight from the output shape also
works for every protocol alike (rest-json, json, query, ec2, smithy-rpc-v2-cbor) without a
serializer of our own that could share our assumptions. A `before-send` handler makes sure
nothing ever reaches the network.

Pagination: for every operation with a botocore paginator, the responder may split its
answer over up to `MAX_PAGES` pages using the operation's real token member (`NextToken`,
`position`, `NextMarker`, IAM's `Marker` + `IsTruncated`) and remembers each token it handed
out. `unfollowed()` lists the tokens the code never came back with: a one-page read.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

from botocore.awsrequest import AWSResponse
from hypothesis import strategies as st

from . import paging, shapes

MAX_PAGES = 3
# Error answers a part may get (never the credential codes: those fail the whole run by design).
ERRORS = [
    ("AccessDeniedException", 403),
    ("AccessDenied", 403),
    ("UnauthorizedOperation", 403),
    ("ThrottlingException", 400),
    ("InternalFailure", 500),
    ("ServiceUnavailable", 503),
    ("ResourceNotFoundException", 404),
    ("ValidationError", 400),
]
PARAMS_KEY = "conformance_api_params"

Draw = Callable[[st.SearchStrategy[Any]], Any]

_OUTPUTS: dict[tuple[str, str], st.SearchStrategy[dict[str, Any]]] = {}


def output(service: str, op: str) -> st.SearchStrategy[dict[str, Any]]:
    key = (service, op)
    if key not in _OUTPUTS:
        _OUTPUTS[key] = shapes.output_strategy(service, op)
    return _OUTPUTS[key]


def _echo(service: str, op: str, params: dict[str, Any], body: dict[str, Any], draw: Draw) -> None:
    """Members AWS copies from the request: GetMetricData answers with the query Ids it was sent."""
    if (service, op) == ("cloudwatch", "GetMetricData"):
        ids = [q["Id"] for q in params.get("MetricDataQueries", [])]
        for r in body.get("MetricDataResults", []):
            r["Id"] = draw(st.sampled_from(ids)) if ids else r.get("Id", "")


class _Stream:
    """An event stream answer (StartLiveTail): async-iterable, ends after the drawn events."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        self._events = events

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._gen()

    async def _gen(self) -> AsyncIterator[dict[str, Any]]:
        for e in self._events:
            yield e


class Responder:
    """One per test run; `reset(draw)` per generated example."""

    def __init__(self) -> None:
        self.cases: Counter[str] = Counter()  # generated answers per operation, whole run
        self.draw: Draw | None = None
        self.errors = False
        self.pages = True
        self.calls: list[tuple[str, str]] = []
        self.served: Counter[tuple[str, str]] = Counter()  # items answered per paginated call
        self.failed: list[tuple[str, str, str]] = []  # (service, op, error code) answered
        self.issued: dict[str, tuple[str, str]] = {}
        self._left: dict[str, int] = {}
        self._n = 0
        self.clients = 0
        self.fixed: dict[tuple[str, str], dict[str, Any]] | None = None

    def reset(
        self,
        draw: Draw | None,
        *,
        errors: bool = False,
        pages: bool = True,
        fixed: dict[tuple[str, str], dict[str, Any]] | None = None,
    ) -> None:
        """`fixed`: answer from these published examples instead (an operation without an
        example gets ResourceNotFoundException, so the run shows which part lacked one)."""
        self.draw, self.errors, self.pages, self.fixed = draw, errors, pages, fixed
        self.calls, self.failed = [], []
        self.served = Counter()
        self.issued, self._left = {}, {}

    def unfollowed(self) -> list[tuple[str, str]]:
        return sorted(set(self.issued.values()))

    def install(self, client: Any) -> None:
        self.clients += 1
        events = client.meta.events
        events.register_last("before-parameter-build.*.*", self._stash, unique_id="conformance-params")
        events.register_last("before-call.*.*", self._answer, unique_id="conformance-answer")
        events.register_first("before-send.*.*", self._no_network, unique_id="conformance-no-network")

    # -- handlers --------------------------------------------------------------------------
    @staticmethod
    def _stash(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[PARAMS_KEY] = dict(params)

    @staticmethod
    def _no_network(request: Any, **_: Any) -> None:
        raise AssertionError(f"conformance: a request reached the network: {request.url}")

    def _answer(self, model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, Any]:
        service = model.service_model.service_name
        op = model.name
        self.calls.append((service, op))
        if self.fixed is not None:
            return self._example(model, service, op)
        assert self.draw is not None, "responder used outside an example"
        draw = self.draw
        params: dict[str, Any] = context.get(PARAMS_KEY, {})
        self.cases[f"{service}:{op}"] += 1
        pg = paging.paging(service, op)
        token = params.get(pg.input_token) if pg else None
        if token is not None:
            assert token in self.issued or token in self._left, f"{op}: token we never issued: {token!r}"
            self.issued.pop(token, None)
        if self.errors and draw(st.integers(0, 7)) == 0:
            code, status = draw(st.sampled_from(ERRORS))
            self.failed.append((service, op, code))
            # The query that failed ends here; its token is not a one-page read.
            self.issued = {t: v for t, v in self.issued.items() if v != (service, op)}
            parsed = {
                "Error": {"Code": code, "Message": f"generated {code}"},
                "ResponseMetadata": {"HTTPStatusCode": status},
            }
            return AWSResponse("http://127.0.0.1:9/conformance", status, {}, None), parsed
        body: dict[str, Any] = dict(draw(output(service, op)))
        _echo(service, op, params, body, draw)
        if pg is not None:
            self.served[(service, op)] += len(body.get(pg.result_key) or [])
            left = self._left.pop(token, None) if token else None
            if left is None:
                left = draw(st.integers(0, MAX_PAGES - 1)) if self.pages else 0
            if left > 0:
                self._n += 1
                nxt = f"{op}-page-{self._n}"
                body[pg.output_token] = nxt
                if pg.more_results:
                    body[pg.more_results] = True
                self.issued[nxt] = (service, op)
                self._left[nxt] = left - 1
            elif pg.more_results:
                body[pg.more_results] = False
        out = model.output_shape
        if out is not None:
            for name, member in out.members.items():
                if member.serialization.get("eventstream"):
                    events = draw(st.lists(shapes.event_strategy(service, op), max_size=3))
                    body[name] = _Stream(events)
        body["ResponseMetadata"] = {"HTTPStatusCode": 200, "RequestId": "conformance"}
        return AWSResponse("http://127.0.0.1:9/conformance", 200, {}, None), body

    def _example(self, model: Any, service: str, op: str) -> tuple[AWSResponse, Any]:
        assert self.fixed is not None
        example = self.fixed.get((service, op))
        if example is None:
            self.failed.append((service, op, "ResourceNotFoundException"))
            parsed = {
                "Error": {"Code": "ResourceNotFoundException", "Message": f"no published example for {op}"},
                "ResponseMetadata": {"HTTPStatusCode": 404},
            }
            return AWSResponse("http://127.0.0.1:9/conformance", 404, {}, None), parsed
        body = dict(shapes.parsed_form(model.output_shape, copy.deepcopy(example)))
        body["ResponseMetadata"] = {"HTTPStatusCode": 200, "RequestId": "example"}
        return AWSResponse("http://127.0.0.1:9/conformance", 200, {}, None), body

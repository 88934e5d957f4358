"""Whatever the signals look like, the diagnosis answers (no exception, confidences in [0, 1])."""

from __future__ import annotations

from dataclasses import replace

from diagnose_world import T0, obs, series, vpc_topology
from hypothesis import given, settings
from hypothesis import strategies as st

from apigw_cockpit.diagnose import ROOT_CAUSES, diagnose
from apigw_cockpit.model import RequestTrace

_line = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "Execution failed due to a timeout error",
            "Method completed with status: 502",
            "Successfully completed execution",
            "Received response. Integration latency: 12 ms",
            "HTTP Method: OPTIONS, Resource Path: /orders",
        ]
    ),
)
_values = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), max_size=90)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_line, max_size=6), max_size=8),
    _values,
    _values,
    st.one_of(st.none(), st.floats(min_value=T0 - 1e4, max_value=T0 + 1e4)),
)
def test_diagnosis_never_raises(
    traces: list[list[str]], five: list[float], p99: list[float], fix: float | None
) -> None:
    o = obs(
        vpc_topology(),
        traces=tuple(RequestTrace(f"r{i}", T0 + i, tuple(lines)) for i, lines in enumerate(traces)),
        metrics=(series("5XXError", five), series("IntegrationLatency", p99, stat="p99")),
    )
    d = diagnose(replace(o, fix_time=fix))
    assert len(d.findings) == 20
    assert all(f.why.startswith("internal error") is False for f in d.findings), [
        f.summary for f in d.findings if f.why.startswith("internal error")
    ]
    for h in d.hypotheses:
        assert h.root_cause in ROOT_CAUSES and 0.0 <= h.confidence <= 1.0
    assert {s.status for s in d.verification} <= {"pass", "fail", "pending"}

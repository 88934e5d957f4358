"""botocore's models cut to the allowlist (aws/models.py): every operation we may call is still
there, whole, and nothing else is (issue 17: a third of `watch`'s heap was unused models)."""

from __future__ import annotations

import botocore.loaders
import pytest
from botocore.model import ServiceModel

from apigw_cockpit.aws.guard import ALLOWLIST
from apigw_cockpit.aws.models import ENDPOINT_PREFIX, callable_operations, cockpit_loader
from apigw_cockpit.aws.untyped import Raw

SERVICES = sorted(ALLOWLIST.actions)


def _refs(shape: Raw) -> list[str]:
    refs = [*(shape.get(k) for k in ("member", "key", "value")), *shape.get("members", {}).values()]
    return [r["shape"] for r in refs if r and "shape" in r]


@pytest.mark.parametrize("service", SERVICES)
def test_a_cut_model_has_exactly_the_allowed_operations_and_every_shape_they_reach(service: str) -> None:
    full = botocore.loaders.create_loader().load_service_model(service, "service-2")
    cut = cockpit_loader(None).load_service_model(service, "service-2")
    wanted = callable_operations(ALLOWLIST, service)
    assert set(cut["operations"]) == wanted & set(full["operations"]) == wanted
    assert len(cut["shapes"]) < len(full["shapes"])
    for name, shape in cut["shapes"].items():
        assert all(ref in cut["shapes"] for ref in _refs(shape)), name
    model = ServiceModel(cut, service)
    for op in wanted:
        om = model.operation_model(op)
        # The wire format is intact: the same members, locations and protocol names.
        fm = ServiceModel(full, service).operation_model(op)
        for a, b in ((om.input_shape, fm.input_shape), (om.output_shape, fm.output_shape)):
            assert (a is None) == (b is None)
            if a is not None and b is not None:
                assert a.members.keys() == b.members.keys()
                assert [m.serialization for m in a.members.values()] == [
                    m.serialization for m in b.members.values()
                ]
        assert [e.name for e in om.error_shapes] == [e.name for e in fm.error_shapes]


@pytest.mark.parametrize("service", SERVICES)
def test_the_endpoint_prefix_table_matches_botocore(service: str) -> None:
    model = botocore.loaders.create_loader().load_service_model(service, "service-2")
    assert ENDPOINT_PREFIX[service] == model["metadata"]["endpointPrefix"]


def test_endpoints_keep_our_services_in_every_partition() -> None:
    data = cockpit_loader(None).load_data("endpoints")
    prefixes = set(ENDPOINT_PREFIX.values())
    aws = next(p for p in data["partitions"] if p["partition"] == "aws")
    assert set(aws["services"]) == prefixes
    assert all(set(p["services"]) <= prefixes for p in data["partitions"])

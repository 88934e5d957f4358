"""botocore's data, cut to what the cockpit can call: a third of `watch`'s heap otherwise.

botocore loads a service's whole API model for a client: ec2's alone is 807 operations and
4,266 shapes, about 14 MB of Python objects, for the six describe calls we make; the ten
services' models are ~27 MB and endpoints.json (every service in every partition) 7 MB more
(tracemalloc, issue 17). The guard refuses every operation not on the allowlist anyway, so the
loader keeps only those operations and the shapes they reach, without their documentation,
and only our services' entries of endpoints.json. The models are cut in place, so botocore's
own cache holds the small version.
"""

from __future__ import annotations

import os

from botocore.loaders import Loader

from apigw_cockpit.aws.guard import ALLOWLIST, Allowlist
from apigw_cockpit.aws.untyped import Raw

# The endpoints.json key of each allowlisted service (its model's metadata.endpointPrefix;
# tests/aws/test_models.py checks this against botocore).
ENDPOINT_PREFIX = {
    "apigateway": "apigateway",
    "apigatewayv2": "apigateway",
    "cloudwatch": "monitoring",
    "logs": "logs",
    "elbv2": "elasticloadbalancing",
    "ec2": "ec2",
    "lambda": "lambda",
    "iam": "iam",
    "cloudtrail": "cloudtrail",
    "sts": "sts",
}


def callable_operations(allowlist: Allowlist, service: str) -> set[str]:
    return set(allowlist.actions.get(service, {})) | set(allowlist.opt_in.get(service, {}))


def prune_service_model(model: Raw, keep: set[str]) -> None:
    """Keep the operations in `keep` and the shapes they reach (input, output, errors), in place."""
    operations = {name: op for name, op in model.get("operations", {}).items() if name in keep}
    shapes = model.get("shapes", {})
    reached: set[str] = set()
    todo = [
        ref["shape"]
        for op in operations.values()
        for ref in (op.get("input"), op.get("output"), *op.get("errors", ()))
        if ref and "shape" in ref
    ]
    while todo:
        name = todo.pop()
        if name in reached or name not in shapes:
            continue
        reached.add(name)
        shape = shapes[name]
        refs = [shape.get(k) for k in ("member", "key", "value")]
        refs += list(shape.get("members", {}).values())
        todo += [ref["shape"] for ref in refs if ref and "shape" in ref]
    for op in operations.values():
        op.pop("documentation", None)
        op.pop("documentationUrl", None)
    kept = {name: shapes[name] for name in reached}
    for shape in kept.values():
        shape.pop("documentation", None)
        for member in shape.get("members", {}).values():
            member.pop("documentation", None)
    model["operations"] = operations
    model["shapes"] = kept
    model.get("metadata", {}).pop("documentation", None)
    model.pop("documentation", None)


def prune_endpoints(endpoints: Raw, prefixes: set[str]) -> None:
    for partition in endpoints.get("partitions", ()):
        services = partition.get("services", {})
        partition["services"] = {k: v for k, v in services.items() if k in prefixes}


class CockpitLoader(Loader):  # type: ignore[misc]  # botocore is untyped
    """A botocore Loader whose service models and endpoints are cut to the allowlist."""

    def __init__(self, extra_search_paths: list[str], allowlist: Allowlist = ALLOWLIST) -> None:
        super().__init__(extra_search_paths=extra_search_paths)
        self._allowlist = allowlist
        self._pruned: set[int] = set()

    def load_service_model(self, service_name: str, type_name: str, api_version: str | None = None) -> Raw:
        model: Raw = super().load_service_model(service_name, type_name, api_version)
        # The base class caches the dict it returns: cut it once, and the cache holds the cut one.
        if (
            type_name == "service-2"
            and id(model) not in self._pruned
            and service_name in self._allowlist.actions
        ):
            prune_service_model(model, callable_operations(self._allowlist, service_name))
            self._pruned.add(id(model))
        return model

    def load_data_with_path(self, name: str) -> tuple[Raw, str]:
        data, path = super().load_data_with_path(name)
        if name == "endpoints" and id(data) not in self._pruned:
            prune_endpoints(
                data, {ENDPOINT_PREFIX[s] for s in self._allowlist.actions if s in ENDPOINT_PREFIX}
            )
            self._pruned.add(id(data))
        return data, path


def cockpit_loader(data_path: str | None) -> CockpitLoader:
    """Like botocore.loaders.create_loader (AWS_DATA_PATH is still honoured)."""
    paths = [] if not data_path else [os.path.expanduser(p) for p in data_path.split(os.pathsep)]
    return CockpitLoader(paths)

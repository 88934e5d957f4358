"""The boto boundary, named: aiobotocore and botocore ship no type information, so a client and
the dicts it answers with are `Any` to mypy. aws/ says which values are raw with these names and
turns them into the typed model (apigw_cockpit.model) before anything leaves the layer."""

from __future__ import annotations

from typing import Any

Client = Any  # an aiobotocore client: its methods and their answers are untyped
Raw = dict[str, Any]  # a parsed botocore answer, or one item of one (a stage, a route, a rule)

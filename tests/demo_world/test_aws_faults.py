"""`[[aws_faults]]` in a scenario: checked against botocore's models when the file loads, and
applied by the simulated account from t=0 (the mirror's own seeding is not affected)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from apigw_cockpit.demo.world import ScenarioError, load_scenario

NOW = 1_750_000_000.0
HEAD = 'id = "f"\ntitle = "t"\nstory = "s"\nroot_cause = "none"\ntopology = "serverless-shop"\n'


def _load(tmp_path: Path, faults: str) -> object:
    p = tmp_path / "f.toml"
    p.write_text(HEAD + faults)
    return load_scenario(str(p), now=NOW)


def test_faults_parse_with_their_count(tmp_path: Path) -> None:
    s = _load(
        tmp_path,
        '[[aws_faults]]\noperation = "LookupEvents"\nkind = "denied"\n'
        '[[aws_faults]]\noperation = "FilterLogEvents"\nkind = "throttle"\ncount = 3\n',
    )
    got = [(f.operation, f.kind, f.count) for f in s.aws_faults]  # type: ignore[attr-defined]
    assert got == [("LookupEvents", "denied", None), ("FilterLogEvents", "throttle", 3)]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('operation = "LookupEvent"\nkind = "denied"', "aws_faults[0].operation"),  # a typo
        ('operation = "LookupEvents"\nkind = "broken"', "aws_faults[0].kind"),
        ('operation = "LookupEvents"\nkind = "latency"', "aws_faults[0].kind"),  # needs seconds
        ('operation = "LookupEvents"\nkind = "denied"\ncount = 0', "aws_faults[0].count"),
        ('operation = "LookupEvents"\nkind = "denied"\ncount = true', "aws_faults[0].count"),
        ('operation = "LookupEvents"\nkind = "denied"\nwhen = "-5m"', "aws_faults[0]"),
    ],
)
def test_bad_faults_fail_loudly_naming_the_key(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ScenarioError) as e:
        _load(tmp_path, "[[aws_faults]]\n" + body + "\n")
    assert e.value.key == key


@pytest.mark.sim
def test_denied_lookup_events_from_the_scenario(sim_factory, aws_env) -> None:  # type: ignore[no-untyped-def]
    with sim_factory("shop-search-raises-trail-denied", frozen=True) as sim:
        ct = boto3.client("cloudtrail", endpoint_url=sim.endpoint_url, region_name=sim.region)
        with pytest.raises(ClientError) as e:
            ct.lookup_events(MaxResults=5)
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"
        lam = boto3.client("lambda", endpoint_url=sim.endpoint_url, region_name=sim.region)
        assert "search-fn" in [f["FunctionName"] for f in lam.list_functions()["Functions"]]

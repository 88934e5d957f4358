"""The front door against the standalone simulated server (`python -m apigw_cockpit.demo.server`),
the real CLI in another process as a user runs it: `apis --json` lists the account's REST and
HTTP APIs worst first with their stages' 5XX, and `check --url` on the custom domain diagnoses
the API and stage the base path maps to."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from standalone import sim_env, standalone_server

pytestmark = [pytest.mark.e2e, pytest.mark.sim]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("home")
    env = {
        **sim_env(Path(home)),
        "XDG_STATE_HOME": str(Path(home) / "state"),
    }
    with standalone_server(env) as (_server, endpoint):
        yield {**env, "AWS_ENDPOINT_URL": endpoint}


def _cli(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apigw_cockpit", *argv], capture_output=True, text=True, timeout=180, env=env
    )


def test_apis_json_lists_rest_and_http_apis_worst_first(world: dict[str, str]) -> None:
    out = _cli(world, "apis", "--json")
    assert out.returncode == 0, out.stderr
    apis: list[dict[str, Any]] = json.loads(out.stdout)
    by_id = {a["id"]: a for a in apis}
    assert {a["api_type"] for a in apis} == {"rest", "http"}
    for a in apis:
        assert set(a) >= {"api_type", "id", "name", "stages"}
        for s in a["stages"]:
            assert set(s) >= {"name", "errors_5xx", "requests", "rate_5xx"}
    # The incident API is on fire and on top; the noisy HTTP neighbour has a few 5XX; the rest none.
    top = apis[0]
    assert (top["api_type"], top["id"], top["name"]) == ("rest", "a1b2c3d4e5", "orders-prod")
    [prod] = top["stages"]
    assert prod["name"] == "prod" and prod["errors_5xx"] > 0 and prod["requests"] >= prod["errors_5xx"]
    assert prod["rate_5xx"] == pytest.approx(prod["errors_5xx"] / prod["requests"], abs=1e-5)
    noisy = by_id["w3bh00ks01"]["stages"][0]
    assert by_id["w3bh00ks01"]["api_type"] == "http" and 0 < noisy["errors_5xx"] < prod["errors_5xx"]
    for quiet in ("inv3nt0ry1", "adm1np0rt1", "ch3ck0uth1"):
        assert all(s["errors_5xx"] == 0 and s["requests"] > 0 for s in by_id[quiet]["stages"]), quiet
    assert [s["name"] for s in by_id["ch3ck0uth1"]["stages"]] == ["$default"]
    assert sorted(s["name"] for s in by_id["inv3nt0ry1"]["stages"]) == ["prod", "staging"]
    # The text table: same order, one row per stage.
    text = _cli(world, "apis")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split()[:2] == ["TYPE", "API"] and "orders-prod" in lines[1]


def test_check_url_on_the_custom_domain_diagnoses_the_mapped_api(world: dict[str, str]) -> None:
    out = _cli(world, "check", "--json", "--url", "https://api.example.com/orders/orders")
    assert out.returncode == 1, out.stderr  # findings at error level
    doc = json.loads(out.stdout)
    assert (doc["api"], doc["stage"], doc["root_cause"]) == ("a1b2c3d4e5", "prod", "sg-blocks-nlb-targets")
    [line] = out.stderr.splitlines()
    assert "REST API a1b2c3d4e5 stage prod route /orders" in line and "custom domain api.example.com" in line

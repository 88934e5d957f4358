"""verify's inputs: `--since -10m` parses as a time, `[verify]` in the config file, private endpoints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apigw_cockpit import config, errors
from apigw_cockpit.aws.probes import Probes, is_private_endpoint
from apigw_cockpit.cli import attach_dash_values, build_parser
from apigw_cockpit.commands.verify import parse_since, samples_from
from apigw_cockpit.model import FrozenClock, Stage, Topology

NOW = 1_780_000_000.0


def _parse(*argv: str):  # type: ignore[no-untyped-def]
    return build_parser().parse_args(attach_dash_values(["verify", "--api-id", "a", "--stage", "p", *argv]))


@pytest.mark.parametrize("value", ["-10m", "-2h", "-90s", "-1.5h", "-1d"])
def test_since_relative_parses_with_a_space(value: str) -> None:
    args = _parse("--since", value)
    assert args.since == value and parse_since(args.since, NOW) < NOW


def test_since_with_equals_iso_and_missing_value() -> None:
    assert _parse("--since=-10m").since == "-10m"
    assert _parse("--since", "2026-12-01T00:10:00Z").since == "2026-12-01T00:10:00Z"
    assert parse_since("-10m", NOW) == NOW - 600
    with pytest.raises(SystemExit) as err:
        _parse("--since")
    assert err.value.code == 2
    # Only values that look like a relative time are glued: a real option after --since is not eaten.
    assert attach_dash_values(["--since", "--json"]) == ["--since", "--json"]


def test_route_and_unsafe_flags() -> None:
    args = _parse("--route", "POST /orders", "--confirm-unsafe", "--invoke-url", "http://127.0.0.1:9/prod")
    assert (args.route, args.confirm_unsafe, args.invoke_url) == (
        "POST /orders",
        True,
        "http://127.0.0.1:9/prod",
    )


def test_config_verify_table(tmp_path: Path) -> None:
    f = tmp_path / "config.toml"
    f.write_text(
        '[verify]\ninvoke_url = "https://api.example.com/orders-v1"\n'
        '[verify.requests."post /orders"]\nbody = \'{"sku": "A-1"}\'\nheaders = { "X-Tenant" = "t1" }\n'
        '[verify.requests."GET /orders/{id}"]\npath = "/orders/o-1"\n',
        encoding="utf-8",
    )
    s = config.read_file(f)
    assert s.invoke_url == "https://api.example.com/orders-v1"
    samples = samples_from(s)
    assert samples["POST /orders"].body == '{"sku": "A-1"}' and samples["POST /orders"].headers == (
        ("X-Tenant", "t1"),
    )
    assert samples["GET /orders/{id}"].path == "/orders/o-1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[verify]\ninvoke_url = "ftp://x"\n', "verify.invoke_url must be an http"),
        ("[verify]\nport = 1\n", "unknown key verify.port"),
        ('[verify.requests."orders"]\nbody = "x"\n', 'must be "METHOD /path"'),
        ('[verify.requests."GET /a"]\nbody = 1\n', "body must be a string"),
        ('[verify.requests."GET /a"]\nheaders = { "A" = 1 }\n', "headers must map header names to strings"),
        ('[verify.requests."GET /a"]\nmethod = "POST"\n', "must be a table of body, headers, path, query"),
    ],
)
def test_config_verify_errors_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "config.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(errors.ConfigError, match=re.escape(message)) as err:
        config.read_file(f)
    assert "\n" not in str(err.value) and str(f) in str(err.value)


def test_private_endpoint_gets_the_api_id_header() -> None:
    topo = Topology("a1b2c3", "orders", Stage("prod"), "us-east-1")
    vpce = "https://vpce-0123456789abcdef0-abcdefgh.execute-api.us-east-1.vpce.amazonaws.com/prod"
    assert is_private_endpoint(vpce)
    assert not is_private_endpoint("https://a1b2c3.execute-api.us-east-1.amazonaws.com/prod")
    assert not is_private_endpoint("https://api.example.com/orders-v1")
    p = Probes(None, FrozenClock(NOW), topo, vpce)
    assert p.url_for("/orders") == vpce + "/orders"
    assert p._headers({"Accept": "application/json"}) == {
        "x-apigw-api-id": "a1b2c3",
        "Accept": "application/json",
    }
    custom = Probes(None, FrozenClock(NOW), topo, "https://api.example.com/orders-v1/")
    assert custom.url_for("/orders") == "https://api.example.com/orders-v1/orders" and not custom._headers(
        None
    )
    assert Probes(None, FrozenClock(NOW), topo).url_for("/x") == topo.invoke_url + "/x"

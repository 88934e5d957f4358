"""`apigw-cockpit scenarios` and the one-line error for a bad scenario file (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from apigw_cockpit.cli import main
from apigw_cockpit.commands.scenarios import load_or_exit
from apigw_cockpit.demo.world import ROOT_CAUSES, list_scenarios


def test_scenarios_lists_every_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "root", "cause", "title"]
    ids = [line.split()[0] for line in out[1:]]
    assert ids == [s.id for s in list_scenarios()] and "midnight-pager" in ids


def test_scenarios_json_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert all(set(item) == {"id", "root_cause", "title", "story", "api_type"} for item in doc)
    types = {item["id"]: item["api_type"] for item in doc}
    assert types["midnight-pager"] == "rest" and types["http-ingest-permission-missing"] == "http"
    assert {item["root_cause"] for item in doc} <= set(ROOT_CAUSES)
    assert next(i for i in doc if i["id"] == "healthy")["root_cause"] == "none"


BAD = """id = "broken"
title = "x"
story = "y"
root_cause = "sg-blocks-nlb-targets"
topology = "orders-platform"

[[actions]]
at = "-5m"
do = "revoke_ingress"
params = { sg = "no-such-sg", port = 80, cidr = "10.0.0.0/16" }
"""


def test_load_or_exit_prints_one_line_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD)
    with pytest.raises(SystemExit) as exit_:
        load_or_exit(str(bad))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml" in err and "actions[0].params.sg" in err


def test_a_bad_builtin_file_makes_the_cli_exit_2(tmp_path: Path) -> None:
    """Through the real CLI in a subprocess, with the scenario directory pointed at a bad file."""
    (tmp_path / "bad.toml").write_text(
        BAD.replace('root_cause = "sg-blocks-nlb-targets"', 'root_cause = "gremlins"')
    )
    code = (
        "import sys; from pathlib import Path; import apigw_cockpit.demo.world.scenario as s;"
        f"s.SCENARIO_DIR = Path({str(tmp_path)!r});"
        "from apigw_cockpit.cli import main; sys.exit(main(['scenarios']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "bad.toml" in proc.stderr and "root_cause" in proc.stderr
    assert "Traceback" not in proc.stderr

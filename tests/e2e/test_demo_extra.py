"""Without the `demo` extra, the simulated-world commands say how to install it (exit 2, one line)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# sys.modules[name] = None makes `import name` fail and find_spec(name) answer None: moto absent.
_WITHOUT_MOTO = """
import sys
sys.modules["moto"] = None
from apigw_cockpit import cli
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--headless", "5"],
        ["screenshot", "--out", "x.svg"],
        ["serve", "--scenario", "midnight-pager"],
    ],
)
def test_simulated_world_commands_need_the_demo_extra(argv: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_MOTO, *argv], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "pip install 'apigw-cockpit[demo]'" in done.stderr and "moto" in done.stderr
    assert not (tmp_path / "x.svg").exists()


def test_boto3_is_only_a_demo_dependency() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    names = [
        d.split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip() for d in project["dependencies"]
    ]
    assert "boto3" not in names and any(
        d.startswith("boto3") for d in project["optional-dependencies"]["demo"]
    )
    # Packages whose private modules we import carry an upper bound.
    plotext = next(d for d in project["dependencies"] if d.startswith("plotext"))
    assert "<" in plotext

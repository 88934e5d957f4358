"""The import rules of DESIGN section 2, enforced by importing each layer in a clean interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

# Imports every module of a package, then reports which top-level packages and which
# apigw_cockpit sub-packages ended up in sys.modules.
_PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    base = set(sys.modules)
    pkg = importlib.import_module(sys.argv[1])
    for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + "."):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        importlib.import_module(info.name)
    loaded = set(sys.modules) - base
    tops = sorted({m.split(".")[0] for m in loaded})
    ours = sorted({".".join(m.split(".")[:2]) for m in loaded if m.startswith("apigw_cockpit.")})
    print(json.dumps({"tops": tops, "ours": ours}))
    """
)


def _loaded(package: str) -> tuple[set[str], set[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, package], capture_output=True, text=True, check=True, timeout=120
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return set(data["tops"]), set(data["ours"])


def _third_party(tops: set[str]) -> set[str]:
    return {
        t for t in tops if t not in sys.stdlib_module_names and t != "apigw_cockpit" and not t.startswith("_")
    }


def test_model_imports_nothing_third_party() -> None:
    tops, ours = _loaded("apigw_cockpit.model")
    assert _third_party(tops) == set()
    assert ours <= {"apigw_cockpit.model"}


def test_diagnose_imports_only_model() -> None:
    tops, ours = _loaded("apigw_cockpit.diagnose")
    assert _third_party(tops) == set()
    assert ours <= {"apigw_cockpit.model", "apigw_cockpit.diagnose"}


@pytest.mark.parametrize("layer", ["model", "aws", "diagnose", "incident", "service", "demo"])
def test_only_ui_and_cli_import_textual(layer: str) -> None:
    tops, _ = _loaded(f"apigw_cockpit.{layer}")
    assert "textual" not in tops
    assert "rich" not in tops or layer not in {"model", "diagnose"}


def test_demo_never_imports_what_it_simulates_for() -> None:
    _, ours = _loaded("apigw_cockpit.demo")
    assert ours.isdisjoint({"apigw_cockpit.aws", "apigw_cockpit.diagnose", "apigw_cockpit.ui"})


def test_aws_does_not_reach_up() -> None:
    _, ours = _loaded("apigw_cockpit.aws")
    assert ours.isdisjoint({"apigw_cockpit.diagnose", "apigw_cockpit.ui", "apigw_cockpit.demo"})


def test_incident_does_not_import_ui_or_aws() -> None:
    _, ours = _loaded("apigw_cockpit.incident")
    assert ours.isdisjoint({"apigw_cockpit.ui", "apigw_cockpit.aws", "apigw_cockpit.demo"})


def test_service_does_not_reach_up() -> None:
    _, ours = _loaded("apigw_cockpit.service")
    assert ours.isdisjoint({"apigw_cockpit.ui", "apigw_cockpit.commands", "apigw_cockpit.demo"})


def test_no_dynamic_imports_across_layers() -> None:
    """importlib / __import__ seams hide imports from mypy and from the tests above."""
    from pathlib import Path

    import apigw_cockpit

    root = Path(apigw_cockpit.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for layer in ("ui", "commands", "service")
        for p in (root / layer).rglob("*.py")
        if "importlib" in p.read_text("utf-8") or "__import__" in p.read_text("utf-8")
    ]
    assert offenders == []

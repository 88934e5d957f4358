"""`typing.Any` only at the boto/moto/JSON boundary (issue 11): none in the pure layers, and a
ceiling per package for the rest so a new `Any` is a decision someone makes, not a drift.

Counted from the AST (a line that names `Any`, imports aside), so comments and words such as
"Any id" are not counted and `typing.Any` or `from typing import Any as A` are.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import apigw_cockpit

ROOT = Path(apigw_cockpit.__file__).parent
TOP = "(top level)"  # modules directly in apigw_cockpit/

# Pure layers (data, verdicts) and the service layer over them: nothing untyped enters them.
NO_ANY = ("model", "diagnose", "service")

# Upper bounds (lines that use Any). Lower a bound when a package gets below it; raising one
# needs a reason in review: Any belongs to raw boto/aiobotocore/moto answers and parsed JSON only.
# aws/ names its boundary once (aws/untyped.py: `Client`, `Raw`) and uses those names, so a new
# raw value there costs no line here; anything else typed Any does.
CEILING: dict[str, int] = {
    "aws": 15,
    "commands": 0,
    "demo": 193,
    "incident": 4,
    "serve": 0,
    "ui": 0,
    TOP: 5,  # config sample requests (JSON bodies), outbound json kwargs, redact.toml
}


def _any_lines(path: Path) -> list[int]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    names: set[str] = set()  # local names bound to typing.Any
    modules: set[str] = set()  # local names bound to the typing module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("typing", "typing_extensions"):
            names.update(a.asname or a.name for a in node.names if a.name == "Any")
        elif isinstance(node, ast.Import):
            modules.update(
                a.asname or a.name for a in node.names if a.name in ("typing", "typing_extensions")
            )
    lines: set[int] = set()
    for node in ast.walk(tree):
        if _is_any(node, names, modules):
            lines.add(node.lineno)
    return sorted(lines)


def _is_any(node: ast.AST, names: set[str], modules: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return node.attr == "Any" and isinstance(node.value, ast.Name) and node.value.id in modules
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _names_any(node.value)  # a quoted annotation: "dict[str, Any]"
    return False


def _names_any(text: str) -> bool:
    """A string that parses as a type expression naming Any (not prose that contains "Any")."""
    if "Any" not in text or len(text) > 200:
        return False
    try:
        expr = ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return any(isinstance(n, ast.Name) and n.id == "Any" for n in ast.walk(expr))


def _package(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else TOP


def _usage() -> dict[str, dict[str, list[int]]]:
    """package → {module path: lines naming Any}."""
    out: dict[str, dict[str, list[int]]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        lines = _any_lines(path)
        out.setdefault(_package(path), {})
        if lines:
            out[_package(path)][str(path.relative_to(ROOT))] = lines
    return out


def _count(files: dict[str, list[int]]) -> int:
    return sum(len(v) for v in files.values())


USAGE = _usage()


def test_every_package_has_a_rule() -> None:
    """A new package starts with a rule (0 unless it is a boundary), not unchecked."""
    assert set(USAGE) <= set(NO_ANY) | set(CEILING), sorted(set(USAGE) - set(NO_ANY) - set(CEILING))


@pytest.mark.parametrize("package", NO_ANY)
def test_pure_layers_use_no_any(package: str) -> None:
    files = USAGE.get(package, {})
    assert files == {}, f"{package}/ must not use Any: {files}"


@pytest.mark.parametrize("package", sorted(CEILING))
def test_any_stays_under_its_ceiling(package: str) -> None:
    files = USAGE.get(package, {})
    used = _count(files)
    print(f"{package}: {used} lines use Any (ceiling {CEILING[package]})")
    assert used <= CEILING[package], (
        f"{package}/ uses Any on {used} lines, ceiling {CEILING[package]}: "
        f"type what we build ourselves; Any only for raw boto/moto/JSON values. {files}"
    )


def test_the_counter_sees_every_spelling(tmp_path: Path) -> None:
    """The ratchet is only as good as the counter: aliases, typing.Any and quoted annotations."""
    src = tmp_path / "m.py"
    src.write_text(
        "import typing as t\n"
        "from typing import Any as A\n"
        "x: A = 1\n"
        "y: t.Any = 2\n"
        'z: "dict[str, Any]" = {}\n'
        "# Any comment does not count\n"
        'w = "Any id without spaces"\n',
        "utf-8",
    )
    assert _any_lines(src) == [3, 4, 5]

"""Imports run one way: dashboard → warehouse → lagebild, flows → warehouse + lagebild; cli on top.

Every `import` in a package's modules is checked, including those inside functions and under
TYPE_CHECKING: a reach back up the line is a design error even when it happens lazily.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lagebild", "warehouse", "flows", "dashboard", "cli")
ALLOWED: dict[str, set[str]] = {
    "lagebild": set(),
    "warehouse": {"lagebild"},
    "flows": {"lagebild", "warehouse"},
    "dashboard": {"lagebild", "warehouse"},
    "cli": {"lagebild", "warehouse", "flows", "dashboard"},
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(first-party top-level package, line) for every import in a module."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {(n.split(".")[0], node.lineno) for n in names if n.split(".")[0] in PACKAGES}
    return found


def violations(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for target, line in sorted(imported_packages(path)):
            if target != package and target not in ALLOWED[package]:
                out.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_down_the_line(package: str) -> None:
    assert violations(package) == []


def test_the_check_sees_a_reach_back_up(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from flows.ingest import ingest_files\n", encoding="utf-8")
    assert imported_packages(module) == {("flows", 2)}

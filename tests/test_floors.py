"""The house has floors: a module imports only from floors below its own, or from its own package.

Floors, bottom up (README "How the code is laid out"):
  1 core    2 ingest.kb, service.guard    3 ingest.index    4 service.answer
  5 service.web    6 eval    7 bootstrap    8 cli
Lazy imports inside functions count too: an upward import is a tangle wherever it is written.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kbchat
import kbchat.eval
import kbchat.ingest
import kbchat.service

FLOORS = {
    "kbchat.core": 1,
    "kbchat.ingest.kb": 2,
    "kbchat.service.guard": 2,
    "kbchat.ingest.index": 3,
    "kbchat.service.answer": 4,
    "kbchat.service.web": 5,
    "kbchat.eval": 6,
    "kbchat.bootstrap": 7,
    "kbchat.cli": 8,
}
ROOTS = {
    "kbchat": Path(kbchat.__file__).parent,
    "kbchat.ingest": Path(kbchat.ingest.__file__).parent,
    "kbchat.service": Path(kbchat.service.__file__).parent,
    "kbchat.eval": Path(kbchat.eval.__file__).parent,
}


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, root in ROOTS.items():
        for path in root.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found.setdefault(name, path)
    return found


def unit(module: str) -> str | None:
    """The floor unit a module belongs to: the longest FLOORS prefix."""
    matches = [u for u in FLOORS if module == u or module.startswith(u + ".")]
    return max(matches, key=len) if matches else None


def imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return [(line, name) for line, name in out if name.startswith("kbchat.")]


def test_every_module_has_a_floor() -> None:
    packages = {"kbchat", "kbchat.ingest", "kbchat.service", "kbchat.eval"}
    homeless = [m for m in modules() if m not in packages and unit(m) is None]
    assert homeless == [], f"modules outside every floor: {homeless}"


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_only_go_down(module: str) -> None:
    here = unit(module)
    if here is None:
        return  # a package __init__ that only holds a docstring
    upward = []
    for line, name in imports(modules()[module]):
        there = unit(name)
        if there is None or there == here:
            continue
        if FLOORS[there] >= FLOORS[here]:
            upward.append(f"line {line}: {name} (floor {FLOORS[there]}, {there}) from floor {FLOORS[here]} ({here})")
    assert upward == [], f"{module} imports sideways or up:\n" + "\n".join(upward)


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from kbchat.service.web.api import create_app\n")
    [(line, name)] = imports(bad)
    assert (line, unit(name)) == (2, "kbchat.service.web")

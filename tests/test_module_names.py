"""A module-level name bound twice in `proxy/` is a bug no linter here reports: functions
read the last binding at call time, so the first one's readers silently use the second
(people.py had two `_ROUTE_BEFORE` patterns, and `_among_places` read the route pattern
written for `_on_a_route`). `typing.overload` stubs are the one allowed exception."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PROXY = Path(__file__).resolve().parents[1] / "proxy"


def _overload(node: ast.AST) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
        (isinstance(d, ast.Name) and d.id == "overload")
        or (isinstance(d, ast.Attribute) and d.attr == "overload")
        for d in node.decorator_list
    )


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id] if node.value is not None else []
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [] if _overload(node) else [node.name]
    return []


def rebound_names(source: str) -> dict[str, list[int]]:
    """Module-level names bound more than once, with the lines that bind them."""
    lines: dict[str, list[int]] = defaultdict(list)
    for node in ast.parse(source).body:
        for name in _bound_names(node):
            lines[name].append(node.lineno)
    return {name: found for name, found in lines.items() if len(found) > 1}


def test_the_check_finds_a_rebound_pattern() -> None:
    source = "import re\nA = re.compile('a')\ndef f():\n    return A\nA = re.compile('b')\n"
    assert rebound_names(source) == {"A": [2, 5]}


def test_no_module_of_the_proxy_binds_a_name_twice() -> None:
    found = {
        f"{path.relative_to(PROXY.parent)}: {name} at lines {lines}"
        for path in sorted(PROXY.rglob("*.py"))
        for name, lines in rebound_names(path.read_text(encoding="utf-8")).items()
    }
    assert not found, sorted(found)

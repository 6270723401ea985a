"""The package layout shows the two flows and has no import circles (docs/architecture.md).

A static scan of every import statement in src/report_writer, those inside functions
included: a lazy import is still a dependency, and a circle of them is what makes a
module impossible to move or test alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "report_writer"


def _module_name(path: Path) -> str:
    parts = ["report_writer", *path.relative_to(PKG).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + (node.module.split(".") if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:  # `from . import cells` names a module, not an attribute
                sub = f"{target}.{a.name}"
                out.add(sub if sub in known else target)
    return {m for m in out if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {m: _imports(m, p, set(mods)) for m, p in mods.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_scan_sees_a_cycle():
    """The scan itself would notice a circle (so the test above can fail)."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_root_holds_only_shared_modules():
    """Modules of one flow live in their package (cli/, data/, read/, check/, draft/, nlp/)."""
    root = sorted(p.stem for p in PKG.glob("*.py") if p.stem != "__init__")
    assert len(root) <= 10, root
    assert not [m for m in root if m.startswith("cli")], root
    for pkg in ("cli", "data", "read", "check", "draft", "nlp", "formats"):
        assert (PKG / pkg / "__init__.py").is_file(), pkg


def test_readers_and_check_are_separate():
    """check/ judges; reading a document (any format) lives in read/, shared with extract."""
    graph = _graph()
    readers = [m for m in graph if m.startswith("report_writer.read")]
    assert not [(m, d) for m in readers for d in graph[m] if d.startswith("report_writer.check")]
    assert not [(m, d) for m in graph if m.startswith("report_writer.data") for d in graph[m]
                if d.startswith(("report_writer.check", "report_writer.cli", "report_writer.draft"))]

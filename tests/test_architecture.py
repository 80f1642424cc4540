"""The house's shape, read from the code's own imports: no circle between modules, no module
reading another package's private names, and the CDK kept inside ``vaultplan.cdk``.

Imports inside functions count (they are how circles used to hide); imports under
``if TYPE_CHECKING:`` don't, since they never run.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "vaultplan"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """``(module, names)`` for every import that runs, resolved to absolute module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out: list[tuple[str, list[str]]] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            out.append((base, [alias.name for alias in node.names]))
        stack.extend(ast.iter_child_nodes(node))
    return out


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, names in _imports(path):
            if not target.startswith("vaultplan"):
                continue
            for imported in names or [""]:
                full = f"{target}.{imported}" if imported else target
                if full in modules:
                    graph[name].add(full)
                elif target in modules:
                    graph[name].add(target)
    # A module depends on its package's __init__ only through what it imports: no implicit edge.
    for name in graph:
        graph[name].discard(name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for root in sorted(graph):
        if state.get(root):
            continue
        path: list[str] = []
        iters = [iter(sorted(graph[root]))]
        state[root] = 1
        path.append(root)
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(sorted(graph.get(nxt, ()))))
    return None


def _packages_importing_each_other() -> list[str]:
    """``__init__`` re-exports aside, the subpackages' own modules may not form a circle."""
    graph = _graph()
    inits = {name for name, path in _module_paths().items() if path.name == "__init__.py"}
    pruned = {m: {t for t in ts if t not in inits} for m, ts in graph.items() if m not in inits}
    cycle = _cycle(pruned)
    return cycle or []


def _module_paths() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_no_import_circle_between_modules() -> None:
    assert _packages_importing_each_other() == []


def test_the_cycle_finder_finds_a_circle() -> None:
    # The check above can fail: a two-module circle is found.
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_reads_another_packages_private_names() -> None:
    offenders = []
    for name, path in _module_paths().items():
        own = name.split(".")[1] if "." in name else ""
        for target, names in _imports(path):
            if not target.startswith("vaultplan."):
                continue
            theirs = target.split(".")[1]
            for imported in names:
                if imported.startswith("_") and not imported.startswith("__") and theirs != own:
                    offenders.append(f"{name} imports {target}.{imported}")
    assert offenders == []


def test_only_the_cdk_package_imports_aws_cdk() -> None:
    offenders = sorted(
        name
        for name, path in _module_paths().items()
        if not name.startswith("vaultplan.cdk")
        for target, _names in _imports(path)
        if target == "aws_cdk" or target.startswith("aws_cdk.") or target == "constructs"
    )
    assert offenders == []


def test_aws_facts_import_nothing_else_of_vaultplan() -> None:
    offenders = sorted(
        f"{name} imports {target}"
        for name, path in _module_paths().items()
        if name.startswith("vaultplan.aws")
        for target, _names in _imports(path)
        if target.startswith("vaultplan.") and not target.startswith("vaultplan.aws")
    )
    assert offenders == []


def test_test_modules_have_unique_names() -> None:
    # pytest's default import mode ("prepend") imports each test file by its base name, with
    # no package above it: two files of one name in different folders stop the whole run.
    names = Counter(p.name for p in (SRC.parent / "tests").rglob("test_*.py"))
    assert [n for n, count in names.items() if count > 1] == []

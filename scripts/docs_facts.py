"""Write ``docs/aws/``: a page per kind of AWS fact that the checks enforce, with its sources.

Each page is the docstring of one module of ``vaultplan.aws`` (where every AWS fact is written
once, with the public page it comes from), then the checks whose module imports it, linked to
the catalogue. ``docs/aws/index.md`` lists the pages.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from typing import Any

from _docs import generate, head

_URL = re.compile(r"(?<![<(])(https?://[^\s<>()]+[^\s<>().,;:'\"])")


def _markdown(docstring: str) -> str:
    """A module docstring (reStructuredText's ``code``, bare URLs) as Markdown."""
    text = docstring.replace("``", "`")
    return _URL.sub(r"<\1>", text)


def _aws_names(tree: ast.Module) -> dict[str, str]:
    """``{local name: aws module}`` for a module's imports from ``vaultplan.aws``."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        for alias in node.names:
            local = alias.asname or alias.name
            if node.module == "vaultplan.aws":
                names[local] = alias.name
            elif node.module.startswith("vaultplan.aws."):
                names[local] = node.module.split(".")[2]
    return {k: v for k, v in names.items() if not v.startswith("_") and v != "data_files"}


def _used(func: ast.AST, functions: dict[str, ast.AST], aws: dict[str, str]) -> set[str]:
    """The aws modules a check function reaches: by its own names, and through the helper
    functions of its module it calls."""
    found: set[str] = set()
    seen: set[str] = set()
    todo = [func]
    while todo:
        for node in ast.walk(todo.pop()):
            if isinstance(node, ast.Name):
                if node.id in aws:
                    found.add(aws[node.id])
                elif node.id in functions and node.id not in seen:
                    seen.add(node.id)
                    todo.append(functions[node.id])
    return found


def facts_by_module() -> dict[str, list[Any]]:
    """``{aws module name: [the checks that use it]}``, in catalogue order."""
    from vaultplan.checks.registry import all_checks

    found: dict[str, list[Any]] = {}
    for check in all_checks():
        tree = ast.parse(inspect.getsource(sys.modules[check.func.__module__]))
        aws = _aws_names(tree)
        functions: dict[str, ast.AST] = {
            n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)
        }
        func = functions.get(check.func.__name__)
        for name in sorted(_used(func, functions, aws) if func is not None else set()):
            found.setdefault(name, []).append(check)
    return dict(sorted(found.items()))


def _title(module: Any) -> tuple[str, str]:
    """A module docstring's first paragraph (one line), and the rest."""
    title, _, body = (module.__doc__ or module.__name__).strip().partition("\n\n")
    return " ".join(title.split()), body


def render_page(name: str, checks: list[Any]) -> str:
    title, body = _title(importlib.import_module(f"vaultplan.aws.{name}"))
    lines = [
        *head(_markdown(title), "docs_facts.py", f"the docstring of `vaultplan.aws.{name}`"),
        _markdown(body.strip()),
        "",
        "## Checks that enforce it",
        "",
        "| check | severity | cause |",
        "|---|---|---|",
    ]
    for c in checks:
        lines.append(
            f"| [{c.id}](../checks.md#{c.id.lower()}) | {c.severity.value} | {c.shortdesc} |"
        )
    return "\n".join(lines) + "\n"


def render() -> dict[str, str]:
    """``{path under docs/: text}`` for every page and the index."""
    facts = facts_by_module()
    pages = {f"aws/{name}.md": render_page(name, checks) for name, checks in facts.items()}
    index = head(
        "AWS facts the checks enforce",
        "docs_facts.py",
        "the modules of `vaultplan.aws`",
        """
Every limit, name pattern and rule of AWS that vaultplan checks is written once, in
one module of `vaultplan.aws`, with the public page it comes from. The construct, the
config loader and `vaultplan check` all use the same module. One page per kind:""",
    )
    for name in facts:
        title, _ = _title(importlib.import_module(f"vaultplan.aws.{name}"))
        index.append(f"- [{_markdown(title)}]({name}.md)")
    pages["aws/index.md"] = "\n".join(index) + "\n"
    return pages


def main(argv: list[str]) -> int:
    return generate(argv, render)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

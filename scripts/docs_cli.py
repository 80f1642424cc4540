"""Write ``docs/cli.md``, the CLI reference, from the typer app's click command tree.

Each command's page section is its usage line, its help text and a table of its arguments
and options, as ``vaultplan COMMAND --help`` gives them (rich markup stripped).
"""

from __future__ import annotations

import sys
import textwrap
from typing import Any

from _docs import generate, head, prose


def _plain(text: str) -> str:
    from rich.text import Text

    return Text.from_markup(text).plain


def _cell(text: str) -> str:
    return prose(" ".join(text.split()))


def _param_row(param: Any, ctx: Any) -> str | None:
    """The row ``--help`` prints for ``param``: its names and metavar, its help and default."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    names, help_text = record
    if param.param_type_name == "argument":
        names = param.metavar or (param.name or "").upper()
    return f"| `{' '.join(names.split())}` | {_cell(_plain(help_text))} |"


def _paragraphs(text: str) -> list[str]:
    """Help text as Markdown: prose paragraphs, and indented ones (examples) as code."""
    out: list[str] = []
    for paragraph in text.strip("\n").split("\n\n"):
        if paragraph.startswith(" "):
            out += ["```text", textwrap.dedent(paragraph), "```", ""]
        else:
            out += [_cell(paragraph), ""]
    return out


def _section(command: Any, path: list[str], parent: Any) -> list[str]:
    import typer._click as click

    ctx = click.Context(command, info_name=path[-1], parent=parent)
    usage = " ".join([*path, *command.collect_usage_pieces(ctx)])
    heading = "#" * min(len(path) + 1, 4)
    lines = [f"{heading} `{' '.join(path)}`", "", "```text", usage, "```", ""]
    lines += _paragraphs(_plain(command.help or ""))
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    rows = [row for p in params if (row := _param_row(p, ctx)) is not None]
    if rows:
        lines += ["| argument or option | meaning |", "|---|---|", *rows, ""]
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name in command.list_commands(ctx):
            lines += _section(subcommands[name], [*path, name], ctx)
    return lines


def render() -> str:
    import typer

    from vaultplan.cli import _register, app

    _register()
    root = typer.main.get_command(app)
    intro = head("CLI reference", "docs_cli.py", "the command line's own help")
    body = _section(root, ["vaultplan"], None)
    return "\n".join([*intro, *body]).rstrip() + "\n"


def main(argv: list[str]) -> int:
    return generate(argv, lambda: {"cli.md": render()})


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

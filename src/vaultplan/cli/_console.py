"""Shared rich consoles. Both honour NO_COLOR; diagnostics go to stderr."""

from __future__ import annotations

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def help_text(text: str) -> str:
    """Hand-wrapped ``--help`` text, re-flowed for rich.

    typer's rich mode keeps every newline, so a paragraph wrapped by hand at 90 columns breaks
    again at the terminal's width and leaves short ragged lines. Each prose paragraph is joined
    into one line here and rich wraps it to the terminal; a paragraph whose first line is
    indented (an example command) keeps its lines.
    """
    paragraphs = []
    for paragraph in text.strip().split("\n\n"):
        if paragraph.startswith(" "):
            paragraphs.append(paragraph)
        else:
            paragraphs.append(" ".join(line.strip() for line in paragraph.splitlines()))
    return "\n\n".join(paragraphs)

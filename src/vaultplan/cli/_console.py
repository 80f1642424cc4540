"""Shared rich consoles, and the progress bar long work draws on stderr.

Both consoles honour ``NO_COLOR`` (https://no-color.org: rich drops every colour when it is
set) and colour only a terminal (rich's ``color_system="auto"`` writes no escape codes to a
pipe or a file); diagnostics go to stderr.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from vaultplan.progress import Progress

console = Console()
err_console = Console(stderr=True)

#: How long a simulation runs before its bar is drawn: a short run shows none.
SIMULATE_DELAY = 2.0


def _several(paths: Sequence[Path]) -> bool:
    """More than one template: several arguments, or a folder (or cdk.out) among them."""
    return len(paths) > 1 or any(path.is_dir() for path in paths)


@contextmanager
def progress_bar(
    label: str,
    *,
    several: Sequence[Path] | None = None,
    delay: float = 0.0,
    target: Console | None = None,
) -> Iterator[Progress | None]:
    """A :data:`~vaultplan.progress.Progress` callback that draws a rich progress bar on
    ``target`` (default: stderr), or None when that is not a terminal (nothing to draw, and
    the library skips its calls). ``several``: the TEMPLATE arguments; one file gets no bar.

    The bar appears at the first call ``delay`` seconds or more after the start, and is
    removed when the block ends (``transient``), so what the command prints after it reads
    as without it.
    """
    out = target if target is not None else err_console
    if not out.is_terminal or (several is not None and not _several(several)):
        yield None
        return
    from rich.progress import BarColumn, TaskID, TaskProgressColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    )
    started = time.monotonic()
    task: list[TaskID] = []

    def update(done: int, total: int) -> None:
        if not task:
            if time.monotonic() - started < delay:
                return
            bar.start()
            task.append(bar.add_task(label, total=total))
        bar.update(task[0], completed=done, total=total)

    try:
        yield update
    finally:
        if task:
            bar.stop()


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

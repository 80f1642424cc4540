"""How long work reports how far it has got: a callback, so the library never draws anything.

A function that takes a while (checking a folder of templates, simulating decades) accepts
``progress: Progress | None``, and calls it as ``progress(done, total)`` as it goes, with
``total`` fixed for the run and ``done`` growing to it. The command line turns those calls into
a progress bar on stderr when stderr is a terminal (:mod:`vaultplan.cli._console`).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "stage"]

#: ``progress(done, total)``: ``done`` units of work of ``total`` are finished.
Progress = Callable[[int, int], None]


def stage(progress: Progress | None, index: int, stages: int) -> Progress | None:
    """Part ``index`` (from 0) of ``stages`` equal parts of ``progress``: work done in steps
    (load every file, then check every file) reports on one bar that only grows."""
    if progress is None:
        return None
    report = progress

    def part(done: int, total: int) -> None:
        report(index * total + done, stages * total)

    return part

"""Shared rich consoles. Both honour NO_COLOR; diagnostics go to stderr."""

from __future__ import annotations

from rich.console import Console

console = Console()
err_console = Console(stderr=True)

"""Regenerate ``docs/checks.md`` from the checks' metadata (``make docs``)."""

from __future__ import annotations

import sys

from _docs import generate


def _pages() -> dict[str, str]:
    from vaultplan.checks.catalogue import render_markdown

    return {"checks.md": render_markdown()}


def main(argv: list[str]) -> int:
    return generate(argv, _pages)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

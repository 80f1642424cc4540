"""Regenerate ``docs/checks.md`` from the checks' metadata (``make docs``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from vaultplan.checks.catalogue import render_markdown

    out = ROOT / "docs" / "checks.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(render_markdown())
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

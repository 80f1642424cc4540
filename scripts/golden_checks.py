"""Regenerate the golden findings of ``vaultplan check`` for the shared backup templates.

Writes ``tests/checks/golden/<template file>.json`` for each file of
``../shared/corpus/backup-templates/``. Review the diff before committing.
Schedules are projected from a fixed date (2026-01-01 UTC) so the files are stable.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKUP_CORPUS = ROOT.parent / "shared" / "corpus" / "backup-templates"
GOLDEN = ROOT / "tests" / "checks" / "golden"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def golden(template: Path) -> dict[str, object]:
    """What the golden file for ``template`` holds (the test calls this too)."""
    from vaultplan.checks import check_paths
    from vaultplan.checks.formatters import to_dict

    data = to_dict(check_paths([template], now=NOW), relative_to=template.parent)
    return {k: data[k] for k in ("summary", "findings", "not_applicable")}


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    if not BACKUP_CORPUS.is_dir():
        print(f"backup corpus not found at {BACKUP_CORPUS}", file=sys.stderr)
        return 1
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for template in sorted(BACKUP_CORPUS.iterdir()):
        out = GOLDEN / f"{template.name}.json"
        out.write_text(json.dumps(golden(template), indent=2) + "\n")
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

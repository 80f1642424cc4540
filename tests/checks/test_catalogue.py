"""``docs/checks.md`` is generated from the checks' metadata and committed up to date."""

from __future__ import annotations

from pathlib import Path

from vaultplan.checks import all_checks
from vaultplan.checks.catalogue import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_committed_catalogue_is_up_to_date() -> None:
    assert DOC.read_text() == render_markdown(), "run: python scripts/docs_checks.py"


def test_catalogue_lists_every_check_with_its_source() -> None:
    text = render_markdown()
    for c in all_checks():
        assert f"## {c.id}\n" in text
        assert f"Source: <{c.source_url}>" in text

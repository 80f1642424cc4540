"""``docs/checks.md`` is generated from the checks' metadata and committed up to date."""

from __future__ import annotations

from pathlib import Path

from vaultplan.aws.cloudformation import TEMPLATE_BODY_MAX_BYTES, TEMPLATE_S3_MAX_BYTES
from vaultplan.checks import all_checks
from vaultplan.checks.catalogue import render_markdown
from vaultplan.checks.registry import get_check

DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_committed_catalogue_is_up_to_date() -> None:
    assert DOC.read_text() == render_markdown(), "run: python scripts/docs_checks.py"


def test_catalogue_lists_every_check_with_its_source() -> None:
    text = render_markdown()
    for c in all_checks():
        assert f"## {c.id}\n" in text
        assert f"Source: <{c.source_url}>" in text


def test_the_template_size_checks_state_the_quotas_the_checks_apply() -> None:
    # metadata.toml writes the figures out; they are the ones vaultplan.aws holds.
    assert f"over {TEMPLATE_S3_MAX_BYTES:,} bytes (1 MB)" in get_check("VP125").explanation
    assert f"over {TEMPLATE_BODY_MAX_BYTES:,} bytes" in get_check("VP301").explanation
    assert f"larger than {TEMPLATE_BODY_MAX_BYTES:,} bytes" in get_check("VP301").shortdesc

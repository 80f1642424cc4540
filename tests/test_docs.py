"""The generated pages of ``docs/`` are committed up to date, and the site's config loads
nothing from the network.

Each ``scripts/docs_*.py`` writes its pages into a temporary folder here, and each must equal
the committed page (regenerate with ``make docs``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERATORS = sorted((ROOT / "scripts").glob("docs_*.py"))


@pytest.mark.parametrize("script", GENERATORS, ids=[g.stem for g in GENERATORS])
def test_generated_pages_are_up_to_date(script: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.md"))
    assert written, f"{script.name} wrote no page"
    for page in written:
        committed = ROOT / "docs" / page
        assert committed.is_file(), f"docs/{page} is missing: run make docs"
        assert committed.read_text() == (tmp_path / page).read_text(), (
            f"docs/{page} is out of date: run make docs"
        )


def test_every_generated_fact_page_is_linked_and_the_nav_names_pages_that_exist() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["theme"]["font"] is False  # no web fonts fetched by the reader's browser
    assert not {"social", "privacy"} & {
        p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])
    }

    def pages(nav: object) -> list[str]:
        if isinstance(nav, str):
            return [nav]
        if isinstance(nav, list):
            return [p for item in nav for p in pages(item)]
        if isinstance(nav, dict):
            return [p for value in nav.values() for p in pages(value)]
        return []

    listed = pages(config["nav"])
    assert [p for p in listed if not (ROOT / "docs" / p).is_file()] == []
    index = (ROOT / "docs" / "aws" / "index.md").read_text()
    facts = sorted(p.name for p in (ROOT / "docs" / "aws").glob("*.md") if p.name != "index.md")
    assert facts and all(f"]({name})" in index for name in facts)

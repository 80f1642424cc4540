"""Fixtures of the compliance tests: the default app's template, written by ``vaultplan synth``."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import run_vaultplan


@pytest.fixture(scope="session")
def default_template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``vaultplan synth`` with no config (the defaults), in an empty folder."""
    work = tmp_path_factory.mktemp("default-synth")
    result = run_vaultplan("synth", "--out", "cdk.out", "--format", "json", cwd=work)
    assert result.returncode == 0, result.stderr
    path = work / "cdk.out" / "example-backup.template.json"
    assert path.is_file()
    return path

"""Golden findings for the six shared backup templates (``make golden`` regenerates them)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "golden_checks", ROOT / "scripts" / "golden_checks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _golden(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{name}.json").read_text())
    return data


def test_golden_files_match(backup_corpus_dir: Path) -> None:
    script = _script()
    templates = sorted(backup_corpus_dir.iterdir())
    assert len(templates) == 6
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == [f"{t.name}.json" for t in templates]
    for template in templates:
        assert script.golden(template) == _golden(template.name), template.name


def _ids(name: str, severity: str) -> list[str]:
    return [f["id"] for f in _golden(name)["findings"] if f["severity"] == severity]


def test_bad_cfn_lint_fixture_gives_a_vp1xx_error_and_the_good_one_none(
    backup_corpus_dir: Path,
) -> None:
    (bad,) = backup_corpus_dir.glob("03_*")
    (good,) = backup_corpus_dir.glob("02_*")
    assert _ids(bad.name, "error") == ["VP106"]
    assert _ids(good.name, "error") == []


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        # vault lock + tag selection: only the missing failure notification
        pytest.param("08_", ["VP203"], id="08-vault-lock-sample"),
        # cfn-modules EFS: AWS managed key, no lock, no notification (alerting off by default)
        pytest.param("18_", ["VP201", "VP202", "VP203"], id="18-efs-module"),
        # CDK snapshot: lock set (governance), no CMK, no notification
        pytest.param("36_", ["VP201", "VP203"], id="36-cdk-selection-conditions"),
    ],
)
def test_warnings_of_the_samples(backup_corpus_dir: Path, prefix: str, expected: list[str]) -> None:
    (template,) = backup_corpus_dir.glob(prefix + "*")
    assert _ids(template.name, "warning") == expected

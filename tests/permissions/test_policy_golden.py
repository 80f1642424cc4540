"""Golden deploy policies for a handful of corpus templates (``make golden`` rewrites them)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "golden_policies", ROOT / "scripts" / "golden_policies.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


@pytest.mark.parametrize("name", sorted(SCRIPT.CASES))
def test_policy_matches_golden(name: str, corpus_dir: Path, backup_corpus_dir: Path) -> None:
    expected = json.loads((GOLDEN / f"{name}.json").read_text())
    assert SCRIPT.golden_for(name) == expected


def test_every_golden_file_has_a_case() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(SCRIPT.CASES)

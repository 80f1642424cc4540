"""The default preset is ``daily-monthly``; its old name ``seed`` still works, with a warning.

GIVEN ``BackupRules.seed()``, ``preset_rules("seed")`` or ``[plan] preset = "seed"``,
WHEN they are used through the library or ``vaultplan synth``,
THEN they give the ``daily-monthly`` rules and say once that the name is deprecated.
"""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from cli_support import ROOT, WIDE, run_vaultplan
from vaultplan.config import parse_config
from vaultplan.spec import BackupRules
from vaultplan.spec.presets import DEFAULT_PRESET, preset_rules

GOLDEN = ROOT / "tests" / "golden" / "default_template.json"
DEPRECATED = "plan.preset: 'seed' is deprecated; use 'daily-monthly'"


def test_the_default_preset_is_daily_monthly() -> None:
    assert DEFAULT_PRESET == "daily-monthly"
    assert [r.name for r in BackupRules.daily_monthly()] == ["DailyWarmBackup", "MonthlyColdBackup"]
    assert preset_rules("daily-monthly") == BackupRules.daily_monthly()


def test_backup_rules_seed_warns_and_gives_daily_monthly() -> None:
    with pytest.warns(
        DeprecationWarning,
        match=r"^BackupRules\.seed\(\) is deprecated; use BackupRules\.daily_monthly\(\)$",
    ):
        rules = BackupRules.seed()
    assert rules == BackupRules.daily_monthly()


def test_preset_rules_seed_warns_and_gives_daily_monthly() -> None:
    with pytest.warns(DeprecationWarning, match=f"^{DEPRECATED}$"):
        rules = preset_rules("seed")
    assert rules == BackupRules.daily_monthly()


def test_config_reports_the_deprecation_as_data_not_as_a_python_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config = parse_config('[plan]\npreset = "seed"\n')
    assert config.warnings == (DEPRECATED,)
    assert config.plan.preset == "daily-monthly"
    assert config.rules == BackupRules.daily_monthly()
    assert parse_config('[plan]\npreset = "daily-monthly"\n').warnings == ()


def test_synth_with_seed_warns_on_stderr_exits_0_and_writes_the_default_template(
    tmp_path: Path,
) -> None:
    config = tmp_path / "old.toml"
    config.write_text('[plan]\npreset = "seed"\n')
    out = tmp_path / "out"
    result = run_vaultplan(
        "synth", "--config", str(config), "--out", str(out), "--format", "json", env=WIDE
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"warning: {DEPRECATED}\n"
    summary = json.loads(result.stdout)
    assert summary["preset"] == "daily-monthly"
    template = json.loads(Path(summary["template"]).read_text())
    assert _golden_render(template) == GOLDEN.read_text()


def _golden_render(template: dict[str, Any]) -> str:
    """The template as ``make golden`` writes it (scripts/golden_default_template.py)."""
    spec = importlib.util.spec_from_file_location(
        "golden_default_template", ROOT / "scripts" / "golden_default_template.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered: str = module.render(template)
    return rendered

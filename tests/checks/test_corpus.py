"""The whole shared corpus runs through ``check`` without a traceback."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from cli_support import run_vaultplan
from vaultplan.checks import check_paths
from vaultplan.errors import InputError


@pytest.mark.slow
def test_every_corpus_file_ends_in_a_result_or_a_named_reason(corpus_dir: Path) -> None:
    files = sorted(
        p
        for p in corpus_dir.rglob("*")
        if p.is_file() and p.suffix in {".json", ".yaml", ".yml", ".template"}
    )
    outcomes: Counter[str] = Counter()
    crashes: list[str] = []
    for path in files:
        try:
            report = check_paths([path])
        except InputError as exc:
            assert "\n" not in exc.message and str(path) in exc.message
            outcomes["unparsable"] += 1
            continue
        (template,) = report.templates
        if template.skipped is not None:
            assert template.skipped.startswith("not a CloudFormation template")
            outcomes["not a template"] += 1
            continue
        outcomes["checked"] += 1
        crashes += [f"{path.name}: {f.message}" for f in template.findings if f.check_id == "VP001"]
    assert crashes == []
    assert outcomes["checked"] == 296
    assert (
        outcomes["checked"] + outcomes["not a template"] + outcomes["unparsable"]
        == len(files)
        == 311
    )


@pytest.mark.slow
def test_cli_over_the_corpus_folder_checks_296_and_skips_15_by_name(corpus_dir: Path) -> None:
    result = run_vaultplan("check", str(corpus_dir), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    skipped = result.stderr.splitlines()
    assert len(skipped) == 15
    assert all(line.startswith(f"skipped {corpus_dir}/") for line in skipped)
    summary = json.loads(result.stdout)["summary"]
    assert (summary["templates"], summary["skipped"], summary["errors"]) == (296, 15, 0)

"""The shared backup corpus through ``vaultplan simulate``: a result or a one-line input
error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import run_vaultplan

#: What each template of ../shared/corpus/backup-templates gives over 400 days from
#: 2026-01-01: (exit code, what stdout's JSON summary or stderr's line starts with).
EXPECTED = {
    "02_aws-cloudformation__cfn-lint__test_backup_plan_lifecycle_rule.yml": (0, 3),
    "03_aws-cloudformation__cfn-lint__test_backup_plan_lifecycle_rule.yml": (0, 1),
    "08_aws-samples__aws-backup-with-tags-and-vault-lock__cfn-demo-aws-backup.yaml": (0, 1),
    "12_aws-samples__backup-recovery-with-aws-backup__aws-backup-restore-test-plan.yaml": (2, 0),
    "18_cfn-modules__efs-file-system__module.yml": (0, 1),
    "36_aws__aws-cdk__cdk-backup-selection-conditions.template.json": (0, 1),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_backup_corpus_template(backup_corpus_dir: Path, name: str) -> None:
    code, resources = EXPECTED[name]
    args = ["--start", "2026-01-01", "--days", "400", "--format", "json"]
    result = run_vaultplan("simulate", str(backup_corpus_dir / name), *args)
    assert "Traceback" not in result.stderr
    assert result.returncode == code, result.stderr
    if code == 2:
        assert result.stderr.startswith("error: template: ")
        assert "has no AWS::Backup::BackupPlan resource" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        return
    data = json.loads(result.stdout)
    assert len(data["resources"]) == resources
    assert data["summary"]["backups_taken"] > 0

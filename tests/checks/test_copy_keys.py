"""VP210 on what the construct synthesizes: the key it creates passes, the same key unshared fails.

GIVEN a strategy whose rule copies into another account, WHEN its template is checked, THEN
VP210 is silent (the construct shares its key, AWS re:Post backup-cross-account-copy-error);
and WHEN the sharing statement is taken out of the key policy, THEN VP210 warns, naming the
account and the missing actions.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Stack
from aws_cdk.assertions import Template

from vaultplan import BackupStrategy
from vaultplan.checks import Severity, check_paths
from vaultplan.spec import RulePreset
from vaultplan.spec.copy import SOURCE_KEY_ACTIONS, CopyAction

NOW = datetime(2026, 1, 1, tzinfo=UTC)
BUNKER = "arn:aws:backup:eu-west-1:222222222222:backup-vault:bunker"


def synthesized() -> dict[str, Any]:
    stack = Stack(App(), "Copies", env=Environment(account="111111111111", region="us-east-1"))
    rule = RulePreset(
        name="Daily",
        schedule="cron(0 8 * * ? *)",
        delete_after_days=35,
        copy_actions=(CopyAction(destination_vault_arn=BUNKER, delete_after_days=35),),
    )
    BackupStrategy(
        stack, "Strategy", site_name="copies", file_systems=["fs-0123456789abcdef0"], rules=[rule]
    )
    body: dict[str, Any] = Template.from_stack(stack).to_json()
    return body


def vp210(tmp_path: Path, body: dict[str, Any]) -> list[Any]:
    path = tmp_path / "copies.template.json"
    path.write_text(json.dumps(body))
    (report,) = check_paths([path], now=NOW).templates
    return [f for f in report.findings if f.check_id == "VP210"]


def test_the_constructs_key_lets_the_destination_account_copy(tmp_path: Path) -> None:
    assert vp210(tmp_path, synthesized()) == []


def test_without_the_sharing_statement_vp210_warns(tmp_path: Path) -> None:
    body = synthesized()
    for resource in body["Resources"].values():
        if resource["Type"] == "AWS::KMS::Key":
            statements = resource["Properties"]["KeyPolicy"]["Statement"]
            statements[:] = [s for s in statements if not s.get("Sid", "").startswith("AllowCross")]
    (finding,) = vp210(tmp_path, body)
    assert finding.severity is Severity.WARNING
    assert "copies to account 222222222222" in finding.message
    assert ", ".join(SOURCE_KEY_ACTIONS) in finding.message
    assert finding.path[-3:] == ("CopyActions", 0, "DestinationBackupVaultArn")

"""The runner: a crashing check becomes finding VP001; the other checks still report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from vaultplan.checks import Severity, check_template
from vaultplan.checks.finding import Issue, NotApplicable
from vaultplan.checks.model import CheckContext
from vaultplan.checks.registry import Check, get_check
from vaultplan.template import LoadedTemplate

BODY = {
    "Resources": {
        "V": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "a b"}}
    }
}


def boom(ctx: CheckContext) -> Iterable[Issue | NotApplicable]:
    yield from ()
    raise KeyError("Properties")


def test_a_crashing_check_is_reported_and_the_others_still_run() -> None:
    crashing = Check("VP999", Severity.ERROR, "crashes", "crashes", "https://example", boom)
    template = LoadedTemplate(path=Path("t.json"), name="t", body=BODY)
    report = check_template(template, checks=[crashing, get_check("VP101")])
    assert [(f.check_id, f.severity) for f in report.findings] == [
        ("VP001", Severity.ERROR),
        ("VP101", Severity.ERROR),
    ]
    assert report.findings[0].message == "check VP999 crashed: KeyError: 'Properties'"
    assert report.findings[1].line is None  # a dict body has no line marks

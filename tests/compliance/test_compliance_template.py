"""cfn-lint reports nothing on the template ``vaultplan synth`` writes for the defaults.

cfn-lint runs its default rules (errors and warnings) in every Region it knows, since the
default stack is environment-agnostic and may be deployed anywhere. Its informational rules
(``-c I``) are not part of the default run; on this template they only suggest ``Fn::Sub`` for
the CDK's ``Fn::Join``.
"""

from __future__ import annotations

from pathlib import Path

from cfnlint.api import ManualArgs, lint_file


def test_cfn_lint_reports_nothing_in_any_region(default_template_path: Path) -> None:
    matches = lint_file(default_template_path, ManualArgs(regions=["ALL_REGIONS"]))
    assert [str(m) for m in matches] == []

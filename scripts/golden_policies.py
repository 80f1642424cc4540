"""Regenerate the golden deploy policies under ``tests/permissions/golden/``.

Each golden file is the output of :func:`vaultplan.permissions.derive` for one template
of the shared corpora, with fixed options; ``tests/permissions/test_policy_golden.py``
compares against them. Review the diff before committing.

Run: ``make golden`` (or ``PYTHONPATH=src .venv/bin/python scripts/golden_policies.py``)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vaultplan.permissions import DeployPolicy, derive  # noqa: E402
from vaultplan.template import LoadedTemplate, load_template  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
GOLDEN = ROOT / "tests" / "permissions" / "golden"
OPTIONS = {
    "region": "us-east-1",
    "account": "123456789012",
    "partition": "aws",
    "stack_name": "golden",
}
#: golden name -> template path under ../shared/corpus
BACKUP = "backup-templates/"
SAMPLES = "aws-cloudformation-templates/"
CASES = {
    "backup-vault-lock": BACKUP
    + "08_aws-samples__aws-backup-with-tags-and-vault-lock__cfn-demo-aws-backup.yaml",
    "backup-cdk-selection": BACKUP
    + "36_aws__aws-cdk__cdk-backup-selection-conditions.template.json",
    "backup-efs-module": BACKUP + "18_cfn-modules__efs-file-system__module.yml",
    "lambda-sample": SAMPLES + "Lambda/LambdaSample.yaml",
    "s3-lambda-trigger": SAMPLES + "S3/S3_LambdaTrigger.yaml",
    "ec2-instance-security-group": SAMPLES + "EC2/EC2InstanceWithSecurityGroupSample.yaml",
}


def render(policy: DeployPolicy) -> dict[str, object]:
    return {
        "options": OPTIONS,
        "document": policy.document,
        "unresolved": [u.line() for u in policy.unresolved],
        "dropped": [n.line() for n in policy.dropped],
        "assumed": [a.line() for a in policy.assumed],
    }


def golden_for(name: str) -> dict[str, object]:
    loaded = load_template(SHARED / CASES[name])
    assert isinstance(loaded, LoadedTemplate), name
    return render(derive(loaded, **OPTIONS))  # type: ignore[arg-type]


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        path = GOLDEN / f"{name}.json"
        path.write_text(json.dumps(golden_for(name), indent=2) + "\n")
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

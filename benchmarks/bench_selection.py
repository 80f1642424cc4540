"""Selections with many ARNs: validation alone, and the construct + synth in one process.

Prints:
- checking 50,001 EBS volume ARNs (``selection_problems``, no CDK), best of 3;
- building ``BackupStrategy`` over 1,201 ARNs (split into 3 selections) and synthesizing the
  stack, after jsii has started (one run: a synth is seconds).

Targets: validation of 50,001 ARNs under 2 s (the config loader runs it before jsii starts);
construct + synth of 1,201 ARNs under 2 s once jsii runs. One jsii round trip per ARN
(``BackupResource.from_arn``, ``Token.is_unresolved``) cost 3 s for 1,201 ARNs; the whole list
now goes in one property override, and plain strings skip ``Token.is_unresolved``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from vaultplan.spec.selection import SelectionOptions, selection_problems

VALIDATE_TARGET_S = 2.0
BIG_TARGET_S = 2.0


def volumes(count: int) -> list[str]:
    return [f"arn:aws:ec2:us-east-1:123456789012:volume/vol-{i:017x}" for i in range(count)]


def validate_seconds() -> float:
    options = SelectionOptions(arns=volumes(50_001))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        selection_problems(options, file_systems=0, site_name="bench")
        best = min(best, time.perf_counter() - start)
    return best


def construct_seconds(arns: list[str]) -> tuple[float, float]:
    from aws_cdk import App, Stack

    from vaultplan.cdk import BackupStrategy

    app = App()
    stack = Stack(app, f"Bench{len(arns)}")
    start = time.perf_counter()
    BackupStrategy(
        stack,
        "Backup",
        site_name="bench",
        file_systems=["fs-0123456789abcdef0"],
        selection=SelectionOptions(arns=arns),
    )
    built = time.perf_counter()
    app.synth()
    return built - start, time.perf_counter() - built


def main() -> int:
    validate = validate_seconds()
    print(f"validate 50,001 ARNs: {validate:.2f} s (target < {VALIDATE_TARGET_S} s)")
    construct_seconds([])  # start jsii
    base_build, base_synth = construct_seconds([])
    big_build, big_synth = construct_seconds(volumes(1200))
    print(f"default strategy: construct {base_build:.2f} s, synth {base_synth:.2f} s")
    print(f"1,201 ARNs (3 selections): construct {big_build:.2f} s, synth {big_synth:.2f} s")
    big = big_build + big_synth
    print(f"1,201 ARNs construct + synth: {big:.2f} s (target < {BIG_TARGET_S} s)")
    ok = validate < VALIDATE_TARGET_S and big < BIG_TARGET_S
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

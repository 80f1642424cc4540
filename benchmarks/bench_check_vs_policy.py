"""``vaultplan check`` against ``vaultplan policy`` on one small JSON template, as processes.

Target (issue 10): ``check`` costs at most 1.3x ``policy`` on the same file. Both read the
template the same way; what ``check`` adds is its checks, so it must not import more than
they need (cfn-lint, whose package pulls in sympy and networkx, is what made it 1.8 s
against 0.7 s). The template, ``small.template.json`` beside this file, holds a vault, a
plan with one rule, and a selection of one EFS file system with its role.
"""

from __future__ import annotations

from pathlib import Path

from bench_check import best_of

TEMPLATE = Path(__file__).resolve().parent / "small.template.json"
TARGET = 1.3


def main() -> int:
    policy = best_of(["policy", str(TEMPLATE)])
    check = best_of(["check", str(TEMPLATE)])
    ratio = check / policy
    print(f"vaultplan policy {TEMPLATE.name}: {policy:6.2f} s")
    print(f"vaultplan check  {TEMPLATE.name}: {check:6.2f} s")
    print(f"ratio check / policy: {ratio:6.2f}  (target <= {TARGET})")
    ok = ratio <= TARGET
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

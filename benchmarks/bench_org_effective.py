"""``vaultplan org effective --format json`` on a generated organization, as whole processes.

The organization (issue 14): 1,000 accounts under 100 OUs nested five levels deep, each node
with 1 to 10 backup policies (some with exactly 10), drawn from a pool of 200 policy files
that append and remove Regions, change schedules and lifecycles, add rules and lock values.
Every account's effective policy is computed and checked in one process.

Targets: at most 5x the CLI's bare start-up (``vaultplan --version``), and linear growth: from
250 to 1,000 accounts the time above start-up grows at most 5x (4x is linear).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

from bench_check import best_of

TARGET = 5.0
LINEAR = 5.0
OUS_PER_LEVEL = 20
LEVELS = 5
POOL = 200
SIZES = (250, 500, 1000)


def _a(value: object) -> dict[str, object]:
    return {"@@assign": value}


def base_policy() -> dict[str, object]:
    rule = {
        "schedule_expression": _a("cron(0 5 ? * * *)"),
        "start_backup_window_minutes": _a("60"),
        "target_backup_vault_name": {
            "@@assign": "example",
            "@@operators_allowed_for_child_policies": ["@@none"],
        },
        "lifecycle": {"delete_after_days": _a("35")},
    }
    return {
        "plans": {
            "Daily": {
                "regions": _a(["us-east-1"]),
                "rules": {"DailyWarm": rule},
                "selections": {
                    "tags": {
                        "Backup": {
                            "iam_role_arn": _a("arn:aws:iam::$account:role/example-backup-role"),
                            "tag_key": _a("backup"),
                            "tag_value": _a(["true"]),
                        }
                    }
                },
            }
        }
    }


REGIONS = ["eu-west-1", "eu-central-1", "us-west-2", "ap-south-1", "sa-east-1", "ca-central-1"]


def pool_policy(rng: random.Random, i: int) -> dict[str, object]:
    plan: dict[str, object] = {}
    kind = i % 5
    if kind == 0:
        plan["regions"] = {"@@append": rng.sample(REGIONS, 2)}
    elif kind == 1:
        plan["regions"] = {"@@remove": rng.sample(REGIONS, 1)}
    elif kind == 2:
        cold = rng.choice([30, 60])
        plan["rules"] = {
            "DailyWarm": {
                "lifecycle": {
                    "move_to_cold_storage_after_days": _a(str(cold)),
                    "delete_after_days": _a(str(cold + rng.choice([90, 180, 365]))),
                }
            }
        }
    elif kind == 3:
        plan["rules"] = {
            f"Extra{i}": {
                "schedule_expression": _a(f"cron({i % 60} {i % 24} ? * * *)"),
                "target_backup_vault_name": _a("example"),
                "lifecycle": {"delete_after_days": _a(str(7 + i % 30))},
            }
        }
    else:
        plan["rules"] = {"DailyWarm": {"schedule_expression": _a(f"cron(0 {i % 24} ? * * *)")}}
        if i % 10 == 4:
            plan["regions"] = {"@@operators_allowed_for_child_policies": ["@@append"]}
    return {"plans": {"Daily": plan}}


def generate(folder: Path, accounts: int, seed: int = 14) -> Path:
    """Write ``ORG.toml`` and its policies under ``folder``; the ORG.toml path."""
    rng = random.Random(seed)
    policies = folder / "policies"
    policies.mkdir(parents=True, exist_ok=True)
    (policies / "base.json").write_text(json.dumps(base_policy(), separators=(",", ":")))
    for i in range(POOL):
        (policies / f"p{i}.json").write_text(json.dumps(pool_policy(rng, i)))

    def attached(count: int) -> str:
        names = [f"policies/p{n}.json" for n in rng.sample(range(POOL), count)]
        return json.dumps(names)

    lines = ['[[node]]\nid = "r-ab12"\npolicies = ["policies/base.json"]\n']
    ous: list[str] = []
    for level in range(LEVELS):
        for j in range(OUS_PER_LEVEL):
            ou = f"ou-ab12-{level:02d}{j:06d}"
            parent = "r-ab12" if level == 0 else ous[(level - 1) * OUS_PER_LEVEL + j]
            count = 10 if j % 7 == 0 else rng.randint(1, 10)
            lines.append(
                f'[[node]]\nid = "{ou}"\nparent = "{parent}"\npolicies = {attached(count)}\n'
            )
            ous.append(ou)
    for k in range(accounts):
        count = 10 if k % 50 == 0 else rng.randint(1, 4)
        lines.append(
            f'[[node]]\nid = "{100000000000 + k}"\nparent = "{ous[k % len(ous)]}"\n'
            f"policies = {attached(count)}\n"
        )
    org = folder / "ORG.toml"
    org.write_text("\n".join(lines))
    return org


def main() -> int:
    bare = best_of(["--version"])
    times: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            org = generate(Path(tmp) / str(size), size)
            times[size] = best_of(["org", "effective", str(org), "--format", "json"])
    print(f"vaultplan --version:                          {bare:6.2f} s")
    for size, seconds in times.items():
        print(
            f"org effective --format json, {size:5d} accounts: {seconds:6.2f} s  "
            f"({seconds / bare:.1f}x start-up)"
        )
    for small, large in pairwise(SIZES):
        slope = (times[large] - times[small]) / (large - small) * 1000
        print(f"  {small} -> {large} accounts: {slope:.2f} ms per account added")
    ratio = times[SIZES[-1]] / bare
    growth = (times[SIZES[-1]] - bare) / max(times[SIZES[0]] - bare, 1e-9)
    print(f"ratio at {SIZES[-1]} accounts: {ratio:.2f}  (target <= {TARGET})")
    print(
        f"growth above start-up, {SIZES[0]} -> {SIZES[-1]} accounts: {growth:.2f}x  "
        f"(linear is {SIZES[-1] / SIZES[0]:.0f}x; target <= {LINEAR})"
    )
    ok = ratio <= TARGET and growth <= LINEAR
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

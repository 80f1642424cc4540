"""Refresh ``src/vaultplan/aws/data/backup_type_regions.json``: which CloudFormation resource
types of AWS Backup (``AWS::Backup::*``) exist in which Regions.

The Regions, and the types each has, are read from cfn-lint's per-Region provider schemas
(``cfnlint/data/schemas/providers/<region>.json``, a map of every type CloudFormation offers
there), never typed here. A stack holding a type its Region lacks fails to create.

Run: ``PYTHONPATH=src .venv/bin/python scripts/backup_type_regions.py``
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.metadata import version
from pathlib import Path

import cfnlint

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "vaultplan" / "aws" / "data" / "backup_type_regions.json"
PREFIX = "AWS::Backup::"


def main() -> int:
    providers = Path(cfnlint.__file__).parent / "data" / "schemas" / "providers"
    per_region: dict[str, set[str]] = {}
    for path in sorted(providers.glob("*.json")):
        if path.stem == "sam":  # the SAM transform's types, not a Region
            continue
        types = json.loads(path.read_text())
        per_region[path.stem] = {t for t in types if t.startswith(PREFIX)}
    regions = sorted(per_region)
    every_type = sorted(set().union(*per_region.values()))
    data = {
        "source": (
            f"cfn-lint {version('cfn-lint')} per-Region provider schemas "
            "(cfnlint/data/schemas/providers/<region>.json): the CloudFormation resource types "
            "of each Region. Regenerate with scripts/backup_type_regions.py"
        ),
        "date": dt.date.today().isoformat(),
        "cfn_lint": version("cfn-lint"),
        "regions": regions,
        "types": {
            t: {"missing_in": [r for r in regions if t not in per_region[r]]} for t in every_type
        },
    }
    DATA.write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {DATA.relative_to(ROOT)}: {len(every_type)} types, {len(regions)} Regions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

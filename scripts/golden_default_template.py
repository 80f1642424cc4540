"""Regenerate tests/golden/default_template.json: the default config's template, normalised.

Run by ``make golden``; review the diff before committing. ``tests/cli/test_synth.py`` compares
the template ``vaultplan synth`` writes with this file after the same normalisation.

Normalisation removes what changes with the CDK version or with the way the app is run, not
with vaultplan: the ``AWS::CDK::Metadata`` resource and its condition, the ``aws:cdk:path``
resource metadata the CDK CLI adds, and key order.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "default_template.json"


def normalise(template: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``template`` without version- or run-specific parts (see the module doc)."""
    out = json.loads(json.dumps(template))
    resources = out.get("Resources", {})
    for logical_id in [k for k, v in resources.items() if v.get("Type") == "AWS::CDK::Metadata"]:
        del resources[logical_id]
    conditions = out.get("Conditions", {})
    conditions.pop("CDKMetadataAvailable", None)
    if not conditions:
        out.pop("Conditions", None)
    for resource in resources.values():
        metadata = resource.get("Metadata", {})
        metadata.pop("aws:cdk:path", None)
        if not metadata:
            resource.pop("Metadata", None)
    result: dict[str, Any] = json.loads(json.dumps(out, sort_keys=True))
    return result


def render(template: dict[str, Any]) -> str:
    return json.dumps(normalise(template), indent=2, sort_keys=True) + "\n"


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from vaultplan.cdk.app import synth
    from vaultplan.config import Config

    with tempfile.TemporaryDirectory() as tmp:
        result = synth(Config(), Path(tmp))
        template = json.loads(result.template.read_text())
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(render(template))
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

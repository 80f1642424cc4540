"""Write the feature flags ``cdk init`` writes into the ready app and the repository's cdk.json.

``cdk init`` copies aws-cdk-lib's ``recommended-feature-flags.json`` into a new app's cdk.json
``context`` (https://docs.aws.amazon.com/cdk/v2/guide/featureflags.html). The Python wheel of
aws-cdk-lib carries the npm package as ``aws_cdk/_jsii/aws-cdk-lib@<version>.jsii.tgz``; this
script reads the file from there (aws-cdk-lib is not imported), then writes it to
``src/vaultplan/cdk/feature_flags.json`` (what ``vaultplan synth`` uses) and to cdk.json's
``context`` (what the CDK CLI passes). Run it after moving aws-cdk-lib in requirements/dev.lock,
then ``make golden``, and review both diffs.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ROOT / "src" / "vaultplan" / "cdk" / "feature_flags.json"
CDK_JSON = ROOT / "cdk.json"
MEMBER = "package/recommended-feature-flags.json"


def recommended_flags() -> tuple[str, dict[str, Any]]:
    """The installed aws-cdk-lib's version and its ``recommended-feature-flags.json``."""
    spec = importlib.util.find_spec("aws_cdk")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("aws-cdk-lib is not installed")
    (package,) = spec.submodule_search_locations
    (tgz,) = Path(package, "_jsii").glob("aws-cdk-lib@*.jsii.tgz")
    version = tgz.name.removeprefix("aws-cdk-lib@").removesuffix(".jsii.tgz")
    with tarfile.open(tgz) as archive:
        member = archive.extractfile(MEMBER)
        assert member is not None, f"{tgz.name} has no {MEMBER}"
        flags: dict[str, Any] = json.load(member)
    return version, flags


def main() -> int:
    version, flags = recommended_flags()
    FLAGS.write_text(json.dumps(flags, indent=2) + "\n", encoding="utf-8")
    cdk_json = json.loads(CDK_JSON.read_text(encoding="utf-8"))
    cdk_json["context"] = flags
    CDK_JSON.write_text(json.dumps(cdk_json, indent=2) + "\n", encoding="utf-8")
    print(
        f"wrote {len(flags)} flags of aws-cdk-lib {version} to "
        f"{FLAGS.relative_to(ROOT)} and {CDK_JSON.name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

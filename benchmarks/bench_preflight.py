"""``vaultplan preflight`` of the derived policy against ``cfn-lint``, on the same 20 corpus
templates as bench_policy.py, one process per template. Target: at most 0.5x its time
(bench_policy.TARGET).

The policies are derived first (not timed); then each template is checked against its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_policy import ROOT, compare, pick_templates


def main() -> int:
    templates = pick_templates()
    if not templates:
        print("corpus not found", file=sys.stderr)
        return 1
    env_path = {"PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        ours = []
        for i, t in enumerate(templates):
            policy = Path(tmp) / f"{i}.json"
            derived = subprocess.run(
                [sys.executable, "-m", "vaultplan", "policy", str(t)],
                capture_output=True,
                text=True,
                env={**os.environ, **env_path},
                check=False,
            )
            policy.write_text(derived.stdout)
            ours.append(
                [sys.executable, "-m", "vaultplan", "preflight", str(t), "--policy", str(policy)]
            )
        cfn_lint = str(Path(sys.executable).with_name("cfn-lint"))
        return compare("preflight", ours, [[cfn_lint, str(t)] for t in templates])


if __name__ == "__main__":
    raise SystemExit(main())

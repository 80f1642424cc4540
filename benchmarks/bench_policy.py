"""``vaultplan policy`` against ``cfn-lint`` on the same 20 corpus templates.

One process per template for each tool, as a user runs them; the figure is the ratio of
the total wall times. Target (issue 3): vaultplan ≤ 0.5x cfn-lint, by loading only the
schemas a template uses (and not importing cfn-lint: see template/decode.py).
The 20 templates are every 14th CloudFormation template of the shared corpus, sorted by
path, so they span its folders, JSON and YAML.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "aws-cloudformation-templates"
TARGET = 0.5
COUNT = 20
ROUNDS = 2


def pick_templates() -> list[Path]:
    sys.path.insert(0, str(ROOT / "src"))
    from vaultplan.errors import InputError
    from vaultplan.template import LoadedTemplate, load_template

    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
    templates = []
    for f in files:
        try:
            item = load_template(f)
        except InputError:  # a file the loader rejects is simply not picked
            continue
        if isinstance(item, LoadedTemplate):
            templates.append(f)
    step = max(1, len(templates) // COUNT)
    return templates[::step][:COUNT]


def total_time(commands: list[list[str]]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    for cmd in commands:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    templates = pick_templates()
    cfn_lint = str(Path(sys.executable).with_name("cfn-lint"))
    ours = [[sys.executable, "-m", "vaultplan", "policy", str(t)] for t in templates]
    theirs = [[cfn_lint, str(t)] for t in templates]
    return compare("policy", ours, theirs)


def compare(name: str, ours: list[list[str]], theirs: list[list[str]]) -> int:
    """Best of ROUNDS total wall times of both command lists; print them and the ratio."""
    best_ours = best_theirs = float("inf")
    for _ in range(ROUNDS):
        best_theirs = min(best_theirs, total_time(theirs))
        best_ours = min(best_ours, total_time(ours))
    ratio = best_ours / best_theirs
    each = len(ours)
    print(f"templates:               {each} (one process each)")
    print(f"cfn-lint:                {best_theirs:6.2f} s  ({best_theirs / each:.2f} s each)")
    print(f"vaultplan {name}: {best_ours:6.2f} s  ({best_ours / each:.2f} s each)")
    return verdict(f"ratio {name} / cfn-lint:", ratio, TARGET)


def verdict(label: str, ratio: float, target: float) -> int:
    """Print the ratio against its target and PASS or FAIL; the exit code."""
    print(f"{label} {ratio:6.2f}  (target <= {target})")
    ok = ratio <= target
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

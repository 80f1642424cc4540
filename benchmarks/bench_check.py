"""``vaultplan check`` as whole processes: the six backup templates and the 311-file corpus.

Target: checking the whole corpus costs less than cfn-lint linting it in one process
(about 20 s on a 2-core machine). Also prints the ratio to the CLI's bare start-up
(``vaultplan --version``). A JSON template is checked without cfn-lint; a YAML one imports
cfn-lint's decoder (its lines), most of check's start-up then.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CFN_LINT_CORPUS_SECONDS = 20.0
RUNS = 3


def best_of(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "vaultplan", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    bare = best_of(["--version"])
    backup = best_of(["check", str(CORPUS / "backup-templates")])
    corpus = best_of(["check", str(CORPUS / "aws-cloudformation-templates")])
    print(f"vaultplan --version:               {bare:6.2f} s")
    print(f"check backup-templates (6 files):  {backup:6.2f} s  ({backup / bare:.1f}x start-up)")
    target = f"target < {CFN_LINT_CORPUS_SECONDS:.0f} s"
    print(f"check whole corpus (311 files):    {corpus:6.2f} s  ({target})")
    ok = corpus < CFN_LINT_CORPUS_SECONDS
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

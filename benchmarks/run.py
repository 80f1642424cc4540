"""Run every benchmark in this folder (``bench_*.py``), each as its own process.

Each benchmark prints its own figures and target. ``make bench`` calls this.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    benches = sorted(here.glob("bench_*.py"))
    if not benches:
        print("no benchmarks found", file=sys.stderr)
        return 1
    failed = 0
    for bench in benches:
        print(f"== {bench.stem}", flush=True)
        rc = subprocess.call([sys.executable, str(bench)])
        failed += rc != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

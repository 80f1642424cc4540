"""Simulating 10 years of the default plan must cost at most 2x the CLI's bare start-up.

Both are measured as whole processes (``python -m vaultplan --version`` and ``python -m
vaultplan simulate DEFAULT --start 2026-01-01 --days 3650 --format json``), each the best of
several runs, alternated so machine load hits both alike. Prints both times and the ratio;
exits 1 if the ratio is above the target.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: vaultplan's own template of the default strategy (what `vaultplan synth` writes by default).
DEFAULT = ROOT / "tests" / "golden" / "default_template.json"
TARGET = 2.0
RUNS = 9


def _time(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "vaultplan", *args], check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def main() -> int:
    bare = ["--version"]
    sim = ["simulate", str(DEFAULT), "--start", "2026-01-01", "--days", "3650", "--format", "json"]
    _time(bare), _time(sim)  # warm the file cache and bytecode
    bare_times: list[float] = []
    sim_times: list[float] = []
    for _ in range(RUNS):
        bare_times.append(_time(bare))
        sim_times.append(_time(sim))
    b, s = min(bare_times), min(sim_times)
    ratio = s / b
    print(f"vaultplan --version:                  {b * 1000:7.1f} ms (best of {RUNS})")
    print(f"vaultplan simulate default, 3650 days: {s * 1000:7.1f} ms (best of {RUNS})")
    verdict = "ok" if ratio <= TARGET else "TOO SLOW"
    print(f"ratio {ratio:.2f} (target <= {TARGET:g}): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""``vaultplan synth`` (defaults) against a plain aws-cdk-lib app making the same resources.

Each run is a fresh process (so each pays for Python, jsii and Node start-up), alternating the
two, a few repetitions each. The headline is the ratio of the best runs (the least disturbed
by other load on the machine, as ``timeit`` reports); the ratio of the medians is printed too.
Target: <= 1.2x. Set ``VAULTPLAN_BENCH_REPEAT`` to change the repetitions (default 5).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 1.2


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    repeat = int(os.environ.get("VAULTPLAN_BENCH_REPEAT", "5"))
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    # Time this checkout's vaultplan, whatever is installed.
    paths = [str(HERE.parent / "src"), os.environ.get("PYTHONPATH", "")]
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    ours: list[float] = []
    plain: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)  # no vaultplan.toml here: the defaults
        for i in range(repeat):
            ours.append(timed([sys.executable, "-m", "vaultplan", "synth", "--out", f"v{i}"], work))
            plain.append(timed([sys.executable, str(HERE / "plain_app.py"), f"p{i}"], work))
    for label, runs in (("vaultplan synth", ours), ("plain aws-cdk-lib", plain)):
        listed = ", ".join(f"{t:.2f}" for t in runs)
        print(
            f"{label:<18} best {min(runs):6.2f} s  median {statistics.median(runs):6.2f} s"
            f"  (runs: {listed})"
        )
    ratio = min(ours) / min(plain)
    median_ratio = statistics.median(ours) / statistics.median(plain)
    verdict = "ok" if ratio <= TARGET else "over target"
    print(
        f"ratio {ratio:.2f}x best-to-best, {median_ratio:.2f}x median "
        f"(target <= {TARGET}x): {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

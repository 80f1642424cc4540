"""Benchmark the AWS cron evaluator that `simulate` runs over years of schedules.

Prints, best of several runs, in-process:
- 10 years of fires of the default preset's two rules, `daily-monthly`
  (`cron(0 8 * * ? *)` and `cron(0 8 1 * ? *)`);
- 10 years of an hourly schedule, in UTC and in Europe/Paris (DST on);
- the same daily rule through aws-croniter's `get_next`, for reference;
and the cost of importing `vaultplan.schedule` in a fresh process.

Target: the default plan's 10 years evaluate in under 50 ms, so that `simulate` stays within
2x of the CLI's bare start-up.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from vaultplan.schedule import parse_cron

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2036, 1, 1, tzinfo=UTC)
TARGET_MS = 50.0


def best_ms(func: Callable[[], int], runs: int = 5) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        count = func()
        best = min(best, time.perf_counter() - t0)
    return best * 1000, count


def fires(expression: str, tz: str = "UTC") -> Callable[[], int]:
    def run() -> int:
        return len(list(parse_cron(expression).fires_between(START, END, tz)))

    return run


def daily_monthly_plan() -> int:
    return fires("cron(0 8 * * ? *)")() + fires("cron(0 8 1 * ? *)")()


def aws_croniter_daily() -> int:
    from aws_croniter import AwsCroniter

    return len(AwsCroniter("0 8 * * ? *").get_next(START, 3652))


def import_ms() -> float:
    src = str(Path(__file__).resolve().parent.parent / "src")
    env_code = f"import sys; sys.path.insert(0, {src!r});"

    def run(code: str) -> float:
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", env_code + code], check=True)
            best = min(best, time.perf_counter() - t0)
        return best * 1000

    return run("import vaultplan.schedule") - run("pass")


def main() -> int:
    rows = [
        ("daily-monthly plan, both rules, 10 years (UTC)", best_ms(daily_monthly_plan)),
        ("cron(0 * * * ? *), 10 years, UTC", best_ms(fires("cron(0 * * * ? *)"))),
        (
            "cron(0 * * * ? *), 10 years, Europe/Paris",
            best_ms(fires("cron(0 * * * ? *)", "Europe/Paris")),
        ),
        (
            "cron(0 8 * * ? *), 10 years, Europe/Paris",
            best_ms(fires("cron(0 8 * * ? *)", "Europe/Paris")),
        ),
        ("aws-croniter get_next x3652, cron(0 8 * * ? *)", best_ms(aws_croniter_daily, runs=3)),
    ]
    for label, (ms, count) in rows:
        print(f"{label:50s} {ms:8.1f} ms  ({count} fires)")
    print(f"{'import vaultplan.schedule (fresh process, extra)':50s} {import_ms():8.1f} ms")
    plan_ms = rows[0][1][0]
    ok = plan_ms <= TARGET_MS
    print(
        f"target: daily-monthly plan 10 years <= {TARGET_MS:.0f} ms: "
        f"{'ok' if ok else 'MISSED'} ({plan_ms:.1f} ms)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

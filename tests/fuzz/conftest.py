"""The fuzz suite's budget and its tally.

CI (``make test``) runs each test's fixed share (:func:`fuzz_support.budget`) of about 3,900
examples, derandomized so that a run is the same on every machine.
``VAULTPLAN_FUZZ_EXAMPLES=N`` (what ``make fuzz N=...`` sets) spreads N examples over the
tests in the same shares, random each run; with ``VAULTPLAN_FUZZ_COLLECT=1`` every broken
example is collected instead of stopping at the first. Either way the run ends with
``N examples, K failures``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fuzz_support import TALLY, VIOLATIONS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    before = len(VIOLATIONS)
    outcome = yield
    new = VIOLATIONS[before:]
    if new and outcome.excinfo is None:
        causes = Counter(cause for _, cause, _ in new)
        text = "\n".join(f"{n} x {cause}" for cause, n in causes.most_common(20))
        outcome.force_exception(
            AssertionError(f"{len(new)} example(s) broke the contract:\n{text}")
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY.examples:
        return
    terminalreporter.write_line(f"{TALLY.examples} examples, {len(VIOLATIONS)} failures")
    causes = Counter(f"[{test}] {cause}" for test, cause, _ in VIOLATIONS)
    example = {f"[{test}] {cause}": args for test, cause, args in VIOLATIONS}
    for cause, n in causes.most_common(40):
        terminalreporter.write_line(f"  {n} x {cause}")
        terminalreporter.write_line(f"      e.g. {example[cause]!r}"[:400])

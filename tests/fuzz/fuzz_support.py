"""The contract every fuzz example is held to, and the room each one runs in.

Each example gets a fresh folder ``<tmp>/work`` holding its inputs; beside it,
``<tmp>/outside`` holds files no command was given, each with :data:`SENTINEL` where a command
would print it: ``x.json`` (a template), ``policy.json`` (a backup policy) and
``vaultplan.toml`` (a config). A run through
:func:`cli_support.invoke` (the console script's entry point, in-process) must then:

- exit 0, 1 or 2;
- on exit 2, write exactly one stderr line (``error: ...``) and nothing on stdout;
- never print a traceback or ``internal error``;
- on failure, leave ``work`` as it found it (nothing written half-way);
- print strict JSON when JSON was asked for (no ``NaN`` or ``Infinity``);
- never print the sentinel, nor open any file of ``outside`` (nothing outside the given
  inputs is read: an audit hook, :func:`sys.addaudithook`, sees every ``open``).

A broken contract is recorded in :data:`VIOLATIONS` (one short cause per example, which
``make fuzz`` counts) and, unless ``VAULTPLAN_FUZZ_COLLECT`` is set, raised, so that hypothesis
shrinks it to a minimal example.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, settings

from cli_support import Outcome, invoke

SENTINEL = "SENTINEL-OUTSIDE-9f2c41"
COLLECT = os.environ.get("VAULTPLAN_FUZZ_COLLECT", "") not in ("", "0")
#: The examples CI runs in all: the shares given to :func:`budget` add up to it (a test in
#: test_fuzz_org_report.py checks), so ``make fuzz N=...`` runs N examples in all.
CI_TOTAL = 3930
#: Each share given to :func:`budget`, as the test modules are imported.
SHARES: list[int] = []
#: ``make fuzz N=...``: the examples to spread over the tests, in the same shares.
REQUESTED = int(os.environ.get("VAULTPLAN_FUZZ_EXAMPLES", "0") or 0)


def budget(share: int) -> settings:
    """A test's settings: ``share`` examples of :data:`CI_TOTAL` in CI (derandomized, so each
    run is the same), or the same share of :data:`REQUESTED` (random) under ``make fuzz``."""
    SHARES.append(share)
    examples = max(1, round(REQUESTED * share / CI_TOTAL)) if REQUESTED else share
    return settings(
        max_examples=examples,
        derandomize=not REQUESTED,
        database=None,
        deadline=None,
        print_blob=bool(REQUESTED),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@dataclass
class Tally:
    examples: int = 0


TALLY = Tally()
#: ``(test, cause, args)`` of each example that broke the contract.
VIOLATIONS: list[tuple[str, str, list[str]]] = []


@dataclass(frozen=True)
class Room:
    """One example's folders: ``work`` (its inputs and outputs) and the planted sentinel."""

    work: Path
    outside: Path


@contextmanager
def room() -> Iterator[Room]:
    with tempfile.TemporaryDirectory(prefix="vaultplan-fuzz-") as tmp:
        base = Path(tmp)
        outside = base / "outside"
        outside.mkdir()
        (outside / "x.json").write_text(
            json.dumps({"Resources": {SENTINEL: {"Type": "AWS::S3::Bucket"}}, "m": SENTINEL})
        )
        (outside / "policy.json").write_text(
            json.dumps({"plans": {SENTINEL: {"regions": {"@@assign": [SENTINEL]}}}})
        )
        (outside / "vaultplan.toml").write_text(f"site_name = {json.dumps(SENTINEL)}\n")
        work = base / "work"
        work.mkdir()
        yield Room(work, outside)


def _snapshot(folder: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            try:
                out[str(path.relative_to(folder))] = path.lstat().st_size
            except OSError:
                out[str(path.relative_to(folder))] = -1
    return out


def _raise_constant(name: str) -> None:
    raise ValueError(f"not strict JSON: {name}")


def _json_asked(args: Sequence[str]) -> bool:
    """Whether stdout must be JSON: ``--format json``/``sarif``, or policy's default."""
    if args and args[0] == "policy" and "--split" in args:
        return False  # policy --split DIR lists the files it wrote, whatever --format says
    # The last --format or -f given wins, as click takes it.
    at = [i for i, a in enumerate(args) if a in ("--format", "-f")]
    if at:
        value = args[at[-1] + 1] if at[-1] + 1 < len(args) else ""
        return value in ("json", "sarif")
    if list(args[:2]) == ["org", "policy"] and "--out" not in args and "-o" not in args:
        return True  # one minified policy a line: checked line by line
    return bool(args) and args[0] == "policy" and "--split" not in args


@dataclass
class _Watch:
    """The ``outside`` folder being watched, and the files of it that were opened."""

    outside: str | None = None
    opened: list[str] = field(default_factory=list)


_WATCH = _Watch()


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _WATCH.outside is None or event != "open" or not isinstance(args[0], str | bytes):
        return
    path = os.fsdecode(args[0])
    if path.startswith(_WATCH.outside) or os.path.realpath(path).startswith(_WATCH.outside):
        _WATCH.opened.append(path)


sys.addaudithook(_audit)


def cause_of(
    args: Sequence[str],
    result: Outcome,
    room_: Room,
    before: dict[str, int],
    opened: Sequence[str] = (),
) -> str:
    """Why this run breaks the contract, or ``""``."""
    command = args[0] if args else "vaultplan"
    if args[:1] == ["org"] and len(args) > 1:
        command = f"org {args[1]}"
    err = result.stderr
    last = (err.strip().splitlines() or [""])[-1][:160]
    if "Traceback" in err or "internal error" in err:
        return f"{command}: internal error: {last}"
    if result.code not in (0, 1, 2):
        return f"{command}: exit code {result.code}: {last}"
    if SENTINEL in result.stdout or SENTINEL in err:
        return f"{command}: printed the content of a file outside its inputs"
    if opened:
        return f"{command}: opened a file outside its inputs: outside/{Path(opened[0]).name}"
    if result.code == 2:
        lines = err.splitlines()
        if len(lines) != 1 or not lines[0].startswith("error: "):
            return f"{command}: exit 2 with {len(lines)} stderr line(s): {err[:160]!r}"
        if result.stdout:
            return f"{command}: exit 2 with output on stdout: {result.stdout[:80]!r}"
        after = _snapshot(room_.work)
        if after != before:
            new = sorted(set(after) - set(before)) or sorted(after)
            return f"{command}: exit 2 but wrote {new[:3]}"
    elif _json_asked(args):
        one_a_line = list(args[:2]) == ["org", "policy"]
        try:
            for text in result.stdout.splitlines() if one_a_line else [result.stdout]:
                json.loads(text, parse_constant=_raise_constant)
        except ValueError as exc:
            return f"{command}: --format json output is not strict JSON: {str(exc)[:80]}"
    return ""


def check(test: str, args: Sequence[str], room_: Room) -> Outcome:
    """Run ``vaultplan ARGS`` in-process and hold it to the contract."""
    before = _snapshot(room_.work)
    old = Path.cwd()
    os.chdir(room_.work)  # relative defaults (cdk.out, vaultplan.toml) land in the room
    _WATCH.outside, _WATCH.opened = str(room_.outside.resolve()) + os.sep, []
    try:
        result = invoke(*args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    finally:
        os.chdir(old)
        _WATCH.outside = None
    TALLY.examples += 1
    cause = cause_of(args, result, room_, before, _WATCH.opened)
    if cause:
        VIOLATIONS.append((test, cause, list(args)))
        if not COLLECT:
            raise AssertionError(f"{cause}\nargs: {list(args)!r}\nstderr: {result.stderr[-2000:]}")
    return result

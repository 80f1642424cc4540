"""The README's "Across an organization" section runs as written.

Each ``$ vaultplan ...`` line of its console block is run from a copy of the repository's
``examples/`` (``vaultplan`` being this checkout's CLI), in order, and must succeed; each line
shown after it must be a line of what it printed (a line ending in ``...`` is the start of
one).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import PLAIN, ROOT

# Two synths and a preflight through the CLI (~60 s).
pytestmark = pytest.mark.slow


def console_blocks(section: str) -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"```console\n(.*?)```", section, re.S)]


def commands(lines: list[str]) -> list[tuple[str, list[str]]]:
    """``(command, the lines shown after it)`` for each ``$ `` line."""
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return out


def test_the_organization_section_runs_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Across an organization\n", 1)[1].split("\n## ", 1)[0]
    (block,) = console_blocks(section)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "vaultplan"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m vaultplan "$@"\n')
    shim.chmod(0o755)
    env = {
        **os.environ,
        **PLAIN,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    ran = commands(block)
    assert [c.split()[:2] for c, _ in ran] == [
        ["vaultplan", "org"],
        ["vaultplan", "org"],
        ["vaultplan", "synth"],
        ["vaultplan", "policy"],
        ["vaultplan", "preflight"],
        ["vaultplan", "org"],
        ["vaultplan", "org"],
    ]
    for command, shown in ran:
        result = subprocess.run(
            ["sh", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (command, result.stderr)
        printed = (result.stdout + result.stderr).splitlines()
        for line in shown:
            if line.endswith("..."):
                assert any(p.startswith(line[:-3]) for p in printed), (command, line)
            else:
                assert line in printed, (command, line)

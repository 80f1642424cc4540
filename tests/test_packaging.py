"""The wheel as a CDK user gets it: built from this checkout, installed into a fresh venv beside
the oldest versions that pyproject.toml's ranges allow, then the docs' construct example and
``vaultplan synth`` run from that venv.

Every runtime dependency is installed at its lower bound (``aws-cdk-lib>=2.N`` becomes
``aws-cdk-lib==2.N``, and so on), so each lower bound is a version that is tested here; pip
resolves the rest (aws-cdk-lib's own dependencies) as it would for a user. It needs the package
index (or pip's cache), as ``make test`` does, and takes about two minutes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from vaultplan import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LOWER_BOUND = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)>=(?P<version>[^,;\s]+)")


def lower_bound_pins() -> list[str]:
    """``name==X`` for each ``name>=X,...`` of ``[project] dependencies``."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = []
    for requirement in pyproject["project"]["dependencies"]:
        match = LOWER_BOUND.match(requirement)
        assert match, f"{requirement!r} has no lower bound"
        pins.append(f"{match['name']}=={match['version']}")
    return pins


def docs_construct_example() -> str:
    """The python block of ``docs/construct.md`` that builds a ``BackupStrategy`` in a user's
    own app."""
    page = (ROOT / "docs" / "construct.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", page, re.S) if "BackupStrategy(" in b]
    assert len(blocks) == 1, "expected one python example of the construct in docs/construct.md"
    return blocks[0]


def run(
    args: list[str | Path], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # Not this checkout's src: the venv must import the installed wheel.
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(env or {})
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=environ,
        timeout=900,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the checkout (the build leaves no files in it)."""
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    dist = work / "dist"
    result = run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, source], cwd=work
    )
    assert result.returncode == 0, result.stderr
    (built,) = dist.glob("vaultplan-*.whl")
    return built


@pytest.fixture(scope="module")
def oldest_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel and every dependency at its lower bound; its bin/."""
    home = tmp_path_factory.mktemp("oldest-venv")
    venv.create(home / "venv", with_pip=True)
    bin_dir = home / "venv" / "bin"
    result = run(
        [bin_dir / "python", "-m", "pip", "install", "-q", wheel, *lower_bound_pins()], home
    )
    assert result.returncode == 0, result.stderr
    return bin_dir


def test_the_wheel_carries_one_version_and_matplotlib_only_as_the_chart_extra(
    wheel: Path,
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(f"vaultplan-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    matplotlib = [line for line in requires if "matplotlib" in line]
    assert matplotlib == ['Requires-Dist: matplotlib<4,>=3.11.2; extra == "chart"']
    # The tests' own libraries are in the dev extra only.
    for name in ("aws-croniter", "botocore", "pytest"):
        assert [line.split("; ")[1] for line in requires if f": {name}" in line] == [
            'extra == "dev"'
        ]
    # The data files the package reads at run time.
    assert "vaultplan/cdk/feature_flags.json" in names
    assert "vaultplan/aws/data/vault_events.json" in names


def test_the_oldest_allowed_cdk_runs_the_readme_example_and_synth(
    oldest_venv: Path, tmp_path: Path
) -> None:
    freeze = run([oldest_venv / "python", "-m", "pip", "freeze"], tmp_path).stdout.splitlines()
    for pin in lower_bound_pins():
        name, version = pin.split("==")
        assert any(
            re.fullmatch(rf"{re.escape(name)}=={re.escape(version)}(\.0)*", line, re.I)
            for line in freeze
        ), (pin, freeze)
    assert not [line for line in freeze if line.lower().startswith("matplotlib")]

    version = run([oldest_venv / "vaultplan", "--version"], tmp_path)
    assert version.stdout == f"vaultplan {__version__}\n", version.stderr

    # The docs' construct example, as a user's app.py.
    example = tmp_path / "example"
    example.mkdir()
    (example / "app.py").write_text(docs_construct_example())
    result = run(
        [oldest_venv / "python", "app.py"], example, env={"CDK_OUTDIR": str(example / "cdk.out")}
    )
    assert result.returncode == 0, result.stderr
    template = json.loads((example / "cdk.out" / "shop-backup.template.json").read_text())
    types = {r["Type"] for r in template["Resources"].values()}
    assert {"AWS::Backup::BackupVault", "AWS::Backup::BackupPlan"} <= types

    # vaultplan synth with the defaults, in an empty folder.
    synth = tmp_path / "synth"
    synth.mkdir()
    result = run([oldest_venv / "vaultplan", "synth", "--format", "json"], synth)
    assert result.returncode == 0, result.stderr
    written = synth / json.loads(result.stdout)["template"]
    assert written == synth / "cdk.out" / "example-backup.template.json"
    template = json.loads(written.read_text())
    types = {r["Type"] for r in template["Resources"].values()}
    assert {
        "AWS::Backup::BackupPlan",
        "AWS::Backup::BackupSelection",
        "AWS::EFS::FileSystem",
    } <= types

    # Without matplotlib (not installed here), --chart names the extra.
    chart = run(
        [
            oldest_venv / "vaultplan",
            "simulate",
            written,
            "--start",
            "2026-01-01",
            "--days",
            "3",
            "--chart",
            tmp_path / "c.png",
        ],
        synth,
    )
    assert (chart.returncode, chart.stderr) == (
        2,
        "error: --chart needs matplotlib; install vaultplan[chart]\n",
    )

"""Fuzz the commands of the organization and the report with hostile input (issue 11's
contract, extended to ``org validate``, ``org effective``, ``org policy``, ``synth --org``,
``report`` and ``preflight``).

Each test draws inputs from :mod:`fuzz_strategies`, writes them into a fresh room (see
:mod:`fuzz_support`) and holds the run to the contract. ``org effective`` gets an ORG.toml
that names policy files inside its folder, beside it (``../``), by absolute path, through
symlinks out of the room, and files that loop or are folders: only the files inside ORG.toml's
folder may be read. The commands that synthesize through jsii (``org policy --out``,
``synth --org``, ``report --config``) take a second or more each on a valid config, so CI
keeps few of those and exercises their checks that fail before jsii starts.
"""

from __future__ import annotations

import os
from pathlib import Path

import fuzz_strategies as fs
import pytest
from fuzz_support import CI_TOTAL, SHARES, Room, budget, check, room
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_cli import DEFAULT, _options, _write, arg_text, date_text, number_text

pytestmark = pytest.mark.fuzz


def _mostly(*values: str) -> st.SearchStrategy[str]:
    """One of ``values`` three times in four, else hostile text: several options per example
    still reach the command more often than not."""
    one = st.sampled_from(values)
    return st.integers(0, 3).flatmap(lambda i: arg_text if i == 3 else one)


#: Numbers as option text, plausible three times in four.
mostly_number = st.integers(0, 3).flatmap(
    lambda i: number_text if i == 3 else st.integers(1, 400).map(str)
)

FORMATS = _mostly("text", "json", "sarif", "xml")


def _policy_files(data: st.DataObject, r: Room, names: list[str]) -> None:
    for name in names:
        path = r.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.draw(fs.org_policy_file()))


def _valid(run: object) -> bool:
    from vaultplan.errors import VaultplanError

    try:
        run()  # type: ignore[operator]
    except (VaultplanError, UnicodeDecodeError):
        return False
    return True


# -- org validate ----------------------------------------------------------------------------


@budget(120)
@given(data=st.data(), count=st.integers(1, 3))
def test_org_validate_on_hostile_policies(data: st.DataObject, count: int) -> None:
    with room() as r:
        names = [f"p{i}.json" for i in range(count)]
        _policy_files(data, r, names)
        args = ["org", "validate", *(str(r.work / n) for n in names)]
        args += data.draw(_options({"--format": FORMATS, "-f": FORMATS, "--partial": st.none()}))
        check("org validate", args, r)


# -- org effective ---------------------------------------------------------------------------


def _org_room(data: st.DataObject, r: Room) -> Path:
    """An ORG.toml and the files it may name: policies, symlinks out, a loop, a folder."""
    _policy_files(data, r, ["p0.json", "p1.json", "sub/p2.json"])
    (r.work / "link.json").symlink_to(r.outside / "policy.json")
    (r.work / "sub" / "link.json").symlink_to(Path("..", "..", "outside", "policy.json"))
    (r.work / "config-link.toml").symlink_to(r.outside / "vaultplan.toml")
    (r.work / "loop.json").symlink_to("loop.json")
    (r.work / "dir").mkdir()
    config = data.draw(st.one_of(fs.org_config_file(), fs.config_file()))
    (r.work / "vaultplan.toml").write_bytes(config)
    text = data.draw(fs.org_toml_file())
    org = r.work / "ORG.toml"
    org.write_bytes(text.replace(b"@OUTSIDE@", os.fsencode(r.outside)))
    return org


EFFECTIVE = {
    "--account": _mostly(*fs.ORG_IDS, "333333333333"),
    "--format": _mostly("text", "json"),
    "-f": _mostly("json"),
    "--explain": _mostly("plans", "plans.Daily.regions", "plans.daily.rules", "", "."),
}


@budget(100)
@given(data=st.data())
def test_org_effective_on_hostile_orgs(data: st.DataObject) -> None:
    with room() as r:
        org = _org_room(data, r)
        where = data.draw(st.sampled_from([str(org)] * 8 + [str(r.work), "ORG.toml", "none"]))
        check("org effective", ["org", "effective", where, *data.draw(_options(EFFECTIVE))], r)


# -- org policy and synth --org --------------------------------------------------------------


def _org_config_valid(path: Path) -> bool:
    from vaultplan.config import load_config
    from vaultplan.config.loader import strategy_spec
    from vaultplan.org.policy import backup_policies, check_organization

    def run() -> None:
        loaded = load_config(path)
        spec = strategy_spec(loaded)
        backup_policies(spec, check_organization(spec, loaded.org))

    return _valid(run)


@budget(80)
@given(data=st.data(), config=st.one_of(fs.org_config_file(), fs.config_file()))
def test_org_policy_and_synth_org_on_hostile_configs(data: st.DataObject, config: bytes) -> None:
    with room() as r:
        path = _write(r, "vaultplan.toml", config)
        command = data.draw(st.sampled_from(["print", "out", "synth"]))
        # A valid config synthesizes through jsii with --out or synth --org, a second or more
        # each: CI keeps one in ten of them and prints the policy instead.
        if command != "print" and _org_config_valid(Path(path)) and data.draw(st.integers(0, 9)):
            command = "print"
        out = str(r.work / data.draw(st.sampled_from(["out", "out/deeper", "vaultplan.toml"])))
        if command == "synth":
            args = ["synth", "--org", "--config", path, "--out", out]
            args += data.draw(st.sampled_from([[], ["--format", "json"]]))
        else:
            args = ["org", "policy", "--config", path]
            args += ["--out", out] if command == "out" else []
        check("org policy", args, r)


# -- report ----------------------------------------------------------------------------------

REPORT = {
    "--start": st.one_of(st.just("2026-01-01"), date_text),
    "--days": mostly_number,
    "--size-gib": mostly_number,
    "--daily-change-percent": mostly_number,
    "--region": _mostly("us-east-1", "eu-west-1", "eu-west-9"),
}


def _report_out(data: st.DataObject, r: Room) -> str:
    name = data.draw(
        st.sampled_from(
            ["report.html"] * 6 + ["report.xyz", "dir", "missing/report.html", "", "report.html/"]
        )
    )
    (r.work / "dir").mkdir(exist_ok=True)
    return str(r.work / name) if name else name


@budget(30)
@given(data=st.data())
def test_report_on_hostile_inputs(data: st.DataObject) -> None:
    with room() as r:
        source = data.draw(st.sampled_from(["default", "default", "template", "config", "both"]))
        args = ["report", "--out", _report_out(data, r)]
        template = str(DEFAULT) if source == "default" else None
        if source in ("template", "both"):
            suffix, body = data.draw(fs.template_file())
            template = _write(r, f"t{suffix}", body)
        if source in ("config", "both"):
            config = _write(r, "vaultplan.toml", data.draw(fs.config_file()))
            # A valid config synthesizes through jsii (seconds): CI keeps one in ten of them.
            from vaultplan.config import load_config

            if (
                source == "config"
                and _valid(lambda: load_config(Path(config)))
                and data.draw(st.integers(0, 9))
            ):
                template = str(DEFAULT)
            else:
                args += ["--config", config]
        if template is not None:
            args.append(template)
        for i in range(data.draw(st.integers(0, 2))):
            text = data.draw(fs.identity_policy_text)
            args += ["--policy", _write(r, f"policy{i}.json", data.draw(fs.encoded(text)))]
        check("report", args + data.draw(_options(REPORT)), r)


# -- preflight -------------------------------------------------------------------------------

PREFLIGHT = {
    "--region": _mostly("us-east-1", "eu-west-1"),
    "--account": _mostly("123456789012"),
    "--partition": _mostly("aws", "aws-cn"),
    "--stack-name": arg_text,
    "--for": _mostly("exec-role", "user"),
    "--operations": _mostly("create", "create,update,delete", "delete,", "read"),
    "--format": _mostly("text", "json", "sarif"),
}


@budget(100)
@given(data=st.data())
def test_preflight_on_hostile_inputs(data: st.DataObject) -> None:
    with room() as r:
        if data.draw(st.booleans()):
            template = str(DEFAULT)
        else:
            suffix, body = data.draw(fs.template_file())
            template = _write(r, f"t{suffix}", body)
        args = ["preflight", template]
        for i in range(data.draw(st.integers(1, 2))):
            text = data.draw(fs.identity_policy_text)
            args += ["--policy", _write(r, f"policy{i}.json", data.draw(fs.encoded(text)))]
        for option in data.draw(st.lists(st.sampled_from(["--boundary", "--scp"]), max_size=2)):
            text = data.draw(fs.identity_policy_text)
            name = f"{option.strip('-')}{len(args)}.json"
            args += [option, _write(r, name, data.draw(fs.encoded(text)))]
        check("preflight", args + data.draw(_options(PREFLIGHT)), r)


def test_the_planted_policy_would_be_seen() -> None:
    # A check of the check: the room's outside policy names its plan after the sentinel, so a
    # command that read it would print it (here it is given directly, so reading is allowed).
    from fuzz_support import SENTINEL

    from cli_support import invoke

    with room() as r:
        result = invoke("org", "validate", str(r.outside / "policy.json"), "--format", "json")
    assert result.code == 1
    assert SENTINEL in result.stdout


def test_the_shares_add_up_to_the_ci_total() -> None:
    # Both fuzz modules are imported by now (this one imports test_fuzz_cli), so every
    # budget() has run: make fuzz N=... spreads exactly N examples over them.
    assert sum(SHARES) == CI_TOTAL

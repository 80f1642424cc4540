"""Containment (issue 11 "Hostile input", defects 1, 2 and the folder walk of 10): a command
reads only what it was given. A cloud assembly's manifest names files inside the assembly;
a malformed manifest is one line naming the field; a folder walk follows no symlink out."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from cli_support import PLAIN, invoke, one_error
from vaultplan.template import LoadedTemplate, NotATemplate, load
from vaultplan.template.assembly import MAX_ASSEMBLY_DEPTH

SENTINEL = "SENTINEL-OUTSIDE-contain"
BODY = {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """``<tmp>/outside/x.json``: a template no command is given, holding the sentinel."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "x.json").write_text(
        json.dumps({"Resources": {SENTINEL: {"Type": "AWS::S3::Bucket"}}})
    )
    return folder / "x.json"


def _stack(template_file: Any) -> dict[str, Any]:
    return {"type": "aws:cloudformation:stack", "properties": {"templateFile": template_file}}


def _assembly(folder: Path, artifacts: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": artifacts}))
    return folder


def _run(command: str, path: Path) -> str:
    """The one error line of ``vaultplan COMMAND PATH``; nothing of the sentinel shown."""
    result = invoke(command, str(path), env=PLAIN)
    assert SENTINEL not in result.stdout + result.stderr
    return one_error(result)


# -- defect 1: paths a manifest names --------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "policy"])
@pytest.mark.parametrize(
    ("name", "what"),
    [
        pytest.param("../outside/x.json", "resolves outside the cloud assembly", id="dotdot"),
        pytest.param("absolute", "an absolute path", id="absolute"),
        pytest.param("link.json", "resolves outside the cloud assembly", id="symlink-out"),
    ],
)
def test_defect_1_a_template_file_outside_the_assembly_is_declined(
    tmp_path: Path, outside: Path, command: str, name: str, what: str
) -> None:
    name = str(outside) if name == "absolute" else name
    out = _assembly(tmp_path / "cdk.out", {"S": _stack(name)})
    (out / "link.json").symlink_to(outside)
    line = _run(command, out)
    assert line.startswith(f"error: {out}/manifest.json: artifacts.S.properties.templateFile: ")
    assert what in line
    assert line.endswith(f"; got {name!r}")


def test_defect_1_a_manifest_symlinked_out_is_declined(tmp_path: Path, outside: Path) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    manifest = outside.parent / "manifest.json"
    manifest.write_text(json.dumps({"artifacts": {"S": _stack("x.json")}}))
    (out / "manifest.json").symlink_to(manifest)
    line = _run("policy", out)
    assert "manifest.json: resolves outside the cloud assembly" in line


def test_defect_1_a_nested_assembly_naming_itself_is_read_once(tmp_path: Path) -> None:
    out = _assembly(
        tmp_path / "cdk.out",
        {"Self": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}},
    )
    line = _run("check", out)
    assert line == (
        f"error: {out}/manifest.json: artifacts.Self.properties.directoryName: "
        "names an assembly already read; got '.'"
    )


def _chain(top: Path, levels: int) -> Path:
    """An assembly with ``levels`` nested assemblies, one inside the other, a stack in each."""
    folder = top
    for level in range(levels + 1):
        (folder / f"S{level}.template.json").parent.mkdir(parents=True, exist_ok=True)
        (folder / f"S{level}.template.json").write_text(json.dumps(BODY))
        artifacts: dict[str, Any] = {f"S{level}": _stack(f"S{level}.template.json")}
        if level < levels:
            artifacts["Inner"] = {
                "type": "cdk:cloud-assembly",
                "properties": {"directoryName": "assembly-Inner"},
            }
        _assembly(folder, artifacts)
        folder = folder / "assembly-Inner"
    return top


def test_defect_1_nested_assemblies_are_read_to_a_depth_of_8(tmp_path: Path) -> None:
    loaded = load([_chain(tmp_path / "cdk.out", MAX_ASSEMBLY_DEPTH)])
    # artifact ids in order: "Inner" (read in place, depth first) before "S<level>"
    assert [t.name for t in loaded.templates] == [f"S{i}" for i in reversed(range(9))]
    line = _run("check", _chain(tmp_path / "deeper", MAX_ASSEMBLY_DEPTH + 1))
    assert "properties.directoryName: nested assemblies deeper than 8 levels; " in line
    assert line.endswith("vaultplan reads at most 8; got 'assembly-Inner'")


@pytest.mark.parametrize("command", ["check", "policy"])
def test_defect_1_a_templates_reference_to_a_local_file_is_not_read(
    tmp_path: Path, outside: Path, command: str
) -> None:
    # AWS::Include and SAM's CodeUri name local files; vaultplan never opens them.
    template = tmp_path / "t.json"
    template.write_text(
        json.dumps(
            {
                "Transform": "AWS::Serverless-2016-10-31",
                "Resources": {
                    "Fn": {
                        "Type": "AWS::Serverless::Function",
                        "Properties": {"CodeUri": str(outside), "Handler": "x", "Runtime": "x"},
                    },
                    "Vault": {
                        "Type": "AWS::Backup::BackupVault",
                        "Properties": {
                            "BackupVaultName": "v",
                            "Fn::Transform": {
                                "Name": "AWS::Include",
                                "Parameters": {"Location": f"file://{outside}"},
                            },
                        },
                    },
                },
            }
        )
    )
    result = invoke(command, str(template), env=PLAIN)
    assert result.code in (0, 1), result.stderr
    assert SENTINEL not in result.stdout + result.stderr


# -- defect 2: a malformed manifest ----------------------------------------------------------


@pytest.mark.parametrize(
    ("manifest", "line"),
    [
        pytest.param([], "manifest.json: expected an object; got []", id="list"),
        pytest.param(
            {"artifacts": [_stack("x.json")]},
            "manifest.json: artifacts: expected an object; got "
            '[{"type": "aws:cloudformation:stack", "properties": {"templateFile": "x.json"}}]',
            id="artifacts-list",
        ),
        pytest.param(
            {"artifacts": {"S": _stack(3)}},
            "manifest.json: artifacts.S.properties.templateFile: "
            "expected a non-empty string; got 3",
            id="template-file-3",
        ),
        pytest.param(
            {"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {}}}},
            "manifest.json: artifacts.S.properties.templateFile: missing",
            id="template-file-missing",
        ),
        pytest.param(
            {"artifacts": {"S": {"type": "aws:cloudformation:stack"}}},
            "manifest.json: artifacts.S.properties: missing",
            id="properties-missing",
        ),
        pytest.param(
            {"artifacts": {"S": "stack"}},
            "manifest.json: artifacts.S: expected an object; got 'stack'",
            id="artifact-string",
        ),
        pytest.param(
            {"artifacts": {"S": {"type": "cdk:cloud-assembly", "properties": {}}}},
            "manifest.json: artifacts.S.properties.directoryName: missing",
            id="directory-name-missing",
        ),
        pytest.param(
            {"artifacts": {"S": _stack("gone.json")}},
            "manifest.json: artifacts.S.properties.templateFile: "
            "no such file in the assembly; got 'gone.json'",
            id="template-file-absent",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "policy"])
def test_defect_2_a_malformed_manifest_is_one_line_naming_the_field(
    tmp_path: Path, command: str, manifest: Any, line: str
) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert _run(command, out) == f"error: {out}/{line}"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        pytest.param(b"\xff{}", "not UTF-8 text (byte 0xff at byte 0 is not UTF-8)", id="bytes"),
        pytest.param("{}".encode("utf-16"), "not UTF-8 text (UTF-16 LE, by its", id="utf16"),
        pytest.param(b'{"artifacts": ', "not JSON (Expecting value", id="truncated"),
    ],
)
def test_defect_2_a_manifest_that_isnt_utf8_json_is_one_line(
    tmp_path: Path, data: bytes, what: str
) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "manifest.json").write_bytes(data)
    assert _run("policy", out).startswith(f"error: {out}/manifest.json: {what}")


def test_defect_2_a_manifest_in_a_plain_folder_is_declined_as_data(tmp_path: Path) -> None:
    # A folder run reads a cdk.out inside it file by file: its manifest is one more file
    # that isn't a template, named and skipped.
    (tmp_path / "t.json").write_text(json.dumps(BODY))
    (tmp_path / "cdk.out").mkdir()
    (tmp_path / "cdk.out" / "manifest.json").write_text("[]")
    result = invoke("policy", str(tmp_path), env=PLAIN)
    assert result.code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"skipped: {tmp_path}/cdk.out/manifest.json: not a CloudFormation template "
        "(top level is list, not a map)"
    ]


# -- folder walks (defect 10: `policy /`) ----------------------------------------------------


def test_a_folder_walk_declines_a_symlink_out_and_follows_no_folder_symlink(
    tmp_path: Path, outside: Path
) -> None:
    folder = tmp_path / "work"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "t.json").write_text(json.dumps(BODY))
    (folder / "x.json").symlink_to(outside)  # a file out: declined, not read
    (folder / "in.json").symlink_to(folder / "sub" / "t.json")  # a file inside: read
    (folder / "up").symlink_to(tmp_path)  # a folder: not followed (no loop, nothing out)
    (folder / "fifo.json").parent.mkdir(exist_ok=True)
    os.mkfifo(folder / "fifo.json")  # reading it would wait forever
    loaded = load([folder])
    assert [(t.path.name, t.name) for t in loaded.templates] == [("in.json", "in"), ("t.json", "t")]
    reasons = {d.path.name: d.reason for d in loaded.declined}
    assert reasons == {
        "fifo.json": "not a regular file",
        "x.json": f"a symlink to a file outside {folder.resolve()}; not read",
    }
    result = invoke("check", str(folder), env=PLAIN)
    assert SENTINEL not in result.stdout + result.stderr


def test_defect_10_an_unreadable_folder_in_a_walk_is_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "t.json").write_text(json.dumps(BODY))
    (tmp_path / "locked").mkdir()
    scandir = os.scandir

    def refuse(path: Any = ".") -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    items = load([tmp_path]).items
    assert isinstance(items[0], NotATemplate)
    assert (items[0].path.name, items[0].reason) == (
        "locked",
        "cannot read this folder (Permission denied)",
    )
    assert isinstance(items[1], LoadedTemplate)
    result = invoke("policy", str(tmp_path), env=PLAIN)
    assert result.code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"skipped: {tmp_path}/locked: cannot read this folder (Permission denied)"
    ]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_defect_10_policy_on_proc_is_one_line_not_a_traceback() -> None:
    # /proc holds links the system refuses to follow (/proc/1/cwd) and links back to /
    # (/proc/1/root): the walk follows neither, and ends.
    line = one_error(invoke("policy", "/proc", env=PLAIN))
    assert line == "error: template: no CloudFormation template in /proc"


def test_a_file_gone_before_it_is_read_is_declined_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by `vaultplan policy /` while other programs removed their temporary folders.
    from vaultplan.template import loader

    (tmp_path / "a.json").write_text(json.dumps(BODY))
    (tmp_path / "gone.json").write_text(json.dumps(BODY))
    listed = loader._skip

    def listed_then_removed(file: Path, root: Path) -> NotATemplate | None:
        reason = listed(file, root)
        if file.name == "gone.json":
            file.unlink()
        return reason

    monkeypatch.setattr(loader, "_skip", listed_then_removed)
    loaded = load([tmp_path])
    assert [t.name for t in loaded.templates] == ["a"]
    assert [(d.path.name, d.reason) for d in loaded.declined] == [
        ("gone.json", "no longer a file when it was read")
    ]


@pytest.mark.parametrize("command", ["check", "policy"])
@pytest.mark.parametrize(
    ("name", "what"),
    [
        # Found by `make fuzz N=50000`: the file system's name limit raised OSError.
        pytest.param("A" * 300 + ".template.json", "File name too long", id="name-too-long"),
        pytest.param("manifest.json/x.json", "Not a directory", id="file-as-folder"),
    ],
)
def test_a_template_file_that_cant_be_looked_up_is_one_line(
    tmp_path: Path, command: str, name: str, what: str
) -> None:
    assembly = _assembly(tmp_path / "cdk.out", {"S": _stack(name)})
    line = _run(command, assembly)
    assert "artifacts.S.properties.templateFile: cannot follow it" in line
    assert what in line

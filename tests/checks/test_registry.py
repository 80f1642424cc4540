"""The registry's behaviours, through ``vaultplan check`` and :func:`check_paths`.

GIVEN a small JSON template with two findings (VP101, an error, on vault ``Bad``; VP207 is
not involved), WHEN a check is duplicated, crashes, is ignored or suppressed, THEN the user
sees what the registry promises: an import error, an error finding naming the check, a run
without it, or the finding reported as suppressed with its reason.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_support import PLAIN, run_vaultplan
from vaultplan.checks import Severity, check_paths, registry
from vaultplan.checks.formatters import render_sarif, to_dict
from vaultplan.checks.registry import DuplicateCheckError, all_checks, check
from vaultplan.errors import InputError


def template(**metadata: Any) -> dict[str, Any]:
    """Vault ``Bad`` breaks VP101 (a space in its name), vault ``Good`` doesn't; both lack a
    customer-managed key (VP201). ``metadata``: ``Metadata`` of the template (``template=``)
    or of a resource (by logical id)."""
    body: dict[str, Any] = {
        "Resources": {
            lid: {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": name}}
            for lid, name in (("Bad", "a b"), ("Good", "good"))
        }
    }
    for where, value in metadata.items():
        place = body if where == "template" else body["Resources"][where]
        place["Metadata"] = value
    return body


def ignore(*entries: Any) -> dict[str, Any]:
    return {"vaultplan": {"ignore_checks": list(entries)}}


def write(tmp_path: Path, body: dict[str, Any]) -> Path:
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(body))
    return path


def run(*args: str, cwd: Path | None = None, module: str = "vaultplan") -> Any:
    return run_vaultplan("check", *args, env=PLAIN, cwd=cwd, module=module)


def ids(report_dict: dict[str, Any], key: str = "findings") -> list[tuple[str, str | None]]:
    return [(f["id"], f["resource"]) for f in report_dict[key]]


# -- a duplicate id fails at import ------------------------------------------------------------
def test_a_module_registering_an_existing_id_fails_at_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [c.id for c in all_checks()]
    (tmp_path / "dup_checks.py").write_text(
        "from vaultplan.checks.registry import check\n"
        "from vaultplan.checks.finding import Severity\n"
        "@check('VP101', Severity.ERROR, 'again', 'again', 'https://docs.aws.amazon.com/')\n"
        "def again(ctx):\n"
        "    return ()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(DuplicateCheckError, match="check id VP101 is registered twice: by "):
        importlib.import_module("dup_checks")
    sys.modules.pop("dup_checks", None)
    assert [c.id for c in all_checks()] == before  # the first registration stands


def test_a_malformed_id_is_refused() -> None:
    with pytest.raises(ValueError, match="check id: got 'X1'; a check id is VP and three"):
        check("X1", Severity.ERROR, "x", "x", "https://docs.aws.amazon.com/")(lambda ctx: ())


# -- a crashing check is an error finding, and the others still run -------------------------------
CRASHY = """\
import sys
from vaultplan.checks.finding import Severity
from vaultplan.checks.registry import check
from vaultplan.cli import main

@check("VP299", Severity.WARNING, "crashes", "crashes", "https://docs.aws.amazon.com/")
def crashes(ctx):
    yield from ()
    raise RuntimeError("first line\\nsecond line")

main()
"""


def test_a_crashing_check_is_one_error_line_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "crashy.py").write_text(CRASHY)
    stack = write(tmp_path, template())
    result = run(str(stack), "--format", "json", cwd=tmp_path, module="crashy")
    assert result.returncode == 1  # the crash is an error
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    crash = [f for f in data["findings"] if f["id"] == "VP001"]
    assert [(f["severity"], f["message"]) for f in crash] == [
        ("error", "check VP299 crashed: RuntimeError: first line")
    ]
    assert ("VP101", "Bad") in ids(data)  # the other checks still ran


@pytest.fixture()
def crashing_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Check VP298, which raises, registered for one test only."""
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))

    @check("VP298", Severity.INFO, "crashes", "crashes", "https://docs.aws.amazon.com/")
    def crashes(ctx: object) -> list[object]:
        raise KeyError("Properties")

    yield


@pytest.mark.usefixtures("crashing_check")
def test_a_crashing_check_is_an_error_finding_of_check_paths(tmp_path: Path) -> None:
    report = check_paths([write(tmp_path, template())])
    crash = [f for f in report.findings if f.check_id == "VP001"]
    assert [(f.severity, f.message) for f in crash] == [
        (Severity.ERROR, "check VP298 crashed: KeyError: 'Properties'")
    ]
    assert report.exit_code == 1
    assert {"VP101", "VP201"} <= {f.check_id for f in report.findings}


# -- --ignore-checks ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--ignore-checks", "VP101,VP201"], id="comma-separated"),
        pytest.param(["--ignore-checks", "VP101", "--ignore-checks", "vp201"], id="repeated"),
    ],
)
def test_ignored_checks_do_not_run(tmp_path: Path, args: list[str]) -> None:
    result = run(str(write(tmp_path, template())), "--format", "json", *args)
    assert result.returncode == 0, result.stderr  # VP101, the only error, did not run
    data = json.loads(result.stdout)
    assert {f["id"] for f in data["findings"]} & {"VP101", "VP201"} == set()
    assert data["findings"]  # the other checks did


def test_an_unknown_id_to_ignore_is_one_line_exit_2_listing_the_known(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, template())), "--ignore-checks", "VP101,VP999")
    assert result.returncode == 2
    assert result.stdout == ""
    known = ", ".join(c.id for c in all_checks())
    assert result.stderr == (
        f"error: --ignore-checks: got 'VP999', not a check id (known: {known})\n"
    )


def test_check_paths_ignores_and_rejects_ids(tmp_path: Path) -> None:
    stack = write(tmp_path, template())
    report = check_paths([stack], ignore_checks=["VP101"])
    assert "VP101" not in {f.check_id for f in report.findings}
    with pytest.raises(InputError, match="ignore_checks: got 'VP1O1', not a check id"):
        check_paths([stack], ignore_checks=["VP1O1"])


def test_help_documents_ignore_checks_and_metadata_suppressions() -> None:
    result = run("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--ignore-checks VP204,VP207 (repeatable, or ids separated by commas)" in text
    assert "vaultplan: {ignore_checks: [{id: VP207, reason: ...}]}" in text


# -- suppressions in Metadata, with a reason -------------------------------------------------------
REASON = "vault names are fixed by the legacy account; renaming replaces the vault"


def test_a_resource_suppression_is_reported_as_suppressed_and_does_not_fail(
    tmp_path: Path,
) -> None:
    stack = write(tmp_path, template(Bad=ignore({"id": "VP101", "reason": REASON})))
    result = run(str(stack), "--format", "json")
    assert result.returncode == 0, result.stdout  # the only error is suppressed
    data = json.loads(result.stdout)
    assert ("VP101", "Bad") not in ids(data)
    assert [(f["id"], f["resource"], f["reason"]) for f in data["suppressed"]] == [
        ("VP101", "Bad", REASON)
    ]
    assert data["summary"]["errors"] == 0
    assert data["templates"][0]["suppressed"] == 1


def test_a_resource_suppression_covers_only_that_resource(tmp_path: Path) -> None:
    stack = write(tmp_path, template(Bad=ignore({"id": "VP201", "reason": REASON})))
    report = check_paths([stack])
    assert [(f.check_id, f.resource) for f in report.suppressed] == [("VP201", "Bad")]
    assert ("VP201", "Good") in [(f.check_id, f.resource) for f in report.findings]


def test_a_template_suppression_covers_every_resource(tmp_path: Path) -> None:
    stack = write(tmp_path, template(template=ignore({"id": "VP201", "reason": REASON})))
    report = check_paths([stack])
    assert sorted((f.check_id, f.resource, f.suppression) for f in report.suppressed) == [
        ("VP201", "Bad", REASON),
        ("VP201", "Good", REASON),
    ]


def test_the_text_summary_counts_suppressed_findings(tmp_path: Path) -> None:
    stack = write(tmp_path, template(template=ignore({"id": "VP201", "reason": REASON})))
    result = run(str(stack))
    summary = result.stdout.splitlines()[-1]
    assert ", 2 suppressed (reasons: --format json), " in summary, summary


def test_sarif_carries_the_suppression_and_its_justification(tmp_path: Path) -> None:
    stack = write(tmp_path, template(Bad=ignore({"id": "VP101", "reason": REASON})))
    sarif = json.loads(render_sarif(check_paths([stack])))
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "VP101"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": REASON}]
    assert result["level"] == "error"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            "VP101",
            "Metadata.vaultplan.ignore_checks[0]: got 'VP101' without a reason; write "
            "{id: VP207, reason: why}. Until it has one, it suppresses nothing",
            id="a-bare-id",
        ),
        pytest.param(
            {"id": "VP101"},
            "Metadata.vaultplan.ignore_checks[0].reason: got None for VP101; a suppression "
            "needs a written reason. Until it has one, it suppresses nothing",
            id="no-reason",
        ),
    ],
)
def test_a_suppression_without_a_reason_is_a_finding_and_suppresses_nothing(
    tmp_path: Path, entry: Any, message: str
) -> None:
    stack = write(tmp_path, template(Bad=ignore(entry)))
    result = run(str(stack), "--format", "json")
    assert result.returncode == 1  # VP101 still reported
    data = json.loads(result.stdout)
    assert ("VP101", "Bad") in ids(data)
    assert data["suppressed"] == []
    (vp002,) = [f for f in data["findings"] if f["id"] == "VP002"]
    assert (vp002["severity"], vp002["resource"], vp002["message"]) == ("warning", "Bad", message)
    assert vp002["path"] == "Resources/Bad/Metadata/vaultplan/ignore_checks/0"


def test_json_of_a_report_without_suppressions_lists_none(tmp_path: Path) -> None:
    data = to_dict(check_paths([write(tmp_path, template())]))
    assert data["suppressed"] == []

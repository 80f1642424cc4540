"""``vaultplan report`` at the command line, no browser: the page is written whole, bad input
is one line and exit 2 with nothing written, and the page is self-contained."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from cli_support import ROOT, run_vaultplan

TEMPLATE = ROOT / "tests" / "golden" / "default_template.json"


def _report(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = run_vaultplan("report", *args, cwd=tmp_path)
    return result.returncode, result.stdout, result.stderr


def test_a_template_s_page_is_written_whole_and_readable(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    start = ("--start", "2026-01-01")
    code, stdout, stderr = _report(tmp_path, str(TEMPLATE), *start, "-o", "report.html")
    assert (code, stderr) == (0, "")
    page = out.read_text(encoding="utf-8")
    assert stdout == f"Report written to report.html ({len(page.encode()):,} bytes)\n"
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "default-src 'none'" in page  # the CSP: the page may load nothing
    assert stat.S_IMODE(out.stat().st_mode) & 0o044 == 0o044  # readable as any new file is
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left


def test_the_figures_are_those_of_simulate_for_a_template(tmp_path: Path) -> None:
    _report(tmp_path, str(TEMPLATE), "--start", "2026-01-01", "--days", "90", "-o", "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    sim = run_vaultplan(
        "simulate", str(TEMPLATE), "--start", "2026-01-01", "--days", "90", "-f", "json"
    )
    summary = json.loads(sim.stdout)["summary"]
    assert f'data-figure="total-cost-usd" data-value="{summary["total_cost_usd"]}"' in page
    assert f'data-figure="warm-at-end" data-value="{summary["recovery_points"]["warm"]}"' in page


def test_values_are_escaped(tmp_path: Path) -> None:
    body = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    plan = next(r for r in body["Resources"].values() if r["Type"] == "AWS::Backup::BackupPlan")
    plan["Properties"]["BackupPlan"]["BackupPlanName"] = "<script>alert(1)</script>"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(body), encoding="utf-8")
    code, _, stderr = _report(tmp_path, str(hostile), "--start", "2026-01-01", "-o", "r.html")
    assert (code, stderr) == (0, "")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the page's own filter


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json"], "error: template: no such file or directory: missing.json"),
        (["--config", "c.toml", "t.json"], "error: --config: got 'c.toml' and TEMPLATE"),
        (["--out", "nowhere/r.html", str(TEMPLATE)], "error: --out: got 'nowhere/r.html'; its"),
        (["--out", ".", str(TEMPLATE)], "error: --out: got '.'; it is a folder"),
        ([str(TEMPLATE), "--start", "2026-02-30"], "error: --start: got '2026-02-30'"),
        ([str(TEMPLATE), "--days", "0"], "error: --days: got 0"),
        ([str(TEMPLATE), "--policy", "bad.json"], "error: bad.json: not a policy document"),
        (["--config", "bad.toml"], "error: bad.toml: not valid TOML"),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    (tmp_path / "bad.toml").write_text("x", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    out = [] if "--out" in args else ["--out", "r.html"]
    code, stdout, stderr = _report(tmp_path, *args, *out)
    assert code == 2
    assert stdout == ""
    assert stderr.startswith(message) and stderr.count("\n") == 1, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_failed_report_leaves_the_earlier_page(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("earlier", encoding="utf-8")
    code, _, _ = _report(tmp_path, "missing.json", "--out", "r.html")
    assert code == 2
    assert out.read_text(encoding="utf-8") == "earlier"


def test_a_template_without_a_backup_plan_gets_a_page_that_says_so(
    tmp_path: Path, backup_corpus_dir: Path
) -> None:
    """Restore testing but no plan: simulate refuses it, the report still has every section."""
    template = backup_corpus_dir / (
        "12_aws-samples__backup-recovery-with-aws-backup__aws-backup-restore-test-plan.yaml"
    )
    simulated = run_vaultplan("simulate", str(template), "--start", "2026-01-01")
    assert simulated.returncode == 2  # nothing to simulate
    code, stdout, stderr = _report(tmp_path, str(template), "--start", "2026-01-01", "-o", "r.html")
    assert (code, stderr) == (0, "")
    assert stdout.startswith("Report written to r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("<h2 ") == 5
    keeps = page[page.index('<section id="keeps"') :].split("</section>")[0]
    assert "The template has no backup plan (no AWS::Backup::BackupPlan resource)" in keeps
    assert "nothing to simulate" in keeps
    assert "There are no copies" in page
    assert 'id="finding-list"' in page and 'data-figure="policy-actions"' in page


def test_a_bad_period_is_refused_even_with_no_plan_to_simulate(
    tmp_path: Path, backup_corpus_dir: Path
) -> None:
    template = backup_corpus_dir / (
        "12_aws-samples__backup-recovery-with-aws-backup__aws-backup-restore-test-plan.yaml"
    )
    code, stdout, stderr = _report(tmp_path, str(template), "--days", "0", "-o", "r.html")
    assert (code, stdout) == (2, "")
    assert stderr.startswith("error: --days: got 0;") and stderr.count("\n") == 1
    assert not (tmp_path / "r.html").exists()

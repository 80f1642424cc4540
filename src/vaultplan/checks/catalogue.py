"""The catalogue of checks, as Markdown, generated from their metadata (``docs/checks.md``)."""

from __future__ import annotations

from vaultplan.checks.registry import all_checks

__all__ = ["render_markdown"]

_INTRO = """\
# `vaultplan check`: the catalogue of checks

Generated from the checks' metadata by `scripts/docs_checks.py` (`make docs`); do not edit.

- **Errors (`VP1xx`)**: AWS Backup would reject the template at deploy. Any error makes
  `vaultplan check` exit with 1.
- **Warnings (`VP2xx`)**: AWS accepts it, but data is less protected than it looks.
- **Info**: worth knowing, nothing wrong. Some warnings are demoted to info in the cases
  their explanation gives.
- **AWS Organizations backup policies (`VP4xx`)**: found in backup policy documents by
  `vaultplan org validate` and `vaultplan org effective`; they find nothing in a template.
- **vaultplan's own (`VP0xx`)**: a check that crashed (VP001, an error naming the check and
  the exception; the other checks still run), a suppression without a reason (VP002).

A check has three outcomes: compliant (nothing reported), non-compliant (a finding), or not
applicable, when the value it needs can't be known offline (a parameter without a default,
a resource attribute, `AWS::Region`...). Values are never guessed; `--parameters` supplies
them, and `--show-not-applicable` lists what was left undecided.

Turning checks off: `--ignore-checks VP204,VP207` doesn't run them. To accept one finding
with a reason, write the suppression in the template, in the `Metadata` of the resource
(or of the whole template):

```yaml
Metadata:
  vaultplan:
    ignore_checks:
      - id: VP207
        reason: "The daily rule's points are dropped on the 1st; the monthly one keeps them."
```

A suppressed finding is still reported, as suppressed with its reason: counted in the
summary, listed in JSON (`suppressed`) and in SARIF (a result with `suppressions`). It no
longer fails the run.
"""


def render_markdown() -> str:
    lines = [_INTRO, "| ID | Severity | Cause |", "|---|---|---|"]
    checks = all_checks()
    for c in checks:
        lines.append(f"| [{c.id}](#{c.id.lower()}) | {c.severity.value} | {c.shortdesc} |")
    for c in checks:
        lines += [
            "",
            f"## {c.id}",
            "",
            f"**{c.shortdesc}** ({c.severity.value})",
            "",
            c.explanation,
            "",
            f"Source: <{c.source_url}>",
        ]
    return "\n".join(lines) + "\n"

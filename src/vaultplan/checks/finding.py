"""What a check reports: findings (non-compliant) and not-applicable results, as data."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

__all__ = ["Finding", "Issue", "NotApplicable", "Path", "Severity", "render_path"]

#: A location in the template, from its root: ``("Resources", "Plan", "Properties", ...)``.
Path = tuple[str | int, ...]


class Severity(StrEnum):
    """``error``: AWS would reject it; ``warning``: data less protected than it looks;
    ``info``: worth knowing, nothing wrong."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


def render_path(path: Path) -> str:
    """``Resources/Plan/Properties/BackupPlan/BackupPlanRule/0`` (cfn-lint's style)."""
    return "/".join(str(p) for p in path)


@dataclass(frozen=True)
class Issue:
    """What a check yields for a non-compliant value (the runner adds the check's metadata).

    ``severity`` overrides the check's default (e.g. a warning demoted to info).
    """

    resource: str | None
    path: Path
    message: str
    severity: Severity | None = None


@dataclass(frozen=True)
class NotApplicable:
    """A check that could not decide, and why (the value is unresolved, say). Never a guess."""

    resource: str | None
    path: Path
    reason: str
    check_id: str = ""
    template: str = ""

    @property
    def path_text(self) -> str:
        return render_path(self.path)


@dataclass(frozen=True)
class Finding:
    """One problem found in one template."""

    check_id: str
    severity: Severity
    template: str
    resource: str | None
    path: Path
    message: str
    source_url: str
    line: int | None = None
    #: The 1-based column on ``line`` (text output only; JSON and SARIF give the line).
    column: int | None = None
    #: The written reason, when a suppression in the template's Metadata covers it.
    suppression: str | None = None

    @property
    def path_text(self) -> str:
        return render_path(self.path)

    def suppressed_by(self, reason: str) -> Finding:
        return replace(self, suppression=reason)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.template, self.severity.rank, self.check_id, self.path_text, self.message)

"""Suppressing a check in the template itself, with a written reason (VP002 when it is not).

A suppression is written in a ``Metadata`` section: the template's (it covers every finding
of that check in the template) or a resource's (it covers the findings on that resource)::

    Metadata:
      vaultplan:
        ignore_checks:
          - id: VP207
            reason: "The monthly rule's copies are the point; the daily ones may be dropped."

The shape takes cfn-lint's ``Metadata: cfn-lint: config: ignore_checks`` place and cdk-nag's
``rules_to_suppress`` entries, which need a ``reason``. A CDK app writes it with
``CfnResource.add_metadata("vaultplan", {...})`` or the stack's ``template_options.metadata``.
A suppressed finding is still reported, as suppressed, with its reason. An entry without a
reason, or naming no check, suppresses nothing and is itself finding VP002.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from vaultplan.checks.finding import Finding, Issue, Path
from vaultplan.checks.model import CheckContext, Result
from vaultplan.checks.registry import check, known_ids

__all__ = ["KEY", "Suppression", "apply", "read"]

#: The key of vaultplan's entry in a ``Metadata`` section.
KEY = "vaultplan"
_ENTRIES = "ignore_checks"
_EXAMPLE = "{id: VP207, reason: why}"


@dataclass(frozen=True)
class Suppression:
    """One valid ``ignore_checks`` entry: check ``check_id`` on ``resource`` (None: the whole
    template), with its ``reason``; ``path`` is where it is written."""

    check_id: str
    reason: str
    resource: str | None
    path: Path

    def covers(self, finding: Finding) -> bool:
        return finding.check_id == self.check_id and self.resource in (None, finding.resource)


def _places(body: Mapping[str, Any]) -> Iterator[tuple[str | None, Path, Any]]:
    """``(resource or None, path, metadata)`` of the template and of each resource."""
    yield None, ("Metadata",), body.get("Metadata")
    resources = body.get("Resources")
    if isinstance(resources, Mapping):
        for lid, res in resources.items():
            if isinstance(res, Mapping):
                yield str(lid), ("Resources", str(lid), "Metadata"), res.get("Metadata")


def _entry(resource: str | None, path: Path, field: str, entry: Any) -> Suppression | Issue:
    if isinstance(entry, str):
        return Issue(
            resource,
            path,
            f"{field}: got {entry!r} without a reason; write {_EXAMPLE}. Until it has one, "
            "it suppresses nothing",
        )
    if not isinstance(entry, Mapping):
        return Issue(resource, path, f"{field}: got {entry!r}; expected {_EXAMPLE}")
    check_id, reason = entry.get("id"), entry.get("reason")
    if not (isinstance(check_id, str) and check_id.upper() in known_ids()):
        return Issue(
            resource,
            path,
            f"{field}.id: got {check_id!r}, not a check id (docs/checks.md lists them); it "
            "suppresses nothing",
        )
    if not isinstance(reason, str) or not reason.strip():
        return Issue(
            resource,
            path,
            f"{field}.reason: got {reason!r} for {check_id}; a suppression needs a written "
            "reason. Until it has one, it suppresses nothing",
        )
    return Suppression(str(check_id).upper(), reason.strip(), resource, path)


def _read(body: Mapping[str, Any]) -> Iterator[Suppression | Issue]:
    for resource, where, metadata in _places(body):
        if not isinstance(metadata, Mapping) or KEY not in metadata:
            continue
        section = metadata[KEY]
        path = (*where, KEY)
        field = f"Metadata.{KEY}"  # the finding's resource says whose Metadata
        if not isinstance(section, Mapping) or not isinstance(section.get(_ENTRIES), list):
            yield Issue(
                resource,
                path,
                f"{field}: got {section!r}; expected {{{_ENTRIES}: [{_EXAMPLE}, ...]}}",
            )
            continue
        for i, entry in enumerate(section[_ENTRIES]):
            yield _entry(resource, (*path, _ENTRIES, i), f"{field}.{_ENTRIES}[{i}]", entry)


def read(body: Mapping[str, Any]) -> list[Suppression]:
    """The template's valid suppressions (its malformed ones are VP002's findings)."""
    return [s for s in _read(body) if isinstance(s, Suppression)]


def apply(
    findings: list[Finding], suppressions: list[Suppression]
) -> tuple[list[Finding], list[Finding]]:
    """``(reported, suppressed)``: each suppressed finding carries its reason. A resource's
    own suppression is preferred to the template's."""
    reported: list[Finding] = []
    suppressed: list[Finding] = []
    ordered = sorted(suppressions, key=lambda s: s.resource is None)
    for finding in findings:
        match = next((s for s in ordered if s.covers(finding)), None)
        if match is None:
            reported.append(finding)
        else:
            suppressed.append(finding.suppressed_by(match.reason))
    return reported, suppressed


@check("VP002")
def malformed_suppressions(ctx: CheckContext) -> Result:
    for item in _read(ctx.template.body):
        if isinstance(item, Issue):
            yield item

"""The notes ``vaultplan synth`` prints under its summary: what the stack needs that the
template can't give it.

- A selection that can select S3 buckets: AWS Backup for S3 needs versioning on each bucket
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html), which a backup
  strategy can't turn on for buckets it doesn't own.
- A resource type of the stack (``AWS::Backup::Framework``, ``ReportPlan``,
  ``RestoreTestingPlan``...) that doesn't exist in the config's Region, or, with no Region, the
  Regions that lack it (from cfn-lint's per-Region schemas: :mod:`vaultplan.aws.regions`).
"""

from __future__ import annotations

from vaultplan.aws.backup_role import S3_TYPE
from vaultplan.aws.regions import regions_lacking
from vaultplan.config.loader import strategy_spec
from vaultplan.config.model import Config

__all__ = ["synth_notes"]

S3_VERSIONING = (
    "selection: it can select S3 buckets; AWS Backup backs up only buckets with versioning "
    "enabled (s3-backups.html), so turn versioning on for each of them (the role has the "
    "AWSBackupServiceRolePolicyForS3Backup and AWSBackupServiceRolePolicyForS3Restore policies)"
)


def synth_notes(config: Config) -> tuple[str, ...]:
    """The notes for ``config``, one line each, in a stable order."""
    notes: list[str] = []
    # Any plan's selection: the role gets the S3 policies for every plan alike.
    if any(S3_TYPE in plan.selected_resource_types() for plan in strategy_spec(config).plans):
        notes.append(S3_VERSIONING)
    notes += region_notes(config)
    return tuple(notes)


def region_notes(config: Config) -> list[str]:
    """One note per resource type of the stack that its Region (or some Region) lacks."""
    types = strategy_spec(config).backup_resource_types
    notes = []
    for resource_type, regions in regions_lacking(types, config.region).items():
        if config.region is not None:
            notes.append(
                f"region: {resource_type} doesn't exist in {config.region} (cfn-lint's "
                "schemas for that Region), so the stack would fail to create there; turn off "
                "what needs it or deploy in another Region"
            )
        else:
            notes.append(
                f"{resource_type} doesn't exist in {len(regions)} Regions, where this "
                f"environment-agnostic stack would fail to create: {', '.join(regions)}"
            )
    return notes

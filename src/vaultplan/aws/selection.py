"""The quotas of one backup selection (resource assignment).

Sources (pages under https://docs.aws.amazon.com/aws-backup/latest/devguide/):

- At most 500 ARNs without wildcards, or 30 when any has one, for both included and excluded
  ARNs (API_BackupSelection.html).
- 30 tags in one selection (``ListOfTags`` and ``Conditions`` together), and 100 resource
  assignments per plan (aws-backup-limits.html).
- A ``Conditions`` key names a resource tag as ``aws:ResourceTag/<key>``
  (API_ConditionParameter.html).
"""

from __future__ import annotations

__all__ = [
    "MAX_ARNS",
    "MAX_SELECTIONS",
    "MAX_TAG_CONDITIONS",
    "MAX_WILDCARD_ARNS",
    "RESOURCE_TAG_PREFIX",
]

MAX_ARNS = 500
"""ARNs in one selection without wildcards (API_BackupSelection)."""
MAX_WILDCARD_ARNS = 30
"""ARNs in one selection when any has a wildcard (API_BackupSelection)."""
MAX_TAG_CONDITIONS = 30
"""Tags in one selection, ``ListOfTags`` and ``Conditions`` together (aws-backup-limits)."""
MAX_SELECTIONS = 100
"""Resource assignments (selections) per plan (aws-backup-limits)."""
RESOURCE_TAG_PREFIX = "aws:ResourceTag/"
"""How a selection's ``Conditions`` name a resource tag."""

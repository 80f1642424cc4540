"""Refresh ``src/vaultplan/aws/data/vault_events.json``: which backup vault events AWS Backup sends.

botocore's ``BackupVaultEvent`` enum is what the API's model accepts, but AWS documents that
part of it is deprecated: those events "do not return statuses or notifications"
(API_PutBackupVaultNotifications), and CloudFormation refused them with "Please select from
the following list of notifications ..."
(https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1188). The
deprecated names and their replacements are curated by hand below, each with its source; every
other name of botocore's enum is written as supported.

Run: ``PYTHONPATH=src .venv/bin/python scripts/vault_events.py``
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import botocore
from botocore.loaders import Loader

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "vaultplan" / "aws" / "data" / "vault_events.json"

API_DOC = (
    "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultNotifications.html"
)
GUIDE = "https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-notifications.html"
ROADMAP = "https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1188"

_STATE = "it reports every end state; filter on the message attribute State = {state}"
DEPRECATED = {
    "BACKUP_JOB_SUCCESSFUL": ("BACKUP_JOB_COMPLETED", _STATE.format(state="COMPLETED")),
    "BACKUP_JOB_FAILED": ("BACKUP_JOB_COMPLETED", _STATE.format(state="FAILED")),
    "BACKUP_JOB_EXPIRED": ("BACKUP_JOB_COMPLETED", _STATE.format(state="EXPIRED")),
    "RESTORE_JOB_SUCCESSFUL": ("RESTORE_JOB_COMPLETED", _STATE.format(state="COMPLETED")),
    "RESTORE_JOB_FAILED": ("RESTORE_JOB_COMPLETED", _STATE.format(state="FAILED")),
    "BACKUP_PLAN_CREATED": (
        None,
        "no vault event replaces it; watch aws.backup events with an EventBridge rule",
    ),
    "BACKUP_PLAN_MODIFIED": (
        None,
        "no vault event replaces it; watch aws.backup events with an EventBridge rule",
    ),
}
"""The names the API reference lists as deprecated (valid values minus its supported list)."""

PROBLEM_STATES = ("FAILED", "EXPIRED", "ABORTED", "PARTIAL")
"""Job states worth an e-mail. PARTIAL: a composite job some of whose child jobs failed
(botocore's BackupJobState and CopyJobState enums list it)."""
STATE_SHAPES = ("BackupJobState", "CopyJobState", "RestoreJobStatus")
"""botocore's enums of the states a job's ``State`` attribute carries."""


def main() -> int:
    shapes = Loader().load_service_model("backup", "service-2")["shapes"]
    enum = list(shapes["BackupVaultEvent"]["enum"])
    states = {state for shape in STATE_SHAPES for state in shapes[shape]["enum"]}
    unknown = sorted(set(PROBLEM_STATES) - states)
    if unknown:
        print(f"problem states no job state enum of botocore lists: {unknown}", file=sys.stderr)
        return 1
    missing = sorted(set(DEPRECATED) - set(enum))
    if missing:
        print(f"deprecated events botocore no longer lists: {missing}", file=sys.stderr)
        return 1
    data = {
        "source": (
            f"botocore {botocore.__version__} backup service model (shape BackupVaultEvent) for "
            f"the names the API accepts; {API_DOC} and {GUIDE} for the supported and deprecated "
            f"lists; {ROADMAP} for CloudFormation refusing names outside the supported list. "
            "Regenerate with scripts/vault_events.py"
        ),
        "date": dt.date.today().isoformat(),
        "botocore": botocore.__version__,
        "supported": [name for name in enum if name not in DEPRECATED],
        "deprecated": {
            name: {"replacement": replacement, "how": how}
            for name, (replacement, how) in DEPRECATED.items()
        },
        "state_attribute": {
            "name": "State",
            "source": (
                f"{GUIDE} (Examples of events: MessageAttributes EventType and State); the "
                f"states are those of botocore's {', '.join(STATE_SHAPES)} enums"
            ),
            "problem_states": list(PROBLEM_STATES),
        },
    }
    DATA.write_text(json.dumps(data, indent=2) + "\n")
    print(
        f"wrote {DATA.relative_to(ROOT)}: {len(data['supported'])} supported, "
        f"{len(DEPRECATED)} deprecated"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""AWS cron schedules as AWS Backup takes them: parse, validate, evaluate, describe.

Pure Python, light to import (no aws_cdk, no cfn-lint).
"""

from __future__ import annotations

from vaultplan.schedule.cron import AwsCron, CronError, parse_cron

__all__ = ["AwsCron", "CronError", "parse_cron"]

"""Which resources the selections cover (VP208); whether their roles may back up what they
select (VP209) is :mod:`vaultplan.checks.selection`.

What a selection selects is matched by :mod:`vaultplan.template.selection`.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext
from vaultplan.checks.registry import check
from vaultplan.template.selection import SelectionMatcher, tri_or

Result = Iterator[Issue | NotApplicable]
_DEV = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"


@check(
    "VP208",
    Severity.WARNING,
    "EFS, EBS, RDS or DynamoDB resource that no backup selection covers",
    "Every file system, volume, database and table in the template should be covered by a "
    "selection: by ARN (`Ref`, `Fn::GetAtt` or `Fn::Sub` of the resource, or a wildcard "
    "ARN), or by tags (`ListOfTags`, `Conditions`) that match the resource's tags. EFS "
    "automatic backups (`BackupPolicy: {Status: ENABLED}`) count as covered.",
    _DEV + "assigning-resources.html",
)
def uncovered_resources(ctx: CheckContext) -> Result:
    matcher = SelectionMatcher(ctx.template, ctx.r)
    for target in matcher.targets():
        if target.type == "AWS::RDS::DBInstance" and target.props.get("DBClusterIdentifier"):
            continue  # an Aurora instance: its cluster is what AWS Backup protects
        if target.covered_by_automatic_backup():
            continue
        # A generator: tri_or stops at the first selection that covers the target.
        verdict = tri_or(matcher.selects(s.logical_id, s.node, target) for s in ctx.selections)
        path = ("Resources", target.logical_id)
        if verdict is None:
            yield NotApplicable(
                target.logical_id,
                path,
                "whether a selection covers it depends on values unknown offline",
            )
        elif verdict is False:
            how = (
                f"none of the {len(ctx.selections)} backup selection(s) matches it by ARN or tags"
                if ctx.selections
                else "the template has no backup selection"
            )
            yield Issue(
                target.logical_id,
                path,
                f"{target.type} {target.logical_id} is not backed up: {how}. Add its ARN to a "
                "selection's Resources, or tag it to match one",
            )

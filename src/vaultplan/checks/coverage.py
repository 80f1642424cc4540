"""Which resources the selections cover (VP208), and the S3 buckets they can select without
versioning (VP211); whether their roles may back up what they select (VP209) is
:mod:`vaultplan.checks.selection`.

What a selection selects is matched by :mod:`vaultplan.template.selection`.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultplan.aws.resource_types import S3_BUCKET
from vaultplan.checks.finding import Issue, NotApplicable
from vaultplan.checks.model import CheckContext
from vaultplan.checks.registry import check
from vaultplan.template.resolve import Unresolved
from vaultplan.template.selection import SelectionMatcher, Target, tri_or

Result = Iterator[Issue | NotApplicable]
_DEV = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"


@check("VP208")
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


S3_BUCKET_TYPE = "AWS::S3::Bucket"


def selected_buckets(ctx: CheckContext) -> list[tuple[Target, list[str], bool]]:
    """The template's S3 buckets some selection may select: ``(bucket, the selections that
    select it, whether that is certain)``; a bucket no selection selects is left out."""
    matcher = SelectionMatcher(ctx.template, ctx.r)
    out: list[tuple[Target, list[str], bool]] = []
    for bucket in matcher.targets({S3_BUCKET_TYPE: S3_BUCKET}):
        verdicts = {
            s.logical_id: matcher.selects(s.logical_id, s.node, bucket) for s in ctx.selections
        }
        sure = sorted(lid for lid, v in verdicts.items() if v is True)
        maybe = sorted(lid for lid, v in verdicts.items() if v is None)
        if sure or maybe:
            out.append((bucket, sure or maybe, bool(sure)))
    return out


@check("VP211")
def unversioned_buckets(ctx: CheckContext) -> Result:
    for bucket, selections, sure in selected_buckets(ctx):
        path = ("Resources", bucket.logical_id, "Properties", "VersioningConfiguration")
        names = ", ".join(selections)
        statuses = ctx.r.lookup(bucket.props, "VersioningConfiguration", "Status")
        unknown = next((v for v in statuses if isinstance(v, Unresolved)), None)
        if unknown is not None:
            yield ctx.not_applicable(
                bucket.logical_id, path, "VersioningConfiguration.Status", unknown
            )
            continue
        off = sorted(
            {"not set" if v is None else f"Status {v}" for v in statuses if v != "Enabled"}
        )
        if not off:
            continue
        if not sure:
            yield NotApplicable(
                bucket.logical_id,
                path,
                f"bucket {bucket.logical_id} has no versioning; whether selection(s) {names} "
                "select it depends on values unknown offline",
            )
            continue
        got = " or ".join(off)
        yield Issue(
            bucket.logical_id,
            path,
            f"S3 bucket {bucket.logical_id} is selected by {names} but has no versioning "
            f"(VersioningConfiguration: {got}); AWS Backup backs up only versioned buckets, so "
            "its backup jobs would fail. Set VersioningConfiguration.Status to Enabled",
        )

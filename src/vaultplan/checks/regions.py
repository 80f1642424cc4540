"""Where the template can be deployed: resource types its Region lacks (VP212).

A stack holding a resource type that doesn't exist in its Region fails to create there
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html
lists each type's Regions). The Region is ``--parameters AWS::Region=...`` or a cdk.out
stack's manifest environment (:attr:`~vaultplan.checks.model.CheckContext.region`).
"""

from __future__ import annotations

from vaultplan.aws.regions import region_types, regions_lacking, type_exists_somewhere
from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext, Result
from vaultplan.checks.registry import check

#: SAM's types, which the transform replaces before CloudFormation sees them.
_SAM_PREFIX = "AWS::Serverless::"


def _types(ctx: CheckContext) -> dict[str, list[str]]:
    """Resource type -> the logical ids of that type that may be deployed (AWS types only)."""
    out: dict[str, list[str]] = {}
    for lid, res in ctx.template.typed_resources().items():
        rtype = str(res["Type"])
        aws = rtype.startswith("AWS::") and not rtype.startswith(_SAM_PREFIX)
        if aws and ctx.r.deployed(res) is not False:
            out.setdefault(rtype, []).append(lid)
    return dict(sorted(out.items()))


def _names(ids: list[str]) -> str:
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


@check("VP212")
def missing_resource_types(ctx: CheckContext) -> Result:
    types = _types(ctx)
    region = ctx.region
    if region is None:
        for rtype, missing in regions_lacking(types).items():
            ids = types[rtype]
            yield Issue(
                ids[0],
                ("Resources", ids[0], "Type"),
                f"{rtype} ({_names(ids)}) doesn't exist in {len(missing)} Region(s): "
                f"{', '.join(missing)}; this environment-agnostic stack would fail to create "
                "there. Deploy it elsewhere, or give the Region (--parameters "
                "AWS::Region=REGION) to check it",
            )
        return
    available = region_types(region)
    if available is None:
        yield NotApplicable(
            None, (), f"Region {region!r} is not one of the Regions cfn-lint's schemas know"
        )
        return
    for rtype, ids in types.items():
        if rtype not in available and type_exists_somewhere(rtype):
            yield Issue(
                ids[0],
                ("Resources", ids[0], "Type"),
                f"{rtype} ({_names(ids)}) doesn't exist in {region}; the stack would fail to "
                "create there",
                severity=Severity.ERROR,
            )

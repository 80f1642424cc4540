"""``vaultplan org policy``'s work: the policy files, the management-account template, and the
notes of what neither can do.

The template is :class:`~vaultplan.cdk.organizations.ManagementPolicyStack` synthesized with
the CDK. What the member accounts need is the other template,
:class:`~vaultplan.cdk.organizations.MemberAccountStack` (``vaultplan synth --org``).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultplan.aws.organizations import ENABLE_POLICY_TYPE_COMMAND, POLICY_MAX_CHARS
from vaultplan.errors import InputError, shown
from vaultplan.org.options import OrgOptions
from vaultplan.org.policy import BackupPolicy, backup_policy, member_names, minified
from vaultplan.spec.strategy import StrategySpec

__all__ = [
    "ENABLE_NOTE",
    "OrgPolicyFiles",
    "management_template",
    "member_notes",
    "policy_notes",
    "write_org_policy",
]

ENABLE_NOTE = (
    "backup policies apply only once the BACKUP_POLICY type is enabled in the organization's "
    f"root, which no CloudFormation resource does: {ENABLE_POLICY_TYPE_COMMAND}"
)
"""The one step left to do by hand, in the management account."""

_STACKSETS_DOC = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
    "stacksets-orgs-manage-auto-deployment.html"
)


@dataclass(frozen=True)
class OrgPolicyFiles:
    """What :func:`write_org_policy` wrote."""

    policies: tuple[Path, ...]
    """One minified policy document per policy (``<policy name>.json``)."""
    template: Path
    """The management-account template (``<stack>.template.json``)."""


def policy_notes(
    spec: StrategySpec, org: OrgOptions, policies: tuple[BackupPolicy, ...]
) -> list[str]:
    """What the policies need besides themselves, one line each."""
    names = member_names(spec)
    notes = [ENABLE_NOTE]
    if len(policies) > 1:
        whole = len(minified(backup_policy(spec, org)))
        notes.append(
            f"the plans take {whole:,} characters in one policy, over the {POLICY_MAX_CHARS:,} "
            f"a backup policy holds: written as {len(policies)} policies, one per plan"
        )
    if not org.target_ids:
        notes.append("org.target_ids is empty: the policy is created, attached to nothing")
    roles = " and ".join(f"the role {r}" for r in (names.role, names.scanner_role) if r)
    notes.append(
        f"each account the policy applies to needs the vault {names.vault} in "
        f"{', '.join(org.regions)} and {roles} before its plans can run: deploy the template "
        "of 'vaultplan synth --org' to them as a StackSet"
    )
    return notes


def member_notes(spec: StrategySpec, org: OrgOptions) -> list[str]:
    """What the member-account template can't do itself, one line each."""
    names = member_names(spec)
    notes = [
        f"deploy this template as a StackSet in {', '.join(org.regions)} (every Region of "
        f"org.regions): each instance makes the vault {names.vault}; IAM is global, so only the "
        f"instance in {org.home_region} makes the roles",
        "service-managed StackSets never deploy to the management account, yet a backup "
        "policy attached to the root applies to it: deploy this template there as a plain "
        f"stack in each Region too, or keep the management account out of the policy's "
        f"targets ({_STACKSETS_DOC})",
        ENABLE_NOTE,
    ]
    if spec.permissions_boundary is not None and ":iam::aws:" not in spec.permissions_boundary:
        policy = spec.permissions_boundary.rsplit(":policy/", 1)[-1]
        notes.append(
            f"role.permissions_boundary: each account's roles get the policy {policy} of their "
            "own account, which must exist there first"
        )
    return notes


def management_template(
    policies: tuple[BackupPolicy, ...], org: OrgOptions, stack_name: str
) -> dict[str, Any]:
    """The management-account template holding ``policies``, attached to ``org.target_ids``."""
    from vaultplan.cdk.app import new_app
    from vaultplan.cdk.organizations import ManagementPolicyStack

    with tempfile.TemporaryDirectory(prefix="vaultplan-org-") as tmp:
        app = new_app(outdir=tmp)
        stack = ManagementPolicyStack(app, stack_name, policies=policies, target_ids=org.target_ids)
        assembly = app.synth()
        path = Path(assembly.get_stack_artifact(stack.artifact_id).template_full_path)
        template: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return template


def write_org_policy(
    policies: tuple[BackupPolicy, ...], org: OrgOptions, out: Path, *, stack_name: str
) -> OrgPolicyFiles:
    """Write each policy (minified, ``<name>.json``) and the management-account template
    (``<stack_name>.template.json``) into ``out``; nothing is written on bad input.

    ``policies`` are :func:`~vaultplan.org.policy.backup_policies`'.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: got {shown(str(out))}; it is a file, give a folder")
    template = management_template(policies, org, stack_name)
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for policy in policies:
            path = out / f"{re.sub(r'[^A-Za-z0-9._-]', '_', policy.name)}.json"
            path.write_text(policy.text + "\n", encoding="utf-8")
            written.append(path)
        template_path = out / f"{stack_name}.template.json"
        template_path.write_text(json.dumps(template, indent=1) + "\n", encoding="utf-8")
    except OSError as err:
        raise InputError(
            f"--out: cannot write it ({err.strerror or err}); got {shown(str(out))}"
        ) from None
    return OrgPolicyFiles(tuple(written), template_path)

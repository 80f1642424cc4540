"""Derive the least-privilege deploy policy of CloudFormation templates.

The truth is each resource type's handler permissions in cfn-lint's bundled schemas:
create and update; read (CloudFormation calls it after create/update and for
``Fn::GetAtt``); delete (rollback and replacement). A type without an update handler is
replaced on update, which create and delete already cover. Every action is checked
against IAM's reference data; the errata table fixes known renames, the rest is dropped
and reported, so no output names an action IAM doesn't know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from vaultplan.aws.arns import ACCOUNT_RE, PARTITIONS
from vaultplan.errors import InputError
from vaultplan.permissions import iam
from vaultplan.permissions.deploy import (
    STACK_ACTIONS,
    NotModeled,
    bootstrap_roles,
    extra_actions,
    ssm_parameter_names,
    substitute,
    user_actions,
)
from vaultplan.permissions.document import (
    MANAGED_POLICY_LIMIT,
    Condition,
    Grant,
    Statement,
    build_statements,
    document,
    split_documents,
)
from vaultplan.permissions.globs import glob_match
from vaultplan.permissions.schemas import OPERATIONS, get_schema, known_in_any_region
from vaultplan.permissions.scoping import ArnContext, TemplateScope, format_to_glob
from vaultplan.progress import Progress
from vaultplan.template import LoadedTemplate

Principal = Literal["exec-role", "user"]
DEFAULT_SCHEMA_REGION = "us-east-1"

#: Types CloudFormation handles itself: no permission needed.
NO_PERMISSIONS = frozenset(
    {
        "AWS::CDK::Metadata",
        "AWS::CloudFormation::WaitConditionHandle",
        "AWS::CloudFormation::WaitCondition",
    }
)
CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource"
NESTED_STACK = "AWS::CloudFormation::Stack"

#: Stack-level actions a principal deploying without a service role needs (``--for user``).
#: What the CDK CLI does with the bootstrap staging bucket when it publishes assets.
CDK_STAGING_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetEncryptionConfiguration",
)
CDK_DEFAULT_VERSION_PARAMETER = "/cdk-bootstrap/hnb659fds/version"

_STACK = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,127}$")


Unresolved = NotModeled
"""A resource whose permissions could not be derived (reported, never guessed): the deploy
model's record of a resource it can't tell, and its one-line form."""


@dataclass(frozen=True)
class ActionNote:
    """A schema action that was renamed by the errata or dropped as unknown to IAM."""

    resource_type: str
    raw: str
    action: str | None
    reason: str

    def line(self) -> str:
        shown = repr(self.raw) if not self.raw.strip() else self.raw
        if self.action is None:
            return f"{self.resource_type}: dropped {shown}: {self.reason}"
        return f"{self.resource_type}: {shown} -> {self.action}: {self.reason}"


@dataclass(frozen=True)
class AssumedParameter:
    """A parameter whose ``Default`` scoped some ARN: a deploy with another value needs more."""

    template: str
    name: str
    value: str

    def line(self) -> str:
        return (
            f"{self.template}: parameter {self.name} = {self.value!r} (its Default); "
            f"deploying another value? pass --parameters {self.name}=VALUE"
        )


@dataclass(frozen=True)
class ScopeStats:
    """How many scopable actions (IAM lists a resource type) are scoped narrower than ``*``."""

    scoped: int
    scopable: int
    unscoped_actions: tuple[str, ...] = ()
    #: scopable actions whose every resource names its resource (no bare ``:*``/``/*`` id)
    named: int = 0

    @property
    def fraction(self) -> float:
        return 1.0 if self.scopable == 0 else self.scoped / self.scopable


@dataclass(frozen=True)
class DeployPolicy:
    """The derived policy: grants, the documents made from them, and what was left out."""

    grants: tuple[Grant, ...]
    unresolved: tuple[Unresolved, ...] = ()
    dropped: tuple[ActionNote, ...] = ()
    renamed: tuple[ActionNote, ...] = ()
    templates: tuple[str, ...] = field(default=())
    assumed: tuple[AssumedParameter, ...] = ()
    """Parameter defaults that went into ARNs (none were given with ``parameters``)."""

    @cached_property
    def statements(self) -> list[Statement]:
        return build_statements(self.grants)

    @property
    def document(self) -> dict[str, Any]:
        """One IAM policy document with every statement."""
        return document(self.statements)

    def managed_policies(self, limit: int = MANAGED_POLICY_LIMIT) -> list[dict[str, Any]]:
        """The statements packed into managed policies of at most ``limit`` characters."""
        return split_documents(self.statements, limit)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(sorted({g.action for g in self.grants}, key=str.lower))

    def scope_stats(self) -> ScopeStats:
        """Done-when measure: of the actions IAM lets you scope (it lists a resource type),
        how many sit only in statements whose Resource is narrower than ``*``."""
        wide: set[str] = set()
        generic: set[str] = set()
        scopable: set[str] = set()
        for st in self.statements:
            for action in st.actions:
                if iam.can_scope(action):
                    scopable.add(action)
                    if "*" in st.resources:
                        wide.add(action)
                    if any(r.endswith((":*", "/*")) for r in st.resources):
                        generic.add(action)
        return ScopeStats(
            len(scopable - wide),
            len(scopable),
            tuple(sorted(wide)),
            named=len(scopable - wide - generic),
        )


def check_options(
    region: str | None, account: str | None, partition: str | None, stack_name: str | None
) -> None:
    if account is not None and not ACCOUNT_RE.fullmatch(account):
        raise InputError(f"--account: got {account!r}; an AWS account id is 12 digits")
    if partition is not None and partition not in PARTITIONS:
        raise InputError(f"--partition: got {partition!r}; use one of {', '.join(PARTITIONS)}")
    if stack_name is not None and not _STACK.match(stack_name):
        raise InputError(
            f"--stack-name: got {stack_name!r}; a stack name starts with a letter and has up "
            "to 128 letters, digits and hyphens"
        )


class _Deriver:
    def __init__(
        self,
        template: LoadedTemplate,
        schema_region: str,
        ctx: ArnContext,
        values: Mapping[str, str] | None = None,
    ) -> None:
        self.template = template
        self.schema_region = schema_region
        resources = template.typed_resources()
        self.scope = TemplateScope(
            resources,
            schema_region=schema_region,
            context=ctx,
            parameters=template_parameters(template),
            values=values,
            body=template.body,
        )
        self.grants: list[Grant] = []
        self.unresolved: list[Unresolved] = []
        self.notes: list[ActionNote] = []
        self._strings: dict[str, list[str]] = {}
        self._references: dict[str, list[str]] = {}
        #: the iam:PassRole fallback (every template role) is granted once, not per resource
        self._passed_any_role = False

    def unresolved_item(self, lid: str, rtype: str, reason: str) -> None:
        self.unresolved.append(Unresolved(self.template.name, lid, rtype, reason))

    def run(self) -> None:
        for lid in self.template.untyped_resources():
            self.unresolved_item(
                lid, "-", "no Type (an Fn::ForEach loop or a module), not expanded"
            )
        for lid, res in sorted(self.template.typed_resources().items()):
            rtype = str(res["Type"])
            if rtype in NO_PERMISSIONS:
                continue
            if rtype.startswith("Custom::") or rtype == CUSTOM_RESOURCE:
                self.custom(lid, rtype)
                continue
            schema = get_schema(rtype, self.schema_region)
            if schema is None:
                if rtype.startswith("AWS::Serverless::"):
                    reason = "SAM resource type (the transform is not expanded); no schema"
                elif known_in_any_region(rtype):
                    reason = f"resource type is not available in {self.schema_region}"
                else:
                    reason = "unknown resource type (no schema in cfn-lint 1.58.0)"
                self.unresolved_item(lid, rtype, reason)
                continue
            if rtype == NESTED_STACK:
                self.unresolved_item(
                    lid,
                    rtype,
                    "nested stack: its own resources are not in this template; "
                    "pass the nested template too",
                )
            if not schema.has_handlers:
                self.unresolved_item(
                    lid, rtype, "resource type has no handler permissions in the schema"
                )
                continue
            for op in OPERATIONS:
                for raw in schema.permissions(op):
                    checked = iam.check_action(raw)
                    if checked.action is None:
                        self.notes.append(ActionNote(rtype, raw, None, checked.reason or "unknown"))
                        continue
                    if checked.reason:
                        self.notes.append(ActionNote(rtype, raw, checked.action, checked.reason))
                    self.grant_action(lid, rtype, checked.action, op)
                for action in extra_actions(rtype, op, self.scope.properties(lid)):
                    self.grant_action(lid, rtype, action, op)

    def references(self, lid: str) -> list[str]:
        """The template resources ``lid``'s properties name, walked once per resource (not
        once per action and resource type: that walk was most of policy's time)."""
        if lid not in self._references:
            self._references[lid] = list(self.scope.references(lid))
        return self._references[lid]

    def strings(self, lid: str) -> list[str]:
        if lid not in self._strings:
            self._strings[lid] = [s for s in self.scope.strings(lid) if s.startswith("arn:")]
        return self._strings[lid]

    def grant_action(self, lid: str, rtype: str, action: str, op: str) -> None:
        origin = f"{lid} {op}"
        if "*" in action or "?" in action:
            self.grants.append(Grant(action, "*", origin=origin))
            return
        types = iam.action_resource_types(action)
        if not types:
            self.grants.append(Grant(action, "*", origin=origin))
            return
        scope = self.scope
        if action == "iam:CreateServiceLinkedRole":
            # Service-linked roles always live under this path (IAM user guide,
            # using-service-linked-roles).
            fmt = iam.arn_format("iam", "role") or "*"
            resource = scope.fill(fmt, RoleNameWithPath="aws-service-role/*")
            self.grants.append(Grant(action, resource, (), "role", origin))
            return
        own = scope.own_type(rtype)
        per_type: list[tuple[iam.ResourceTypeRef, list[tuple[str, Condition]]]] = []
        for rt in types:
            found: list[tuple[str, Condition]] = []
            if own is not None and (own.service, own.name) == (rt.service, rt.name):
                found.append((scope.arn_of(lid), ()))
            else:
                for ref in self.references(lid):
                    ref_type = scope.type_of(ref)
                    ref_own = scope.own_type(ref_type) if ref_type else None
                    if ref_own is not None and (ref_own.service, ref_own.name) == (
                        rt.service,
                        rt.name,
                    ):
                        found.append((scope.arn_of(ref), self.pass_condition(action, ref)))
                pattern = format_to_glob(rt.arn)
                if pattern.startswith("arn:*:*:"):
                    # No ARN is all wildcards in its service (an ARN format whose service is
                    # a variable, as AWS Backup's recovery points); such a type is left out.
                    per_type.append((rt, found))
                    continue
                found.extend((s, ()) for s in self.strings(lid) if glob_match(pattern, s))
                if found and scope.has_unresolved_value_for(lid, rt.name):
                    found.append((scope.fill(rt.arn), ()))
                if not found and action == "iam:PassRole":
                    if self._passed_any_role:
                        return  # granted once for the template: the same roles each time
                    self._passed_any_role = True
                    found.extend(
                        (scope.arn_of(role), self.pass_condition(action, role))
                        for role in scope.defined_roles
                    )
            per_type.append((rt, found))
        nothing = not any(found for _, found in per_type)
        start = len(self.grants)
        for rt, found in per_type:
            if not found and format_to_glob(rt.arn).startswith("arn:*:*:"):
                continue
            if not found and (nothing or rt.required):
                found = [(scope.fill(rt.arn), ())]
            for resource, cond in found:
                self.grants.append(Grant(action, resource, cond, rt.name, origin))
                if (rt.service, rt.name) == ("logs", "log-group") and not resource.endswith("*"):
                    # CloudWatch Logs authorizes most actions on "log-group:NAME:*"
                    # (CloudWatch Logs user guide, iam-access-control-overview-cwl).
                    self.grants.append(Grant(action, resource + ":*", cond, rt.name, origin))
        if len(self.grants) == start:
            self.grants.append(Grant(action, "*", origin=origin))

    def pass_condition(self, action: str, role_lid: str) -> Condition:
        if action != "iam:PassRole":
            return ()
        services = self.scope.role_trust_services.get(role_lid)
        if not services:
            return ()
        op = "StringLike" if any("*" in s or "?" in s for s in services) else "StringEquals"
        return ((op, "iam:PassedToService", services),)

    def custom(self, lid: str, rtype: str) -> None:
        """Custom resources: CloudFormation invokes the ServiceToken (Lambda or SNS)."""
        scope = self.scope
        token = scope.properties(lid).get("ServiceToken")
        origin = f"{lid} create"
        target = None
        if isinstance(token, Mapping) and len(token) == 1:
            for ref in scope.references(lid):
                if ref in scope.resources:
                    target = ref
                    break
        ref_type = scope.type_of(target) if target else None
        if ref_type == "AWS::SNS::Topic" and target:
            self.grants.append(Grant("sns:Publish", scope.arn_of(target), (), "topic", origin))
            return
        if ref_type in ("AWS::Lambda::Function", "AWS::Serverless::Function") and target:
            arn = scope.arn_of(target)
            if ref_type == "AWS::Serverless::Function":
                arn = scope.fill(iam.arn_format("lambda", "function") or "*")
            self.grants.append(Grant("lambda:InvokeFunction", arn, (), "function", origin))
            return
        text = scope.resolve(token) if token is not None else "*"
        if ":sns:" in text:
            self.grants.append(Grant("sns:Publish", text, (), "topic", origin))
            return
        if ":lambda:" in text:
            self.grants.append(Grant("lambda:InvokeFunction", text, (), "function", origin))
            return
        generic = scope.fill(iam.arn_format("lambda", "function") or "*")
        self.grants.append(Grant("lambda:InvokeFunction", generic, (), "function", origin))
        self.unresolved_item(
            lid,
            rtype,
            "ServiceToken does not resolve to a Lambda function or SNS topic; "
            "assumed a Lambda function of this account",
        )

    def placeholders(self) -> dict[str, str]:
        ctx = self.scope.context
        return {
            "AWS::Partition": ctx.partition or "*",
            "AWS::Region": ctx.region or "*",
            "AWS::AccountId": ctx.account or "*",
        }

    def transforms(self) -> list[tuple[str, str]]:
        """``(name, owner account)`` of the transforms and macros the template declares."""
        raw = self.template.body.get("Transform")
        items = raw if isinstance(raw, list) else [raw]
        out = set()
        for t in items:
            if isinstance(t, str) and t:
                if t.startswith("AWS::"):
                    out.add((t.removeprefix("AWS::"), "aws"))
                else:
                    out.add((t, "${Account}"))
        return sorted(out)

    def user_extras(self) -> None:
        """``--for user``: stack-level actions on this stack, and CDK bootstrap access."""
        scope = self.scope
        stack = scope.context.stack_name or "*"
        for action in STACK_ACTIONS:
            types = iam.action_resource_types(action)
            if not types:
                self.grants.append(Grant(action, "*", origin="stack"))
            for rt in types:
                resource = scope.fill(rt.arn, StackName=stack)
                self.grants.append(Grant(action, resource, (), rt.name, "stack"))
        for name in ssm_parameter_names(self.template.body):
            # CloudFormation resolves SSM-typed parameters with ssm:GetParameters.
            fmt = iam.arn_format("ssm", "parameter") or "*"
            arn = scope.fill(fmt, ParameterNameWithoutLeadingSlash=name.lstrip("/"))
            self.grants.append(Grant(user_actions()["ssm_parameters"], arn, (), "parameter", "ssm"))
        for name, owner in self.transforms():
            # A change set on a template with a transform or macro needs CreateChangeSet on
            # the transform's ARN; AWS's own live in account "aws" (AWS SAM developer guide,
            # sam-permissions).
            fmt = "arn:${Partition}:cloudformation:${Region}:" + owner + ":transform/" + name
            self.grants.append(
                Grant("cloudformation:CreateChangeSet", scope.fill(fmt), (), "", "transform")
            )
        if not self.template.from_cdk:
            return
        param = CDK_DEFAULT_VERSION_PARAMETER
        params = self.template.body.get("Parameters")
        bootstrap = params.get("BootstrapVersion") if isinstance(params, Mapping) else None
        if isinstance(bootstrap, Mapping) and isinstance(bootstrap.get("Default"), str):
            param = bootstrap["Default"]
        ssm_fmt = iam.arn_format("ssm", "parameter") or "*"
        ssm_arn = scope.fill(ssm_fmt, ParameterNameWithoutLeadingSlash=param.lstrip("/"))
        self.grants.append(Grant("ssm:GetParameter", ssm_arn, (), "parameter", "cdk bootstrap"))
        user = user_actions()
        for role in bootstrap_roles(self.template):
            # cdk deploy assumes the bootstrap roles the cloud assembly names.
            arn = substitute(role, self.placeholders())
            self.grants.append(Grant(user["assume_role"], arn, (), "role", "cdk bootstrap"))
        parts = param.strip("/").split("/")
        qualifier = parts[1] if len(parts) == 3 else "hnb659fds"
        ctx = scope.context
        bucket = f"cdk-{qualifier}-assets-{ctx.account or '*'}-{ctx.region or '*'}"
        for action in CDK_STAGING_ACTIONS:
            for rt in iam.action_resource_types(action):
                if rt.name in ("bucket", "object"):
                    resource = scope.fill(rt.arn, BucketName=bucket, ObjectName="*")
                    self.grants.append(Grant(action, resource, (), rt.name, "cdk staging"))


def derive(
    templates: LoadedTemplate | Sequence[LoadedTemplate],
    *,
    region: str | None = None,
    account: str | None = None,
    partition: str | None = None,
    stack_name: str | None = None,
    principal: Principal = "exec-role",
    parameters: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> DeployPolicy:
    """The least-privilege policy that deploys, updates and rolls back ``templates``.

    ``region`` picks the Region's schemas (default us-east-1) and fills ARNs; ``account``,
    ``partition`` and ``stack_name`` fill ARNs too; each left out becomes ``*`` in that part
    only. ``principal="user"`` adds the stack-level actions of a principal deploying
    without a service role (and, for CDK output, bootstrap access). ``parameters`` gives
    template parameter values; a parameter not given scopes by its ``Default`` (what
    CloudFormation deploys without a value), and each default that went into an ARN is
    listed in :attr:`DeployPolicy.assumed`. ``progress(done, total)`` is called after each
    template.
    """
    items = [templates] if isinstance(templates, LoadedTemplate) else list(templates)
    check_options(region, account, partition, stack_name)
    given = dict(parameters or {})
    _check_parameters(items, given)
    if principal not in ("exec-role", "user"):
        raise InputError(f"--for: got {principal!r}; use exec-role or user")
    if stack_name is not None and len(items) > 1:
        raise InputError(
            f"--stack-name: got {stack_name!r} for {len(items)} templates; give one template, "
            "or a cdk.out directory whose manifest names its stacks"
        )
    schema_region = region or DEFAULT_SCHEMA_REGION
    grants: list[Grant] = []
    unresolved: list[Unresolved] = []
    notes: dict[tuple[str, str], ActionNote] = {}
    assumed: list[AssumedParameter] = []
    for done, t in enumerate(items, 1):
        stack = stack_name or (t.name if t.from_cdk else None)
        ctx = ArnContext(partition=partition, region=region, account=account, stack_name=stack)
        d = _Deriver(t, schema_region, ctx, given)
        d.run()
        if principal == "user":
            d.user_extras()
        # A default resolved somewhere (a name, a literal-ARN search) is reported only when
        # its text reached a granted resource: that is where another value would need more.
        # Only the resource part of each ARN: a default of "1" is not in "us-east-1".
        scoped = "\n".join(g.resource.split(":", 5)[-1] for g in d.grants if g.resource != "*")
        assumed.extend(
            AssumedParameter(t.name, name, d.scope.values[name].text)
            for name in sorted(d.scope.defaults_used)
            if _appears(d.scope.values[name].text, scoped)
        )
        grants.extend(d.grants)
        unresolved.extend(d.unresolved)
        for n in d.notes:
            notes.setdefault((n.resource_type, n.raw), n)
        if progress is not None:
            progress(done, len(items))
    ordered = sorted(notes.values(), key=lambda n: (n.resource_type, n.raw))
    return DeployPolicy(
        # Deduplicated in the order they were found (each template's resources in logical-id
        # order): deterministic without sorting. A sort of every grant was the one step that
        # grew faster than the template (issue 11, "Speed at scale").
        grants=tuple(dict.fromkeys(grants)),
        unresolved=tuple(unresolved),
        dropped=tuple(n for n in ordered if n.action is None),
        renamed=tuple(n for n in ordered if n.action is not None),
        templates=tuple(t.name for t in items),
        assumed=tuple(assumed),
    )


def _appears(value: str, text: str) -> bool:
    """``value`` in ``text`` as a whole part (``45`` is not in the account ``123456789012``)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", text) is not None


def template_parameters(template: LoadedTemplate) -> Mapping[str, Any]:
    """The template's ``Parameters`` section (empty when absent or malformed)."""
    params = template.body.get("Parameters")
    return params if isinstance(params, Mapping) else {}


def _check_parameters(items: Sequence[LoadedTemplate], given: Mapping[str, str]) -> None:
    known = sorted({name for t in items for name in template_parameters(t)})
    for name, value in given.items():
        if name.startswith("AWS::"):
            raise InputError(
                f"--parameters: got {name}={value}; pseudo parameters come from --region, "
                "--account, --partition and --stack-name"
            )
        if name not in known:
            listed = ", ".join(known) if known else "none"
            raise InputError(
                f"--parameters: got {name}={value}; the template has no parameter {name!r} "
                f"(its parameters: {listed})"
            )


def unknown_actions(actions: Iterable[str]) -> list[str]:
    """The actions (or patterns) in ``actions`` that IAM does not know."""
    out = []
    for a in actions:
        checked = iam.check_action(a)
        if checked.action is None or checked.action.lower() != a.lower():
            out.append(a)
    return out

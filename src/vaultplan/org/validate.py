"""``vaultplan org validate``: a backup policy checked against the documented element table.

:func:`policy_findings` walks one document along :data:`vaultplan.aws.org_policy.POLICY` and
returns a :class:`~vaultplan.checks.finding.Finding` per defect (VP401-VP415, see
:mod:`vaultplan.checks.org_policy`): keys unknown at their level (with the nearest known
one), values without an operator, ``@@append``/``@@remove`` on single values, values of the
wrong kind, missing required elements, selections with both or neither of ``tags`` and
``resources``, copy actions without ``target_backup_vault_arn``, ``$account``/``$region``
where AWS doesn't replace them, specific resource ARNs, and the AWS Backup constraints that
``vaultplan check`` applies to a plan's rules, through the same functions
(:func:`vaultplan.spec.rules.schedule_problems`, :mod:`vaultplan.aws.plan_rules`). With
``effective=True`` the document is an effective policy (``DescribeEffectivePolicy``'s
``PolicyContent``): plain values, no operators.

Sources: the syntax page,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html,
and the operators page,
https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from vaultplan.aws import org_policy as syntax
from vaultplan.aws import plan_rules
from vaultplan.aws.org_policy import Element
from vaultplan.aws.selection import MAX_TAG_CONDITIONS
from vaultplan.checks.finding import Finding
from vaultplan.checks.finding import Path as NodePath
from vaultplan.checks.registry import get_check
from vaultplan.checks.runner import CheckReport, TemplateReport
from vaultplan.errors import InputError, shown
from vaultplan.spec.rules import schedule_problems
from vaultplan.template.lines import Lines
from vaultplan.template.nesting import loads_json
from vaultplan.template.text import read_text

__all__ = [
    "Policy",
    "load_policy",
    "member_stack_findings",
    "minified",
    "policy_findings",
    "validate_paths",
]

_VARIABLE = re.compile(r"\$[A-Za-z_]+")
_CONTROL_VALUES = frozenset({syntax.ALL, syntax.NONE, *syntax.VALUE_OPERATORS})
_OPERATOR_KEYS = (*syntax.VALUE_OPERATORS, syntax.CHILD_CONTROL)


class Policy(dict[str, Any]):
    """A decoded JSON object that remembers the keys its text gave twice."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, Any]]) -> Policy:
    obj = Policy(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice: list[str] = []
        for key, _value in pairs:
            if key in seen:
                twice.append(key)
            seen.add(key)
        obj.duplicates = tuple(twice)
    return obj


def load_policy(path: Path, field: str = "POLICY") -> Policy:
    """The JSON object in ``path``; :class:`~vaultplan.errors.InputError` (one line naming
    ``field`` and the file) when it can't be read, isn't JSON or isn't an object."""
    text = read_text(path, field)
    try:
        doc = loads_json(
            text,
            field,
            path,
            object_pairs_hook=_pairs,
            parse_constant=_not_json,
            parse_float=_finite,
        )
    except json.JSONDecodeError as err:
        raise InputError(
            f"{field}: got '{path}'; not JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        ) from None
    except ValueError as err:  # _not_json, _finite
        raise InputError(f"{field}: got '{path}'; not JSON ({err})") from None
    if not isinstance(doc, Policy):
        raise InputError(
            f"{field}: got '{path}'; a backup policy is a JSON object "
            f'{{"plans": {{...}}}}, this file holds {_kind(doc)}'
        )
    return doc


def _not_json(name: str) -> Any:
    """``NaN``, ``Infinity``: Python's decoder takes them, JSON has no such numbers (RFC 8259,
    section 6: https://www.rfc-editor.org/rfc/rfc8259#section-6)."""
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    """A JSON number with a fraction or an exponent; one past a double (``1e999``) would be
    infinity, which no JSON writer gives back."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{shown(text)} is too large a number")
    return value


def minified(doc: Any) -> str:
    """``doc`` as AWS counts its characters: JSON without whitespace."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return "a string"


def _json(value: Any, limit: int = 60) -> str:
    """``value`` as JSON writes it, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dotted(path: NodePath) -> str:
    return ".".join(str(p) for p in path) or "policy"


def _suggest(key: str, known: Iterable[str]) -> str:
    near = difflib.get_close_matches(key.lower(), list(known), n=1, cutoff=0.6)
    if near:
        return f"did you mean {near[0]!r}?"
    names = sorted(known)
    return f"known here: {', '.join(names)}" if names else "nothing is known here"


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _get(node: Any, key: str) -> Any:
    """The entry ``key`` of ``node`` read case-insensitively (AWS reads keys so)."""
    if not isinstance(node, Mapping):
        return None
    if key in node:
        return node[key]
    for k, v in node.items():
        if isinstance(k, str) and k.lower() == key:
            return v
    return None


@lru_cache(maxsize=4096)
def _schedule(value: str, field: str) -> tuple[str, ...]:
    return tuple(schedule_problems(value, field))


class _Walk:
    """One walk over one document; :attr:`issues` in document order."""

    def __init__(self, *, effective: bool, partial: bool) -> None:
        self.effective = effective
        self.partial = partial
        self.issues: list[tuple[str, NodePath, str, str | None]] = []
        self.plan: str | None = None

    def add(self, check_id: str, path: NodePath, message: str) -> None:
        self.issues.append((check_id, path, message, self.plan))

    # -- structure -------------------------------------------------------------------------

    def node(self, value: Any, el: Element, path: NodePath) -> None:
        if el.kind == "value":
            self.value(value, el, path)
        else:
            self.keys(value, el, path)

    def keys(self, node: Any, el: Element, path: NodePath) -> None:
        if not isinstance(node, Mapping):
            field = _dotted(path)
            what = "an object of named entries" if el.kind == "named" else "an object"
            hint = ""
            if el is _COPY_ACTIONS and isinstance(node, list):
                hint = (
                    ' keyed by the destination vault ARN: {"arn:aws:backup:...:backup-vault:'
                    'Name": {"target_backup_vault_arn": {"@@assign": "arn:..."}}}'
                )
            self.add("VP405", path, f"{field}: got {_kind(node)}; expected {what}{hint}")
            return
        if el is _PLANS and any(k.lower() in syntax.PLAN_ELEMENTS for k in node):
            found = sorted(k for k in node if k.lower() in syntax.PLAN_ELEMENTS)
            self.add(
                "VP401",
                path,
                f"{_dotted(path)}: got {', '.join(found)} directly under plans; each plan sits "
                f"under its name: plans.<PlanName>.{found[0]}",
            )
            self.keys(node, syntax.PLAN, path)  # read on as the plan it was meant to be
            return
        self._duplicates(node, path)
        for key, child in node.items():
            low = key.lower()
            here = (*path, key)
            if low == syntax.CHILD_CONTROL:
                self.control(child, here)
            elif low.startswith("@@"):
                if low in syntax.VALUE_OPERATORS:
                    self.add(
                        "VP405",
                        here,
                        f"{_dotted(here)}: {key} on an object; {_dotted(path)} holds keys, put the "
                        "operator on each value under it",
                    )
                else:
                    self.add(
                        "VP402",
                        here,
                        f"{_dotted(here)}: unknown operator {key!r}; "
                        f"{_suggest(key, _OPERATOR_KEYS)}",
                    )
            elif el.open:
                self.open_node(child, here)
            elif el.kind == "map":
                sub = el.children.get(low)
                if sub is None:
                    self.add("VP402", here, self.unknown(key, child, el, here))
                else:
                    self.node(child, sub, here)
            else:
                self.entry(key, child, el, here)
        if el.kind == "map":
            self.required(node, el, path)
            self.constraints(node, el, path)

    def unknown(self, key: str, child: Any, el: Element, here: NodePath) -> str:
        text = f"{_dotted(here)}: unknown key {key!r} in {_dotted(here[:-1])}; "
        if el is syntax.SELECTIONS and isinstance(child, Mapping):
            inner = [k for k in child if k.lower() in el.children]
            if inner:
                return text + (
                    f"a selection's name goes under {inner[0]}: "
                    f"{_dotted(here[:-1])}.{inner[0]}.{key}"
                )
        return text + _suggest(key, el.children)

    def entry(self, key: str, child: Any, el: Element, here: NodePath) -> None:
        """A named entry: a plan, a rule, a selection, a copy action (keyed by its ARN)..."""
        if el.keys and key.lower() not in el.keys:
            self.add(
                "VP402",
                here,
                f"{_dotted(here)}: unknown key {key!r}; {_suggest(key, el.keys)}",
            )
            return
        self.variables(key, el.variables, here, "key")
        assert el.item is not None
        outer = self.plan
        if el is _PLANS:
            self.plan = key
        if self.effective and isinstance(child, Mapping):
            # The accounts of an organization share the plans, rules and selections their
            # own policies don't touch, as the same objects (vaultplan.org.effective): the
            # findings of one are the same for each account it stands in at the same path.
            memo = (here, self.plan, id(child))
            hit = _ENTRIES.get(memo)
            if hit is None:
                start = len(self.issues)
                self.node(child, el.item, here)
                if len(_ENTRIES) > _ENTRIES_MAX:
                    _ENTRIES.clear()
                # The entry is kept with its findings, so that its id names it while cached.
                _ENTRIES[memo] = (child, self.issues[start:])
            else:
                self.issues += hit[1]
        else:
            self.node(child, el.item, here)
        self.plan = outer

    def _duplicates(self, node: Mapping[str, Any], path: NodePath) -> None:
        for key in getattr(node, "duplicates", ()):
            self.add("VP402", (*path, key), f"{_dotted((*path, key))}: key given twice")
        seen: dict[str, str] = {}
        for key in node:
            low = key.lower()
            if low in seen and seen[low] != key:
                self.add(
                    "VP402",
                    (*path, key),
                    f"{_dotted((*path, key))}: same key as {seen[low]!r} (keys are read "
                    "case-insensitively); keep one",
                )
            seen.setdefault(low, key)

    def open_node(self, node: Any, path: NodePath) -> None:
        """An element whose keys aren't checked: only operators on its leaves."""
        if not isinstance(node, Mapping):
            if not self.effective:
                self.add("VP403", path, self.no_operator(node, path))
            return
        if self.effective or not any(k.lower() in syntax.VALUE_OPERATORS for k in node):
            for key, child in node.items():
                if key.lower() == syntax.CHILD_CONTROL:
                    self.control(child, (*path, key))
                else:
                    self.open_node(child, (*path, key))

    def required(self, node: Mapping[str, Any], el: Element, path: NodePath) -> None:
        if self.partial:
            return
        present = {k.lower() for k in node}
        for name in el.required:
            if name in present:
                continue
            if el is syntax.COPY_ACTION:
                self.add(
                    "VP408",
                    path,
                    f"{_dotted(path)}: no target_backup_vault_arn; AWS takes the ARN from the "
                    "key, lowercased as every key is, and the plan fails: add "
                    f'"target_backup_vault_arn": {{"@@assign": {json.dumps(path[-1])}}}',
                )
            else:
                self.add("VP406", path, f"{_dotted(path)}: no {name}; it is required here")

    # -- values ----------------------------------------------------------------------------

    def no_operator(self, value: Any, path: NodePath) -> str:
        return (
            f"{_dotted(path)}: got {_json(value)} without an operator; write "
            f'{{"@@assign": {_json(value)}}}'
        )

    def value(self, node: Any, el: Element, path: NodePath) -> None:
        if self.effective:
            self.kind_of(node, el, path)
            return
        if not isinstance(node, Mapping) or not any(k.startswith("@@") for k in node):
            self.add("VP403", path, self.no_operator(node, path))
            return
        for key, child in node.items():
            low = key.lower()
            here = (*path, key)
            if low == syntax.CHILD_CONTROL:
                self.control(child, here)
            elif low in (syntax.APPEND, syntax.REMOVE) and el.type != "array":
                self.add(
                    "VP404",
                    here,
                    f"{_dotted(path)}: {key} on a single value ({el.type}); "
                    "@@append and @@remove change lists only, set it with @@assign",
                )
            elif low in syntax.VALUE_OPERATORS:
                self.kind_of(child, el, here)
            else:
                self.add(
                    "VP402",
                    here,
                    f"{_dotted(here)}: unknown key {key!r} in a value; "
                    f"{_suggest(key, _OPERATOR_KEYS)}",
                )

    def kind_of(self, value: Any, el: Element, path: NodePath) -> None:
        kind = el.type
        if kind == "string":
            ok = isinstance(value, str)
        elif kind == "array":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif kind == "integer":
            ok = _int(value) is not None
        else:
            ok = isinstance(value, bool) or (
                isinstance(value, str) and value.lower() in ("true", "false")
            )
        if not ok:
            self.add(
                "VP405", path, f"{_dotted(path)}: got {_json(value)}; expected {_EXPECTED[kind]}"
            )
            return
        if el.choices and value not in el.choices:
            self.add(
                "VP405",
                path,
                f"{_dotted(path)}: got {shown(value)}; use one of {', '.join(el.choices)}",
            )
        if isinstance(value, list):
            for text in value:
                if isinstance(text, str) and "$" in text:
                    self.variables(text, el.variables, path, "value")
        elif isinstance(value, str) and "$" in value:
            self.variables(value, el.variables, path, "value")
        if el.arn_patterns:
            for item in value:
                if item != "*" and not item.endswith("*"):
                    self.add(
                        "VP410",
                        path,
                        f"{_dotted(path)}: got {item!r}, a specific resource; a backup policy "
                        "selects by resource-type patterns such as "
                        "'arn:aws:elasticfilesystem:*:*:file-system/*' (or '*'): select this "
                        "one by a tag condition instead",
                    )

    def variables(self, text: str, allowed: frozenset[str], path: NodePath, what: str) -> None:
        if "$" not in text:
            return
        for var in dict.fromkeys(_VARIABLE.findall(text)):
            if var not in allowed:
                where = (
                    f"only {' and '.join(sorted(allowed))} here"
                    if allowed
                    else "none here ($account goes in elements that hold an ARN, such as "
                    "iam_role_arn)"
                )
                self.add(
                    "VP409",
                    path,
                    f"{_dotted(path)}: {what} {shown(text)} holds {var}, which AWS replaces "
                    f"{where}",
                )

    def control(self, value: Any, path: NodePath) -> None:
        ok = (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) and v.lower() in _CONTROL_VALUES for v in value)
        )
        if ok and len(value) > 1 and any(v.lower() in (syntax.ALL, syntax.NONE) for v in value):
            ok = False
        if not ok:
            self.add(
                "VP405",
                path,
                f'{_dotted(path)}: got {_json(value)}; use ["@@all"], ["@@none"] or a '
                "list of @@assign, @@append and @@remove",
            )

    # -- AWS Backup's constraints, through the functions `check` uses ------------------------

    def setting(self, node: Any, *keys: str) -> Any:
        """The value set at ``node.keys...``: the plain value (effective) or its @@assign."""
        for key in keys:
            node = _get(node, key)
        return node if self.effective else _get(node, syntax.ASSIGN)

    def constraints(self, node: Mapping[str, Any], el: Element, path: NodePath) -> None:
        if el is syntax.RULE:
            self.rule(node, path)
            return
        if not any(el is e for e in _COUNTED):
            return
        field = _dotted(path)
        if el is syntax.PLAN:
            rules = _get(node, "rules")
            if isinstance(rules, Mapping) and (rules or not self.partial):
                for problem in plan_rules.plan_rule_count(len(rules), f"{field}.rules"):
                    self.add("VP414", (*path, _key_of(node, "rules")), problem)
        elif el is syntax.SELECTIONS:
            kinds = [k for k in node if k.lower() in ("tags", "resources")]
            if len(kinds) > 1 or (not kinds and not self.partial):
                got = " and ".join(kinds) if kinds else "neither"
                self.add(
                    "VP407",
                    path,
                    f"{field}: got {got}; a plan's selections hold exactly one of tags or "
                    "resources",
                )
        elif el is syntax.TAG_SELECTION or el is syntax.RESOURCE_SELECTION:
            conditions = _get(node, "conditions")
            count = 0
            if isinstance(conditions, Mapping):
                count = sum(
                    len(v)
                    for k, v in conditions.items()
                    if isinstance(v, Mapping) and not k.startswith("@@")
                )
            if count > MAX_TAG_CONDITIONS:
                self.add(
                    "VP414",
                    (*path, _key_of(node, "conditions")),
                    f"{field}.conditions: got {count} conditions; a selection takes at most "
                    f"{MAX_TAG_CONDITIONS} (AWS Backup quota)",
                )

    def rule(self, node: Mapping[str, Any], path: NodePath) -> None:
        field = _dotted(path)
        schedule = self.setting(node, "schedule_expression")
        if isinstance(schedule, str):
            where = (*path, _key_of(node, "schedule_expression"))
            for problem in _schedule(schedule, f"{field}.schedule_expression"):
                self.add("VP411", where, problem)
        for key, check in (
            ("start_backup_window_minutes", plan_rules.start_window),
            ("complete_backup_window_minutes", plan_rules.completion_window),
        ):
            minutes = _int(self.setting(node, key))
            if minutes is not None:
                for problem in check(minutes, f"{field}.{key}"):
                    self.add("VP412", (*path, _key_of(node, key)), problem)
        continuous = self.setting(node, "enable_continuous_backup")
        self.lifecycle(node, path, continuous in (True, "true", "True"))
        actions = _get(node, "copy_actions")
        if isinstance(actions, Mapping):
            where = (*path, _key_of(node, "copy_actions"))
            if len(actions) > plan_rules.COPY_ACTIONS_MAX:
                self.add(
                    "VP414",
                    where,
                    f"{field}.copy_actions: got {len(actions)} copy actions; AWS Backup allows "
                    f"at most {plan_rules.COPY_ACTIONS_MAX} per rule (AWS Backup quotas)",
                )
            for arn, action in actions.items():
                if isinstance(action, Mapping):
                    self.lifecycle(action, (*where, arn), False)

    def lifecycle(self, owner: Mapping[str, Any], path: NodePath, continuous: bool) -> None:
        cold = _int(self.setting(owner, "lifecycle", "move_to_cold_storage_after_days"))
        delete = _int(self.setting(owner, "lifecycle", "delete_after_days"))
        if cold is None and delete is None:
            return
        field = f"{_dotted(path)}.lifecycle"
        if continuous:
            problems = plan_rules.continuous_backup(delete, cold, field)
        else:
            problems = plan_rules.lifecycle(cold, delete, field)
        for problem in problems:
            self.add("VP413", (*path, _key_of(owner, "lifecycle")), problem)


_Issue = tuple[str, NodePath, str, str | None]
_ENTRIES: dict[tuple[NodePath, str | None, int], tuple[Any, list[_Issue]]] = {}
_ENTRIES_MAX = 100_000
_EXPECTED = {
    "string": "a string",
    "array": "a list of strings",
    "integer": "a whole number (or a string of digits)",
    "boolean": "true or false",
}
_PLANS = syntax.POLICY.children["plans"]
_COUNTED = (syntax.PLAN, syntax.SELECTIONS, syntax.TAG_SELECTION, syntax.RESOURCE_SELECTION)
_COPY_ACTIONS = syntax.RULE.children["copy_actions"]


def _key_of(node: Mapping[str, Any], key: str) -> str:
    """The key as the document spells it (for line numbers)."""
    if key in node:
        return key
    return next((k for k in node if k.lower() == key), key)


def policy_findings(
    doc: Mapping[str, Any],
    *,
    path: str,
    effective: bool = False,
    partial: bool = False,
    lines: Callable[[Sequence[str | int]], int | None] | None = None,
) -> list[Finding]:
    """Every defect of the backup policy ``doc`` (VP401-VP415), in document order.

    ``path`` names the document in the findings (its file, or ``<account> effective``).
    ``effective``: ``doc`` is an effective policy (plain values, keys lowercased).
    ``partial``: ``doc`` is merged with its parents' policies, so elements it lacks may come
    from them: required elements (VP406, VP407's "neither", VP408) are not asked for.
    ``lines`` gives a node's line in the file (default: read ``path`` when a finding needs
    one, as :class:`~vaultplan.template.lines.Lines` does for templates).
    """
    walk = _Walk(effective=effective, partial=partial)
    walk.keys(doc, syntax.POLICY, ())
    if not effective:
        size = len(minified(doc))
        if size > syntax.POLICY_MAX_CHARS:
            walk.plan = None
            walk.add(
                "VP415",
                (),
                f"policy: {size} characters minified; a backup policy holds at most "
                f"{syntax.POLICY_MAX_CHARS:,}: split its plans into one policy each",
            )
    if not walk.issues:
        return []
    if lines is None:
        lines = Lines(Path(path), doc) if not effective else (lambda p: None)
    findings: list[Finding] = []
    for check_id, where, message, plan in walk.issues:
        meta = get_check(check_id)
        findings.append(
            Finding(
                check_id=check_id,
                severity=meta.severity,
                template=path,
                resource=plan,
                path=where,
                message=message,
                source_url=meta.source_url,
                line=lines(where),
            )
        )
    # In the file's order; a finding with no line (an effective policy's) keeps the walk's.
    return sorted(findings, key=lambda f: f.line or 0)


def member_stack_findings(
    doc: Mapping[str, Any], *, path: str, vault: str, role: str
) -> list[Finding]:
    """VP416: each rule of the effective policy ``doc`` whose ``target_backup_vault_name`` isn't
    ``vault``, and each selection whose ``iam_role_arn`` names another role than ``role``:
    what the member-account stack creates, so anything else is missing in the account."""
    meta = get_check("VP416")
    findings: list[Finding] = []

    def add(plan: str, where: NodePath, message: str) -> None:
        findings.append(
            Finding("VP416", meta.severity, path, plan, where, message, meta.source_url)
        )

    plans = doc.get("plans")
    for plan_name, plan in plans.items() if isinstance(plans, Mapping) else ():
        rules = _get(plan, "rules")
        for rule_name, rule in rules.items() if isinstance(rules, Mapping) else ():
            got = _get(rule, "target_backup_vault_name")
            if isinstance(got, str) and got != vault:
                where: NodePath = (
                    "plans",
                    plan_name,
                    "rules",
                    rule_name,
                    "target_backup_vault_name",
                )
                add(
                    plan_name,
                    where,
                    f"{_dotted(where)}: got {got!r}; the member-account stack creates the vault "
                    f"{vault!r}, so this rule's backups fail in this account",
                )
        selections = _get(plan, "selections")
        for kind, entries in selections.items() if isinstance(selections, Mapping) else ():
            for name, selection in entries.items() if isinstance(entries, Mapping) else ():
                arn = _get(selection, "iam_role_arn")
                if not isinstance(arn, str):
                    continue
                named = arn.partition(":role/")[2].rsplit("/", 1)[-1]
                if named != role:
                    where = ("plans", plan_name, "selections", kind, name, "iam_role_arn")
                    add(
                        plan_name,
                        where,
                        f"{_dotted(where)}: got {arn!r}; the member-account stack creates the "
                        f"role {role!r}, so AWS Backup can't assume this one in this account",
                    )
    return findings


def validate_paths(paths: Sequence[Path], *, partial: bool = False) -> CheckReport:
    """Load and validate each policy file; every file is read before any is reported.

    Raises :class:`~vaultplan.errors.InputError` (one line) for a file that can't be read,
    isn't JSON or isn't a JSON object.
    """
    docs = [(p, load_policy(p)) for p in paths]
    return CheckReport(
        tuple(
            TemplateReport(
                str(p),
                p.name,
                tuple(policy_findings(doc, path=str(p), partial=partial)),
            )
            for p, doc in docs
        )
    )

"""Resolve CloudFormation values offline, without guessing.

A value in a template may be a literal or an intrinsic function. :class:`Resolver` turns it
into the list of values it can take at deploy time (its *variants*):

- ``Ref`` to a Parameter gives the ``--parameters`` override, else its ``Default``;
- ``Fn::FindInMap``, ``Fn::Sub``, ``Fn::Join`` and ``Fn::Select`` are computed when their
  inputs are known;
- ``Fn::If`` gives the branch its condition selects; when the condition can't be decided
  (it depends on a parameter with no default, say), it gives both branches;
- ``Ref: AWS::NoValue`` gives ``None``, the same as an absent property.

What can't be known offline (a resource's ``Ref`` or ``Fn::GetAtt``, a parameter without a
default, ``AWS::Region`` unless overridden, ``Fn::ImportValue``...) becomes an
:class:`Unresolved` value, never a guess. It carries a readable placeholder text (the
``Fn::Sub`` form, e.g. ``arn:${AWS::Partition}:iam::aws:policy/X``) and the logical ids it
refers to, so a check can still recognise the shape of an ARN or the resource it names.

Resolution is shallow: :meth:`Resolver.variants` resolves the intrinsic at the top of a
node and returns plain maps and lists as they are; walk into them with
:meth:`Resolver.lookup`. Scalars built from several parts (``Fn::Sub``, ``Fn::Join``) are
resolved fully.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PSEUDO_PARAMETERS",
    "Resolver",
    "Unresolved",
    "arn_parts",
    "as_int",
    "cfn_str",
]

#: Pseudo parameters; their values are unknown offline unless given with ``--parameters``.
PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
_NO_VALUE = "AWS::NoValue"
#: At most this many variants per value; beyond it the value is reported as unresolved.
MAX_VARIANTS = 64
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class Unresolved:
    """A value that can't be known offline.

    ``text`` is a placeholder rendering (``${AWS::Region}``, ``${Vault.Arn}``, or a whole
    ``Fn::Sub``-style string with placeholders); ``refs`` are the logical ids of the
    template's resources it refers to; ``reason`` says why it is unknown.
    """

    text: str
    reason: str
    refs: frozenset[str] = field(default_factory=frozenset)

    def __str__(self) -> str:
        return self.text


_ARN_COLON = re.compile(r":(?![^${]*\})")


def arn_parts(text: str, maxsplit: int = 5) -> list[str]:
    """Split an ARN on its colons, not on those inside ``${AWS::Region}`` placeholders."""
    return _ARN_COLON.split(text, maxsplit=maxsplit)


def cfn_str(value: Any) -> str | Unresolved:
    """A scalar as CloudFormation would stringify it (``True`` -> ``"true"``)."""
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return Unresolved(text="${?}", reason=f"expected a string, got {type(value).__name__}")


def as_int(value: Any) -> Any:
    """An integer for ``30`` or ``"30"``; other values (``None``, ``Unresolved``, ``"x"``)
    are returned unchanged for the caller's validation to quote."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    return value


def _dedupe(values: Iterable[Any]) -> list[Any]:
    seen: set[str] = set()
    out: list[Any] = []
    for v in values:
        key = f"{type(v).__name__}:{v!r}"
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _join_parts(parts: Sequence[Any], sep: str = "") -> str | Unresolved:
    """Join resolved scalar parts; any unresolved part makes an Unresolved placeholder."""
    texts: list[str] = []
    refs: set[str] = set()
    reasons: list[str] = []
    for part in parts:
        s = cfn_str(part)
        if isinstance(s, Unresolved):
            texts.append(s.text)
            refs |= s.refs
            reasons.append(s.reason)
        else:
            texts.append(s)
    if reasons:
        return Unresolved(text=sep.join(texts), reason=reasons[0], refs=frozenset(refs))
    return sep.join(texts)


#: Reads a template resource's ``Ref`` (attribute ``None``) or ``Fn::GetAtt``: a string,
#: or ``None`` to leave it :class:`Unresolved`.
ResourceValue = Callable[[str, str | None], str | None]


class Resolver:
    """Resolves values of one template body; ``parameters`` are ``--parameters`` overrides.

    Overrides may name template Parameters or pseudo parameters (``AWS::Region=eu-west-1``).
    ``resource_value`` lets a caller that knows more about resources (the deploy policy
    knows their ARN patterns) answer their ``Ref`` and ``Fn::GetAtt``. With
    ``no_echo_defaults=False`` the ``Default`` of a ``NoEcho`` parameter is not used (it
    stays unknown). :attr:`defaults_used` collects the parameters whose ``Default`` was read.
    """

    def __init__(
        self,
        body: Mapping[str, Any],
        parameters: Mapping[str, str] | None = None,
        *,
        resource_value: ResourceValue | None = None,
        no_echo_defaults: bool = True,
    ) -> None:
        self.body = body
        self.overrides = dict(parameters or {})
        self.resource_value = resource_value
        self.no_echo_defaults = no_echo_defaults
        #: Parameters whose ``Default`` some resolved value used.
        self.defaults_used: set[str] = set()
        params = body.get("Parameters")
        self.parameters: Mapping[str, Any] = params if isinstance(params, Mapping) else {}
        mappings = body.get("Mappings")
        self.mappings: Mapping[str, Any] = mappings if isinstance(mappings, Mapping) else {}
        conditions = body.get("Conditions")
        self.conditions: Mapping[str, Any] = conditions if isinstance(conditions, Mapping) else {}
        resources = body.get("Resources")
        self.resources: Mapping[str, Any] = resources if isinstance(resources, Mapping) else {}
        self._condition_cache: dict[str, bool | None] = {}
        self._evaluating: set[str] = set()

    # -- parameters and conditions ----------------------------------------------------------
    def parameter(self, name: str) -> list[Any]:
        """The variants of a Parameter or pseudo parameter."""
        if name == _NO_VALUE:
            return [None]
        if name in self.overrides:
            return [self._typed(name, self.overrides[name])]
        if name in PSEUDO_PARAMETERS:
            return [Unresolved(text=f"${{{name}}}", reason=f"{name} is known only at deploy")]
        spec = self.parameters.get(name)
        if not isinstance(spec, Mapping):
            return [Unresolved(text=f"${{{name}}}", reason=f"no parameter or resource {name!r}")]
        ptype = str(spec.get("Type", "String"))
        if ptype.startswith("AWS::SSM::Parameter::Value<"):
            return [
                Unresolved(
                    text=f"${{{name}}}", reason=f"parameter {name} is read from SSM at deploy"
                )
            ]
        if "Default" not in spec:
            return [
                Unresolved(
                    text=f"${{{name}}}",
                    reason=f"parameter {name} has no default; pass --parameters {name}=VALUE",
                )
            ]
        if not self.no_echo_defaults and str(spec.get("NoEcho", "false")).lower() == "true":
            return [Unresolved(text=f"${{{name}}}", reason=f"parameter {name} is NoEcho")]
        self.defaults_used.add(name)
        return [self._typed(name, spec["Default"])]

    def _typed(self, name: str, value: Any) -> Any:
        spec = self.parameters.get(name)
        ptype = str(spec.get("Type", "String")) if isinstance(spec, Mapping) else "String"
        if ptype.startswith("List<") or ptype == "CommaDelimitedList":
            if isinstance(value, list):
                return value
            return [s.strip() for s in str(value).split(",")] if str(value) else []
        return value

    def condition(self, name: str) -> bool | None:
        """True/False when the named condition can be decided offline, else None."""
        if name in self._condition_cache:
            return self._condition_cache[name]
        if name in self._evaluating or name not in self.conditions:
            return None
        self._evaluating.add(name)
        try:
            result = self.evaluate(self.conditions[name])
        finally:
            self._evaluating.discard(name)
        self._condition_cache[name] = result
        return result

    def evaluate(self, node: Any) -> bool | None:
        """Evaluate a condition expression with three-valued logic (None = unknown)."""
        if isinstance(node, bool):
            return node
        if not isinstance(node, Mapping) or len(node) != 1:
            return None
        ((fn, args),) = node.items()
        if fn == "Condition" and isinstance(args, str):
            return self.condition(args)
        if fn == "Fn::Equals" and isinstance(args, list) and len(args) == 2:
            left = [cfn_str(v) for v in self.variants(args[0])]
            right = [cfn_str(v) for v in self.variants(args[1])]
            if any(isinstance(v, Unresolved) for v in left + right):
                return None
            outcomes = {a == b for a in left for b in right}
            return bool(outcomes.pop()) if len(outcomes) == 1 else None
        if fn == "Fn::Not" and isinstance(args, list) and len(args) == 1:
            inner = self.evaluate(args[0])
            return None if inner is None else not inner
        if fn in ("Fn::And", "Fn::Or") and isinstance(args, list) and args:
            values = [self.evaluate(a) for a in args]
            decisive: bool = fn == "Fn::Or"  # True decides an Or, False decides an And
            if decisive in values:
                return decisive
            return None if None in values else not decisive
        return None

    def deployed(self, resource: Mapping[str, Any]) -> bool | None:
        """Whether a resource is created: its ``Condition`` decided, or None if unknown."""
        cond = resource.get("Condition")
        if cond is None:
            return True
        return self.condition(cond) if isinstance(cond, str) else None

    # -- values -------------------------------------------------------------------------------
    def variants(self, node: Any) -> list[Any]:
        """Every value ``node`` can take (shallow for maps and lists), deduplicated."""
        out = _dedupe(self._variants(node))
        if len(out) > MAX_VARIANTS:
            return [Unresolved(text="${...}", reason=f"more than {MAX_VARIANTS} combinations")]
        return out

    def lookup(self, node: Any, *keys: str | int) -> list[Any]:
        """Walk ``keys`` into ``node`` through every variant; missing keys give ``None``."""
        current = self.variants(node)
        for key in keys:
            nxt: list[Any] = []
            for value in current:
                if isinstance(key, str) and isinstance(value, Mapping):
                    nxt.extend(self.variants(value.get(key)))
                elif isinstance(key, int) and isinstance(value, list) and key < len(value):
                    nxt.extend(self.variants(value[key]))
                elif isinstance(value, Unresolved):
                    nxt.append(value)
                else:
                    nxt.append(None)
            current = _dedupe(nxt)
        return current

    def items(self, node: Any, *, scalar_is_list: bool = False) -> list[Any]:
        """The elements of a list value, across variants; an unresolved list gives itself.

        With ``scalar_is_list``, a lone string counts as a one-element list (IAM's
        ``Action: "s3:GetObject"``)."""
        out: list[Any] = []
        for value in self.variants(node):
            if isinstance(value, list):
                for item in value:
                    out.extend(self.variants(item))
            elif isinstance(value, Unresolved) or (isinstance(value, str) and scalar_is_list):
                out.append(value)
        return _dedupe(out)

    def strings(self, node: Any) -> list[str | Unresolved | None]:
        """Variants of a scalar as strings (``None`` when absent)."""
        out: list[str | Unresolved | None] = []
        for v in self.variants(node):
            out.append(None if v is None else cfn_str(v))
        return out

    def _variants(self, node: Any) -> Iterator[Any]:
        if not isinstance(node, Mapping) or len(node) != 1:
            yield node
            return
        ((fn, args),) = node.items()
        if fn == "Ref":
            yield from self._ref(args)
        elif fn == "Fn::GetAtt":
            yield self._getatt(args)
        elif fn == "Fn::If":
            yield from self._if(args)
        elif fn == "Fn::Sub":
            yield from self._sub(args)
        elif fn == "Fn::Join":
            yield from self._join(args)
        elif fn == "Fn::FindInMap":
            yield from self._find_in_map(args)
        elif fn == "Fn::Select":
            yield from self._select(args)
        elif fn.startswith("Fn::") or fn == "Condition":
            yield Unresolved(text=f"${{{fn}}}", reason=f"{fn} is not evaluated offline")
        else:
            yield node

    def _ref(self, name: Any) -> Iterator[Any]:
        if not isinstance(name, str):
            yield Unresolved(text="${Ref}", reason=f"Ref to {name!r}")
        elif name in self.resources and name not in self.parameters:
            known = self.resource_value(name, None) if self.resource_value else None
            if known is not None:
                yield known
                return
            yield Unresolved(
                text=f"${{{name}}}",
                reason=f"Ref to resource {name} is known only at deploy",
                refs=frozenset({name}),
            )
        else:
            yield from self.parameter(name)

    def _getatt(self, args: Any) -> str | Unresolved:
        if isinstance(args, str) and "." in args:
            args = args.split(".", 1)
        if isinstance(args, list) and len(args) == 2 and isinstance(args[0], str):
            attr = args[1] if isinstance(args[1], str) else "?"
            known = (
                self.resource_value(args[0], attr)
                if self.resource_value and args[0] in self.resources
                else None
            )
            if known is not None:
                return known
            return Unresolved(
                text=f"${{{args[0]}.{attr}}}",
                reason=f"Fn::GetAtt {args[0]}.{attr} is known only at deploy",
                refs=frozenset({args[0]}),
            )
        return Unresolved(text="${Fn::GetAtt}", reason=f"Fn::GetAtt {args!r}")

    def _if(self, args: Any) -> Iterator[Any]:
        if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
            yield Unresolved(text="${Fn::If}", reason=f"malformed Fn::If {args!r}")
            return
        decided = self.condition(args[0])
        if decided is not False:
            yield from self.variants(args[1])
        if decided is not True:
            yield from self.variants(args[2])

    def _product(self, nodes: Sequence[Any]) -> Iterator[tuple[Any, ...]] | None:
        choices = [self.strings(n) for n in nodes]
        total = 1
        for c in choices:
            total *= max(len(c), 1)
        if total > MAX_VARIANTS:
            return None
        return itertools.product(*choices)

    def _sub(self, args: Any) -> Iterator[Any]:
        local: Mapping[str, Any]
        if isinstance(args, str):
            template, local = args, {}
        elif (
            isinstance(args, list)
            and len(args) == 2
            and isinstance(args[0], str)
            and isinstance(args[1], Mapping)
        ):
            template, local = args[0], args[1]
        else:
            yield Unresolved(text="${Fn::Sub}", reason=f"malformed Fn::Sub {args!r}")
            return
        pieces = _SUB_VAR.split(template)  # literal, var, literal, var, ..., literal
        nodes: list[Any] = []
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                nodes.append(piece)
            elif piece.startswith("!"):
                nodes.append("${" + piece[1:] + "}")
            elif piece in local:
                nodes.append(local[piece])
            elif "." in piece and piece.split(".", 1)[0] in self.resources:
                nodes.append({"Fn::GetAtt": piece.split(".", 1)})
            else:
                nodes.append({"Ref": piece})
        combos = self._product(nodes)
        if combos is None:
            yield Unresolved(text=template, reason=f"more than {MAX_VARIANTS} combinations")
            return
        for combo in combos:
            yield _join_parts(["" if p is None else p for p in combo])

    def _join(self, args: Any) -> Iterator[Any]:
        if not (isinstance(args, list) and len(args) == 2 and isinstance(args[0], str)):
            yield Unresolved(text="${Fn::Join}", reason=f"malformed Fn::Join {args!r}")
            return
        sep = args[0]
        for items in self.variants(args[1]):
            if isinstance(items, Unresolved):
                yield items
                continue
            if not isinstance(items, list):
                yield Unresolved(text="${Fn::Join}", reason="Fn::Join of a non-list")
                continue
            combos = self._product(items)
            if combos is None:
                yield Unresolved(
                    text="${Fn::Join}", reason=f"more than {MAX_VARIANTS} combinations"
                )
                continue
            for combo in combos:
                yield _join_parts([p for p in combo if p is not None], sep)

    def _find_in_map(self, args: Any) -> Iterator[Any]:
        if not (isinstance(args, list) and len(args) in (3, 4)):
            yield Unresolved(text="${Fn::FindInMap}", reason=f"malformed Fn::FindInMap {args!r}")
            return
        default = (
            args[3].get("DefaultValue") if len(args) == 4 and isinstance(args[3], Mapping) else None
        )
        combos = self._product(args[:3])
        if combos is None:
            yield Unresolved(text="${Fn::FindInMap}", reason="too many combinations")
            return
        for name, top, second in combos:
            unknown = next((p for p in (name, top, second) if isinstance(p, Unresolved)), None)
            if unknown is not None:
                yield Unresolved(
                    text=f"${{Fn::FindInMap {name}/{top}/{second}}}",
                    reason=unknown.reason,
                    refs=unknown.refs,
                )
                continue
            table = self.mappings.get(name)
            row = table.get(top) if isinstance(table, Mapping) else None
            if isinstance(row, Mapping) and second in row:
                yield from self.variants(row[second])
            elif default is not None:
                yield from self.variants(default)
            else:
                yield Unresolved(
                    text=f"${{Fn::FindInMap {name}/{top}/{second}}}",
                    reason=f"mapping {name} has no entry {top}/{second}",
                )

    def _select(self, args: Any) -> Iterator[Any]:
        if not (isinstance(args, list) and len(args) == 2):
            yield Unresolved(text="${Fn::Select}", reason=f"malformed Fn::Select {args!r}")
            return
        for index in self.variants(args[0]):
            idx = as_int(index)
            for items in self.variants(args[1]):
                if isinstance(idx, int) and isinstance(items, list) and 0 <= idx < len(items):
                    yield from self.variants(items[idx])
                else:
                    yield Unresolved(text="${Fn::Select}", reason="Fn::Select of unknown values")

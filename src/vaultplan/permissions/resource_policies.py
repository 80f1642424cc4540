"""The resource policies a template holds, as :class:`~vaultplan.permissions.evaluate.Policy`
values the evaluator reads: today the ``KeyPolicy`` of each ``AWS::KMS::Key``.

Intrinsic functions are resolved offline; what stays unknown (``${AWS::AccountId}`` in the
root principal, say) keeps its ``${...}`` placeholder, which the evaluator reads as "this
account" in a principal and as not evaluable in a condition value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vaultplan.permissions.evaluate import Policy, policy
from vaultplan.template import LoadedTemplate
from vaultplan.template.resolve import Resolver, Unresolved, cfn_str


def _deep(resolver: Resolver, node: Any) -> Any:
    variants = resolver.variants(node)
    value = variants[0] if len(variants) == 1 else Unresolved("${...}", "several values")
    if isinstance(value, Unresolved):
        return value.text
    if isinstance(value, Mapping):
        return {str(k): _deep(resolver, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep(resolver, v) for v in value]
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    return str(cfn_str(value))


def _refers_to(node: Any, logical_id: str) -> bool:
    if isinstance(node, Mapping):
        if node.get("Ref") == logical_id:
            return True
        att = node.get("Fn::GetAtt")
        if (isinstance(att, list) and att and att[0] == logical_id) or (
            isinstance(att, str) and att.split(".", 1)[0] == logical_id
        ):
            return True
        return any(_refers_to(v, logical_id) for v in node.values())
    if isinstance(node, list):
        return any(_refers_to(v, logical_id) for v in node)
    return False


def key_policies(
    template: LoadedTemplate,
    *,
    used_by: str | None = None,
    parameters: Mapping[str, str] | None = None,
) -> list[tuple[str, Policy]]:
    """``(logical id, key policy)`` of the template's KMS keys; with ``used_by``, only the
    keys that resource refers to (all keys when it refers to none)."""
    resolver = Resolver(template.body, parameters)
    resources = template.typed_resources()
    keys = {
        lid: res
        for lid, res in resources.items()
        if res.get("Type") == "AWS::KMS::Key"
        and isinstance(res.get("Properties"), Mapping)
        and "KeyPolicy" in res["Properties"]
    }
    user = resources.get(used_by or "")
    if user is not None:
        used = {lid: res for lid, res in keys.items() if _refers_to(user.get("Properties"), lid)}
        keys = used or keys
    return [
        (lid, policy(_deep(resolver, res["Properties"]["KeyPolicy"]), lid))
        for lid, res in keys.items()
    ]

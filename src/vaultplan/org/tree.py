"""An organization as ``ORG.toml`` describes it: its root, OUs and accounts, each with its
backup policies in attachment order.

.. code-block:: toml

    config = "vaultplan.toml"          # optional: the strategy whose member stack each runs
    [[node]]
    id = "r-ab12"
    policies = ["policies/base.json"]
    [[node]]
    id = "ou-ab12-11111111"
    parent = "r-ab12"
    policies = ["policies/prod.json", "policies/prod-extra.json"]
    [[node]]
    id = "111111111111"
    parent = "ou-ab12-11111111"

Paths are relative to ``ORG.toml``'s folder; only the files it names are read, and only
inside that folder (an absolute path, ``../`` or a symlink out of it is refused). A node's id
says its kind (a root ``r-...``, an OU ``ou-...-...``, an account of 12 digits). The tree is
checked as AWS Organizations builds one: one root, every other node under an existing root or
OU, no cycle, OUs at most five levels deep, at most ten backup policies per node (limits:
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html). The
first problem is an :class:`~vaultplan.errors.InputError` naming the field
(``node[3].parent``) and the value.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vaultplan.aws import org_policy as syntax
from vaultplan.config.fields import check_keys, string, strings, type_error
from vaultplan.errors import InputError, shown
from vaultplan.org.validate import Policy, load_policy
from vaultplan.template.nesting import loads_toml
from vaultplan.template.text import inside, read_text

__all__ = ["NODE_KEYS", "ORG_KEYS", "OrgNode", "Organization", "load_org", "node_kind"]

ORG_KEYS = ("config", "node")
NODE_KEYS = ("id", "parent", "policies", "name")

NodeKind = Literal["root", "ou", "account"]


def node_kind(node_id: str) -> NodeKind | None:
    """What ``node_id`` names, by its form; None for no Organizations id."""
    if syntax.ROOT_ID_RE.match(node_id):
        return "root"
    if syntax.OU_ID_RE.match(node_id):
        return "ou"
    if syntax.ACCOUNT_ID_RE.match(node_id):
        return "account"
    return None


@dataclass(frozen=True)
class OrgNode:
    """One root, OU or account, and the policy files attached to it, in attachment order."""

    id: str
    kind: NodeKind
    parent: str | None
    policies: tuple[str, ...]
    """As ORG.toml writes them (relative to its folder)."""
    index: int
    """Its place in ORG.toml (``node[index]``)."""
    name: str | None = None


@dataclass(frozen=True)
class Organization:
    source: Path
    nodes: Mapping[str, OrgNode]
    """By id, in ORG.toml's order."""
    root: OrgNode
    policies: Mapping[str, Policy] = field(default_factory=dict)
    """Each policy file named, decoded once, by its path as ORG.toml writes it."""
    config: Path | None = None
    """The strategy's ``vaultplan.toml`` (``config = ...``), resolved; None when not given."""

    @property
    def accounts(self) -> list[OrgNode]:
        return [n for n in self.nodes.values() if n.kind == "account"]

    def lineage(self, node_id: str) -> list[OrgNode]:
        """The root, each OU down the path, then the node itself."""
        chain: list[OrgNode] = []
        node: OrgNode | None = self.nodes[node_id]
        while node is not None:
            chain.append(node)
            node = self.nodes[node.parent] if node.parent is not None else None
        return chain[::-1]

    def file(self, policy: str) -> Path:
        return self.source.parent / policy


def _nodes(data: Mapping[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    nodes = data.get("node")
    if nodes is None:
        raise InputError(
            "node: required, not given; list the root, OUs and accounts as [[node]] tables "
            "with id, parent and policies"
        )
    if not isinstance(nodes, list):
        raise type_error("node", nodes, "an array of tables: [[node]]")
    for i, node in enumerate(nodes):
        if not isinstance(node, dict):
            raise type_error(f"node[{i}]", node, "a table: [[node]]")
        yield i, node


def _node(i: int, data: dict[str, Any]) -> OrgNode:
    where = f"node[{i}]"
    check_keys(data, NODE_KEYS, f"{where}.")
    node_id = string(data, "id", f"{where}.id")
    if node_id is None:
        raise InputError(
            f"{where}.id: required, not given; a root ('r-ab12'), an OU "
            "('ou-ab12-11111111') or an account (12 digits)"
        )
    kind = node_kind(node_id)
    if kind is None:
        raise InputError(
            f"{where}.id: got {shown(node_id)}; a root is 'r-' and 4-32 lowercase letters or "
            "digits, an OU 'ou-<4-32>-<8-32 lowercase letters or digits>', an account 12 digits"
        )
    policies = strings(data, "policies", f"{where}.policies", item="a path") or ()
    if len(policies) > syntax.POLICIES_PER_NODE_MAX:
        raise InputError(
            f"{where}.policies: got {len(policies)} policies; AWS Organizations attaches at "
            f"most {syntax.POLICIES_PER_NODE_MAX} backup policies to a root, OU or account"
        )
    for j, policy in enumerate(policies):
        if policy in policies[:j]:
            raise InputError(
                f"{where}.policies[{j}]: got {shown(policy)}; attached twice to this node"
            )
    return OrgNode(
        id=node_id,
        kind=kind,
        parent=string(data, "parent", f"{where}.parent"),
        policies=policies,
        index=i,
        name=string(data, "name", f"{where}.name"),
    )


def _check_tree(nodes: dict[str, OrgNode]) -> OrgNode:
    roots = [n for n in nodes.values() if n.kind == "root"]
    if not roots:
        raise InputError("node: no root; one node's id is the root's, e.g. id = 'r-ab12'")
    root = roots[0]
    if len(roots) > 1:
        raise InputError(
            f"node[{roots[1].index}].id: got {shown(roots[1].id)}; a second root (node"
            f"[{root.index}] is {shown(root.id)}), an organization has one"
        )
    for node in nodes.values():
        where = f"node[{node.index}].parent"
        if node.kind == "root":
            if node.parent is not None:
                raise InputError(f"{where}: got {shown(node.parent)}; the root has no parent")
            continue
        if node.parent is None:
            raise InputError(
                f"{where}: required, not given; the id of the root or OU that holds "
                f"{shown(node.id)}"
            )
        parent = nodes.get(node.parent)
        if parent is None:
            raise InputError(f"{where}: got {shown(node.parent)}; no node has this id")
        if parent.kind == "account":
            raise InputError(
                f"{where}: got {shown(node.parent)}, an account; only the root and OUs hold "
                "other nodes"
            )
    for node in nodes.values():
        chain = [node.id]
        current = node
        while current.parent is not None:
            current = nodes[current.parent]
            if current.id in chain:
                cycle = " -> ".join([*chain[chain.index(current.id) :], current.id])
                raise InputError(
                    f"node[{node.index}].parent: got {shown(node.parent)}; a cycle: {cycle}"
                )
            chain.append(current.id)
        depth = sum(nodes[i].kind == "ou" for i in chain)
        if node.kind == "ou" and depth > syntax.OU_DEPTH_MAX:
            raise InputError(
                f"node[{node.index}].parent: got {shown(node.parent)}; OU {shown(node.id)} "
                f"would be {depth} levels deep, and OUs nest at most {syntax.OU_DEPTH_MAX} "
                "levels under the root"
            )
    return root


def load_org(path: Path, field: str = "ORG") -> Organization:
    """Read ``ORG.toml`` at ``path`` and every policy file it names.

    Raises :class:`~vaultplan.errors.InputError` with one line for the first problem: the
    file, a node (``node[3].parent: got ...``), or a policy file
    (``node[0].policies[1]: got 'x.json'; not JSON ...``).
    """
    text = read_text(path, field)
    try:
        data = loads_toml(text, field, path)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{field}: got '{path}'; not TOML ({err})") from None
    check_keys(data, ORG_KEYS, "")
    nodes: dict[str, OrgNode] = {}
    for i, raw in _nodes(data):
        node = _node(i, raw)
        if node.id in nodes:
            raise InputError(
                f"node[{i}].id: got {shown(node.id)}; node[{nodes[node.id].index}] has the same id"
            )
        nodes[node.id] = node
    root = _check_tree(nodes)
    config = string(data, "config", "config")
    config_file = _inside(path, config, "config") if config is not None else None
    policies: dict[str, Policy] = {}
    for node in nodes.values():
        for j, name in enumerate(node.policies):
            if name not in policies:
                where = f"node[{node.index}].policies[{j}]"
                file = _inside(path, name, where)
                if not file.is_file():
                    raise InputError(
                        f"{where}: got {shown(name)}; no such file ({file}; paths are "
                        "relative to ORG.toml's folder)"
                    )
                policies[name] = load_policy(file, where)
    return Organization(
        source=path,
        nodes=nodes,
        root=root,
        policies=policies,
        config=config_file,
    )


def _inside(org_file: Path, name: str, where: str) -> Path:
    """The file ``name`` that ORG.toml names, if it is inside ORG.toml's folder: "only the
    files it names are read", and none outside the folder it was given in (an absolute path,
    ``../`` or a symlink out is refused before anything is read)."""
    return inside(
        org_file.parent,
        org_file.parent,
        name,
        where,
        outside="ORG.toml's folder",
        belongs="ORG.toml names files inside its folder",
    )

"""``vaultplan org validate`` and ``vaultplan org effective``: parse options, call
:mod:`vaultplan.org.validate` and :mod:`vaultplan.org.effective`, format."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vaultplan.checks.finding import Severity
from vaultplan.cli._console import help_text
from vaultplan.cli._findings import FindingsFormat, format_option, print_findings
from vaultplan.cli._lean import LeanCommand
from vaultplan.cli.org import org_app
from vaultplan.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from vaultplan.org.effective import Effective, MemberStack
    from vaultplan.org.tree import Organization


class EffectiveFormat(StrEnum):
    text = "text"
    json = "json"


VALIDATE_HELP = """Check hand-written AWS Organizations backup policies against the documented
element table, offline.

POLICY is a JSON file holding one backup policy, {"plans": {"<PlanName>": {...}}}. Found:
plan elements with no plan-name level (VP401), keys unknown at their level, with the nearest
known one (VP402), values without an inheritance operator (VP403), @@append or @@remove on a
single value (VP404), values of the wrong kind (VP405), missing required elements (VP406), a
selection with both or neither of tags and resources (VP407), copy actions without
target_backup_vault_arn (VP408), $account or $region where AWS doesn't replace them (VP409),
specific resource ARNs (VP410), and the AWS Backup limits vaultplan check applies to plans:
cron syntax and at most hourly (VP411), start window of 60 minutes or more (VP412), delete at
least cold + 90 days (VP413), at most 10 rules, 5 copy actions and 30 conditions (VP414), and
10,000 characters minified (VP415). The catalogue of checks is docs/checks.md.

--partial: the policy is merged with its parents' (an OU's or an account's additions), so
required elements may come from them and are not asked for.

Exit codes: 0 no error finding; 1 at least one; 2 bad input (a file that can't be read,
isn't JSON or isn't a JSON object: one line, nothing else).

Example: [bold]vaultplan org validate policies/base.json --format sarif[/bold]"""


@org_app.command("validate", cls=LeanCommand, help=help_text(VALIDATE_HELP), no_args_is_help=True)
def validate(
    policies: Annotated[
        list[Path], typer.Argument(metavar="POLICY...", help="Backup policy JSON files.")
    ],
    output_format: Annotated[FindingsFormat, format_option()] = FindingsFormat.text,
    partial: Annotated[
        bool,
        typer.Option("--partial", help="Don't ask for required elements (a child policy)."),
    ] = False,
) -> None:
    from vaultplan.org.validate import validate_paths

    report = validate_paths(policies, partial=partial)
    print_findings(report, output_format)
    raise typer.Exit(report.exit_code)


EFFECTIVE_HELP = """Compute each account's effective AWS Organizations backup policy offline,
as AWS does after you attach the policies, and check it.

ORG.toml lists the root, the OUs and the accounts as \\[\\[node]] tables: id (r-..., ou-...-...,
or a 12-digit account), parent (the root or an OU), and policies, the backup policy files
attached to it in attachment order, relative to ORG.toml's folder. Only those files are read,
and only inside that folder (an absolute path, ../ or a symlink out of it is refused).
An optional top-level config = "vaultplan.toml" names the strategy whose member-account stack
each account runs: each effective plan's vault and role are then compared with the ones that
stack creates (VP416); without it, that comparison is skipped.

The policies merge as AWS merges them: the root's, then each OU's down the path, then the
account's; @@assign replaces (a list whole), @@append and @@remove change lists,
@@operators_allowed_for_child_policies limits what the levels below may do and can't be
undone by them; policies of one node intersect their limits and otherwise apply in attachment
order. The effective policy has no operators and lowercased keys, as DescribeEffectivePolicy
returns it.

--format json prints an object keyed by account id (each value the policy content) and the
findings on stderr. The text form is a table of accounts and plans, marking values an
ancestor locked; --explain plans.myplan.regions says which policy file set each value under
that path. Every policy file is checked (as with org validate --partial), and every effective
plan (as with org validate).

Exit codes: 0 no error finding; 1 at least one; 2 bad input (ORG.toml, a node, or a policy
file: one line naming it, nothing else).

Example: [bold]vaultplan org effective org/ORG.toml --account 111111111111[/bold]"""


@org_app.command("effective", cls=LeanCommand, help=help_text(EFFECTIVE_HELP), no_args_is_help=True)
def effective(
    org_file: Annotated[
        Path, typer.Argument(metavar="ORG_TOML", help="The organization: its ORG.toml file.")
    ],
    account: Annotated[
        list[str] | None,
        typer.Option(
            "--account", metavar="ID", help="Only this account (repeatable). Default: all."
        ),
    ] = None,
    output_format: Annotated[
        EffectiveFormat,
        typer.Option("--format", "-f", help="text: a table of accounts and plans; json."),
    ] = EffectiveFormat.text,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="PATH",
            help="Say which policy file set each value under PATH, e.g. plans.myplan.regions.",
        ),
    ] = None,
) -> None:
    from vaultplan.org.effective import effective_policies, organization_report
    from vaultplan.org.tree import load_org

    if explain is not None and output_format is not EffectiveFormat.text:
        raise InputError(
            f"--explain: got {explain!r} with --format {output_format.value}; --explain adds "
            "to the text form, drop --format or one of them"
        )
    org = load_org(org_file)
    accounts = _accounts(org, account or [])
    member = _member(org)
    merged = effective_policies(org, accounts)
    report = organization_report(org, merged, member)
    if output_format is EffectiveFormat.json:
        # One account a line: readable, and the C encoder (indent would take Python's).
        lines = [f"  {json.dumps(a)}: {json.dumps(e.content)}" for a, e in merged.items()]
        sys.stdout.write("{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n")
        for finding in report.findings:
            sys.stderr.write(
                f"{finding.template}: {finding.check_id} {finding.severity.value}: "
                f"{finding.message}\n"
            )
    else:
        from vaultplan.cli._console import console

        _table(merged, console)
        if explain is not None:
            _explain(merged, explain, console)
        print_findings(report, FindingsFormat.text)
    # Exit 1 on an error finding, else 0: an organization with no account and no policy file
    # has nothing to check, which is no error (a check report's 2 means "no template among
    # the files given", bad input, and exit 2 is one stderr line and nothing else).
    raise typer.Exit(1 if report.count(Severity.ERROR) else 0)


def _accounts(org: Organization, wanted: list[str]) -> list[str] | None:
    if not wanted:
        return None
    for value in wanted:
        node = org.nodes.get(value)
        if node is None or node.kind != "account":
            known = ", ".join(a.id for a in org.accounts[:5])
            raise InputError(
                f"--account: got {value!r}; not an account of {org.source} (accounts: "
                f"{known}{', ...' if len(org.accounts) > 5 else ''})"
            )
    return list(dict.fromkeys(wanted))


def _member(org: Organization) -> MemberStack | None:
    """The member-account stack's vault and role, from the config ORG.toml names."""
    if org.config is None:
        return None
    from vaultplan.config import load_config
    from vaultplan.config.loader import strategy_spec
    from vaultplan.org.policy import member_names

    return member_names(strategy_spec(load_config(org.config, field="config")))


def _cell(values: list[str], locked: bool) -> Any:
    from rich.text import Text

    text = Text("\n".join(values) or "-")
    if locked:
        text.append(" [locked]", style="bold yellow")
    return text


def _table(merged: dict[str, Effective], console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text("Effective backup policies"), title_justify="left")
    for name in ("Account", "Plan", "Rules", "Regions", "Vault", "Selection"):
        table.add_column(Text(name), overflow="fold")
    for account, eff in merged.items():
        plans = _mapping(eff.content.get("plans"))
        if not plans:
            table.add_row(Text(account), Text("(no plan)"), *(Text("-") for _ in range(4)))
            continue
        for plan_name, plan in plans.items():
            base = f"plans.{plan_name}"
            plan = _mapping(plan)
            rules = _mapping(plan.get("rules"))
            rule_lines = [
                f"{name}: {rule.get('schedule_expression', '?')}"
                for name, rule in rules.items()
                if isinstance(rule, dict)
            ]
            vaults = sorted(
                {
                    str(rule.get("target_backup_vault_name", "?"))
                    for rule in rules.values()
                    if isinstance(rule, dict)
                }
            )
            regions = _values(plan.get("regions"))
            table.add_row(
                Text(account),
                Text(plan_name),
                _cell(rule_lines, eff.locked(f"{base}.rules") is not None),
                _cell(regions, eff.locked(f"{base}.regions") is not None),
                _cell(
                    vaults,
                    bool(rules)
                    and all(
                        eff.locked(f"{base}.rules.{name}.target_backup_vault_name") is not None
                        for name in rules
                    ),
                ),
                _cell(_selection_lines(plan), eff.locked(f"{base}.selections") is not None),
            )
    console.print(table)
    console.print(
        Text(
            "[locked]: an ancestor's @@none keeps the account's own policies from changing it "
            "(--explain PATH says whose)."
        ),
        highlight=False,
    )


def _mapping(value: Any) -> dict[str, Any]:
    """A map of the effective policy, or ``{}`` when a policy gave it another kind of value
    (a finding says so; the table shows what there is)."""
    return value if isinstance(value, dict) else {}


def _values(value: Any) -> list[str]:
    """A multi-valued setting as the table shows it: each item of a list, else the one value
    a policy gave (a finding says it is not a list)."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


def _selection_lines(plan: dict[str, Any]) -> list[str]:
    selections = _mapping(plan.get("selections"))
    lines = []
    for name, sel in _mapping(selections.get("tags")).items():
        if isinstance(sel, dict):
            values = ",".join(_values(sel.get("tag_value")))
            lines.append(f"{name}: tag {sel.get('tag_key')}={values}")
    for name, sel in _mapping(selections.get("resources")).items():
        if isinstance(sel, dict):
            lines.append(f"{name}: {', '.join(_values(sel.get('resource_types')))}")
    return lines


def _explain(merged: dict[str, Effective], dotted: str, console: Console) -> None:
    from rich.text import Text

    for account, eff in merged.items():
        found = eff.explain(dotted)
        if found is None:
            console.print(Text(f"{account}: no policy sets {dotted}"), highlight=False)
            continue
        for path, value, changes in found:
            lock = eff.locked(path)
            head = f"{account} {path} = {json.dumps(value)}"
            if lock is not None:
                head += f" [locked by {lock}]"
            console.print(Text(head, style="bold"), highlight=False)
            for change in changes:
                outcome = "applied" if change.applied else f"ignored: {change.why}"
                console.print(
                    Text(
                        f"  {change.source}: {change.operator} {json.dumps(change.value)} "
                        f"-> {outcome}"
                    ),
                    highlight=False,
                )

"""``vaultplan explain``: the permission behind a failed deploy."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vaultplan.cli import app
from vaultplan.cli._console import help_text
from vaultplan.cli._params import AccountOption, PartitionOption, RegionOption, StackNameOption
from vaultplan.errors import InputError

if TYPE_CHECKING:
    from vaultplan.permissions.explain import DecodedAuthorization, Explanation


class ExplainFormat(StrEnum):
    text = "text"
    json = "json"


HELP = """Say which permissions a failed CloudFormation deploy was missing.

Give the stack event's status reason (--message) and the resource type, or the JSON of
`aws cloudformation describe-stack-events` (--events; every *_FAILED event is read).
The answer is the permissions the failing handler needs (from the CloudFormation schema
that cfn-lint bundles, checked against IAM's reference data), by operation. With
--policy (the principal's current policies), only those the policies do not allow, as
judged by an offline IAM evaluator (explicit Deny wins; Action/NotAction and
Resource/NotResource with wildcards; conditions are reported as not evaluable), with the
permissions boundary (--boundary) and SCPs (--scp) when given.

When the message names the action and resource ("is not authorized to perform: X on
resource: Y"), X on Y is evaluated first. If the policies allow it, the answer says so and
names where the deny can come from instead (a resource policy such as the KMS key policy,
evaluated when --template holds the key; a permissions boundary; an SCP; a session
policy). Otherwise X comes first among the missing permissions. An encoded authorization
message gets the `aws sts decode-authorization-message` command; --decoded reads its
output and answers exactly.

Example (a vault that fails to create for want of a permission):

  vaultplan explain --resource-type AWS::Backup::BackupVault \\
    --message "Insufficient privileges to perform this action." \\
    --policy current.json

  vaultplan explain --decoded decoded.json --policy current.json

Exit codes: 0 explained; 2 bad input.
"""


@app.command("explain", help=help_text(HELP))
def explain(
    message: Annotated[str | None, typer.Option(help="The failed event's status reason.")] = None,
    events: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="JSON of `aws cloudformation describe-stack-events`."),
    ] = None,
    resource_type: Annotated[
        str | None,
        typer.Option(help="Resource type that failed (else taken from --events)."),
    ] = None,
    template: Annotated[
        Path | None, typer.Option(help="The template, to judge the scoped resource ARNs.")
    ] = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option(metavar="FILE", help="The principal's policy documents (repeat for several)."),
    ] = None,
    boundary: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="The principal's permissions boundary policy."),
    ] = None,
    scp: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="FILE",
            help="A service control policy above the account (repeat: each must allow).",
        ),
    ] = None,
    decoded: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Output of `aws sts decode-authorization-message` (JSON)."
        ),
    ] = None,
    logical_id: Annotated[
        str | None, typer.Option(help="Logical id of the failed resource in --template.")
    ] = None,
    region: RegionOption = None,
    account: AccountOption = None,
    partition: PartitionOption = None,
    stack_name: StackNameOption = None,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", help="text for people, json for scripts.")
    ] = ExplainFormat.text,
) -> None:
    from vaultplan.permissions.evaluate import load_policies
    from vaultplan.permissions.explain import Failure, explain_decoded, read_decoded, read_events
    from vaultplan.permissions.explain import explain as run_explain
    from vaultplan.permissions.scoping import ArnContext
    from vaultplan.template import NotATemplate, load_template

    if [message, events, decoded].count(None) != 2:
        raise InputError(
            "explain: give exactly one of --message TEXT, --events FILE or --decoded FILE"
        )
    policies = load_policies(policy) if policy else None
    boundary_policy = load_policies([boundary], "--boundary")[0] if boundary else None
    scps = load_policies(scp, "--scp") if scp else []
    if decoded is not None:
        answer = explain_decoded(
            read_decoded(decoded), policies=policies, boundary=boundary_policy, scps=scps
        )
        if output_format is ExplainFormat.json:
            typer.echo(json.dumps(answer.to_json(), indent=2, allow_nan=False))
        else:
            _decoded_text(answer)
        return
    if events is not None:
        failures = read_events(events, resource_type)
        if not failures:
            raise InputError(
                f"--events: {events} holds no *_FAILED event"
                + (f" of type {resource_type}" if resource_type else "")
                + " other than cancellations"
            )
    else:
        if not resource_type:
            raise InputError(
                "--resource-type: required with --message (e.g. AWS::Backup::BackupVault)"
            )
        failures = [Failure(resource_type, message or "", logical_id)]
    loaded = None
    if template is not None:
        item = load_template(template)
        if isinstance(item, NotATemplate):
            raise InputError(f"--template: {item.path}: {item.reason}")
        loaded = item
    results = run_explain(
        failures,
        policies=policies,
        boundary=boundary_policy,
        scps=scps,
        template=loaded,
        where=ArnContext(
            partition=partition, region=region, account=account, stack_name=stack_name
        ),
    )
    if output_format is ExplainFormat.json:
        typer.echo(json.dumps([r.to_json() for r in results], indent=2, allow_nan=False))
        return
    for i, result in enumerate(results):
        if i:
            typer.echo("")
        _text(result)


def _text(result: Explanation) -> None:
    f = result.failure
    head = f"{f.logical_id} ({f.resource_type})" if f.logical_id else f.resource_type
    typer.echo(f"{head}{' ' + f.status if f.status else ''}")
    if f.message:
        typer.echo(f"  message: {f.message}")
    if result.note:
        typer.echo(f"  note: {result.note}")
    if result.decode_command:
        typer.echo(f"  decode it: {result.decode_command}")
        typer.echo("  then: vaultplan explain --decoded decoded.json --policy ...")
    _named_text(result)
    answer = result.answer()
    if result.judged:
        if not answer and result.allowed_by_identity:
            typer.echo("  the policies allow every other permission of the handler too")
            return
        if not answer:
            typer.echo("  the policies allow every permission of the handler; look elsewhere")
            typer.echo("  (a permissions boundary, an SCP, a resource policy, or a KMS key policy)")
            return
        typer.echo("  missing (not allowed by the given policies):")
    else:
        typer.echo("  needs (no --policy given, so every permission of the handler):")
    width = max(len(n.action) for n in answer) if answer else 0
    for n in answer:
        line = f"    {n.action:<{width}}  {n.operation:<7} {', '.join(n.resources)}"
        if n.decision is not None:
            line += f"  [{n.decision.outcome.value}: {n.decision.reason}]"
        typer.echo(line.rstrip())


def _named_text(result: Explanation) -> None:
    """The verdict on the call the message names, when the identity policies allow it."""
    full = result.named_decision
    if full is None or not result.allowed_by_identity:
        return
    call = f"{result.named_action} on {result.named_resource or '*'}"
    if full.allowed:
        typer.echo(f"  {call}: allowed by your policy; look at:")
    elif full.outcome.value == "not evaluable":
        typer.echo(f"  {call}: allowed by your policy; then {full.reason}; look at:")
    else:
        typer.echo(f"  {call}: allowed by your policy, but {full.reason}")
        return
    for place in result.look_at:
        typer.echo(f"    - {place}")


def _decoded_text(answer: DecodedAuthorization) -> None:
    typer.echo(answer.answer)
    for sid, effect in answer.matched:
        typer.echo(f"  matched statement: {sid or '(no id)'} ({effect})")
    for failure in answer.failures:
        typer.echo(f"  failure: {failure}")
    for key, values in answer.context.items():
        typer.echo(f"  context: {key} = {', '.join(values)}")
    if answer.decision is not None:
        typer.echo(
            f"  the given policies: {answer.decision.outcome.value}: {answer.decision.reason}"
        )

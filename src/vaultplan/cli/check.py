"""``vaultplan check``: parse options, run :func:`vaultplan.checks.check_paths`, format."""

from __future__ import annotations

from typing import Annotated

import typer

from vaultplan.cli import app
from vaultplan.cli._console import err_console, progress_bar
from vaultplan.cli._findings import FindingsFormat, format_option, print_findings
from vaultplan.cli._params import parameters_option, split_parameters
from vaultplan.errors import InputError

CHECK_HELP = "\n\n".join(
    [
        "Find what AWS Backup would reject (VP1xx errors) and what leaves data less protected "
        "than it looks (VP2xx warnings) in CloudFormation templates, offline.",
        "TEMPLATE is a JSON or YAML template, a folder of them, or a cdk.out directory. Values "
        "are resolved through Ref to Parameters (their defaults, or --parameters), "
        "Fn::FindInMap and simple Fn::Sub, Fn::Join and Fn::If; when a condition can't be "
        "decided, both branches are checked. What can't be resolved is not guessed: the check "
        "says it is not applicable (--show-not-applicable lists them). The catalogue of "
        "checks is docs/checks.md.",
        "--ignore-checks VP204,VP207 (repeatable, or ids separated by commas) doesn't run "
        "those checks. To accept one finding with a reason, suppress it in the template's "
        "Metadata (the resource's or the template's): vaultplan: {ignore_checks: [{id: VP207, "
        "reason: ...}]}. A suppressed finding is reported as suppressed, with its reason, and "
        "doesn't fail the run; a suppression without a reason suppresses nothing (VP002).",
        "Exit codes: 0 no error finding (warnings and info don't fail the run); 1 at least "
        "one error finding; 2 bad input: a missing or unparsable file, a bad option, or no "
        "file that is a CloudFormation template. A file that parses but is not a template "
        "is skipped with a one-line reason on stderr, and the others are checked.",
        "Examples: [bold]vaultplan check template.yaml[/bold] ; "
        "[bold]vaultplan check cdk.out --format sarif > check.sarif[/bold] ; "
        "[bold]vaultplan check stack.yaml --parameters Retention=3 AWS::Region=eu-west-1[/bold]",
    ]
)


@app.command(help=CHECK_HELP, no_args_is_help=True)
def check(
    templates: Annotated[
        list[str],
        typer.Argument(
            metavar="TEMPLATE...", help="Template files, folders or cdk.out directories."
        ),
    ],
    output_format: Annotated[FindingsFormat, format_option()] = FindingsFormat.text,
    parameters: Annotated[
        list[str] | None,
        parameters_option(
            "Parameter values (template parameters, or pseudo parameters such as "
            "AWS::Region); they override defaults."
        ),
    ] = None,
    ignore_checks: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore-checks",
            metavar="ID[,ID...]",
            help="Checks not to run, e.g. VP204,VP207 (repeatable).",
        ),
    ] = None,
    show_not_applicable: Annotated[
        bool,
        typer.Option(
            "--show-not-applicable", help="List the checks that could not decide, and why."
        ),
    ] = False,
) -> None:
    from vaultplan.checks import check_paths
    from vaultplan.checks.registry import parse_check_ids

    ignored = parse_check_ids(ignore_checks or [], "--ignore-checks")
    paths, values = split_parameters(templates, parameters or [])
    with progress_bar("check", several=paths) as bar:
        report = check_paths(paths, values, ignore_checks=ignored, progress=bar)
    if not report.analysed:
        reasons = "; ".join(f"{t.path}: {t.skipped}" for t in report.templates)
        raise InputError(f"template: no CloudFormation template to check ({reasons})")
    for skipped in report.templates:
        if skipped.skipped is not None:
            err_console.print(
                f"skipped {skipped.path}: {skipped.skipped}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    print_findings(report, output_format, show_not_applicable=show_not_applicable)
    raise typer.Exit(report.exit_code)

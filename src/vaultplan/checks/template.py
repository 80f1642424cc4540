"""The template as a whole: its size against CloudFormation's quotas (VP125, VP301).

A template's size is its file's, in bytes, as CloudFormation receives it (``cdk deploy`` and
``aws cloudformation deploy`` upload the file as written); a template given as data, with no
file, is measured as compact JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from vaultplan.aws.cloudformation import (
    TEMPLATE_BODY_MAX_BYTES,
    TEMPLATE_S3_MAX_BYTES,
    template_size_problem,
)
from vaultplan.checks.finding import Issue, NotApplicable, Severity
from vaultplan.checks.model import CheckContext
from vaultplan.checks.registry import check

Result = Iterator[Issue | NotApplicable]
_QUOTAS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html"
)


def _size(ctx: CheckContext) -> int | None:
    try:
        return ctx.template.path.stat().st_size
    except OSError:
        pass
    try:
        text = json.dumps(ctx.template.body, separators=(",", ":"), default=str)
    except (TypeError, ValueError):
        return None
    return len(text.encode("utf-8", errors="surrogatepass"))


@check(
    "VP125",
    Severity.ERROR,
    "Template larger than CloudFormation's 1 MB limit",
    f"CloudFormation refuses a template body over {TEMPLATE_S3_MAX_BYTES:,} bytes (1 MB), even "
    "from S3 (quota 'Template body size'). Select resources by tag (`ListOfTags`, "
    "`Conditions`) instead of listing thousands of ARNs, or split the template into stacks.",
    _QUOTAS,
)
def template_too_large(ctx: CheckContext) -> Result:
    size = _size(ctx)
    problem = None if size is None else template_size_problem(size)
    if problem is not None:
        yield Issue(
            None,
            (),
            f"template: {problem}; select resources by tag instead of listing thousands of "
            "ARNs, or split it into several stacks",
        )


@check(
    "VP301",
    Severity.INFO,
    "Template larger than 51,200 bytes: deploy it through S3",
    f"A template body over {TEMPLATE_BODY_MAX_BYTES:,} bytes can't be passed in the request "
    "(`aws cloudformation deploy` without `--s3-bucket`, `--template-body`); it deploys from "
    "S3 (`--s3-bucket`, `--template-url`; `cdk deploy` uploads it to the bootstrap bucket).",
    _QUOTAS,
)
def template_needs_s3(ctx: CheckContext) -> Result:
    size = _size(ctx)
    if size is not None and TEMPLATE_BODY_MAX_BYTES < size <= TEMPLATE_S3_MAX_BYTES:
        yield Issue(
            None,
            (),
            f"template: got {size:,} bytes, over the {TEMPLATE_BODY_MAX_BYTES:,} bytes a "
            "request can carry; deploy it from S3 (aws cloudformation deploy --s3-bucket, "
            "or cdk deploy)",
        )

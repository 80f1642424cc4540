"""The template as a whole: its size against CloudFormation's quotas (VP125, VP301).

A template's size is its file's, in bytes, as CloudFormation receives it (``cdk deploy`` and
``aws cloudformation deploy`` upload the file as written); a template given as data, with no
file, is measured as compact JSON.
"""

from __future__ import annotations

import json

from vaultplan.aws.cloudformation import (
    TEMPLATE_BODY_MAX_BYTES,
    TEMPLATE_S3_MAX_BYTES,
    template_size_problem,
)
from vaultplan.checks.finding import Issue
from vaultplan.checks.model import CheckContext, Result
from vaultplan.checks.registry import check


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


@check("VP125")
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


@check("VP301")
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

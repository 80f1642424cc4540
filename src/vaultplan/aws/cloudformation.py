"""CloudFormation's quotas that a template meets before AWS Backup sees it.

Source: AWS CloudFormation User Guide, "CloudFormation quotas"
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
"Template body size": 51,200 bytes in a request (``aws cloudformation deploy`` without
``--s3-bucket``, ``--template-body``), 1 MB for a template uploaded to Amazon S3.
"""

from __future__ import annotations

__all__ = ["TEMPLATE_BODY_MAX_BYTES", "TEMPLATE_S3_MAX_BYTES", "template_size_problem"]

#: The largest template body passed in the request itself.
TEMPLATE_BODY_MAX_BYTES = 51_200
#: The largest template CloudFormation reads from S3 (1 MB, as 2^20 bytes).
TEMPLATE_S3_MAX_BYTES = 1_048_576


def template_size_problem(size: int) -> str | None:
    """Why a template of ``size`` bytes can't be deployed (over 1 MB), or ``None``."""
    if size <= TEMPLATE_S3_MAX_BYTES:
        return None
    return (
        f"got {size:,} bytes; CloudFormation takes a template of at most "
        f"{TEMPLATE_S3_MAX_BYTES:,} bytes (1 MB, from S3)"
    )

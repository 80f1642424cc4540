"""AWS facts a restore drill's network and functions must respect.

Sources:

- Lambda ``VpcConfig``: at most 16 ``SubnetIds`` (pattern ``subnet-[0-9a-z]*``) and 5
  ``SecurityGroupIds`` (``sg-[0-9a-zA-Z]*``) (botocore's ``lambda`` model, shape VpcConfig;
  https://docs.aws.amazon.com/lambda/latest/api/API_VpcConfig.html).
- EC2 resource ids: ``vpc-``, ``subnet-`` and ``sg-`` then 8 or 17 hexadecimal digits
  (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
- Restore testing deletes the restored resource "once the optional validation completes or the
  validation window closes" (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html):
  with no window (0 hours, or AWS's default) nothing waits for the drill.
"""

from __future__ import annotations

import re

__all__ = [
    "LAMBDA_MAX_SECURITY_GROUPS",
    "LAMBDA_MAX_SUBNETS",
    "SECURITY_GROUP_ID_RE",
    "SUBNET_ID_RE",
    "VPC_ID_RE",
]

LAMBDA_MAX_SUBNETS = 16
LAMBDA_MAX_SECURITY_GROUPS = 5
VPC_ID_RE = re.compile(r"vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})")
SUBNET_ID_RE = re.compile(r"subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})")
SECURITY_GROUP_ID_RE = re.compile(r"sg-(?:[0-9a-f]{8}|[0-9a-f]{17})")

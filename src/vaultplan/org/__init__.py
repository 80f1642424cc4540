"""One strategy across an AWS Organizations organization: the backup policy, the
management-account template and the member-account stack they need."""

from __future__ import annotations

from vaultplan.org.options import OrgOptions, org_options_problems

__all__ = ["OrgOptions", "org_options_problems"]

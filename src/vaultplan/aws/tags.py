"""AWS tag limits: keys 1-128 characters, values 0-256, the ``aws:`` prefix reserved.

Source: "Tag naming limits and requirements",
https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
"""

from __future__ import annotations

__all__ = ["RESERVED_TAG_PREFIX", "TAG_KEY_MAX", "TAG_VALUE_MAX"]

TAG_KEY_MAX = 128
"""The longest tag key, in Unicode characters."""
TAG_VALUE_MAX = 256
"""The longest tag value, in Unicode characters."""
RESERVED_TAG_PREFIX = "aws:"
"""Tag keys starting with this (in any case) are AWS's own."""

"""The JSON files bundled in ``vaultplan/aws/data/``, each read and parsed once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed ``vaultplan/aws/data/<name>`` (shared: do not modify it)."""
    data: dict[str, Any] = json.loads(
        resources.files("vaultplan.aws.data").joinpath(name).read_text()
    )
    return data

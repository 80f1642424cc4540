"""Fixtures for the permissions tests: small templates written inline or under fixtures/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from vaultplan.template import LoadedTemplate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_TEMPLATE = FIXTURES / "default_strategy.yaml"


@pytest.fixture
def make_template(tmp_path: Path) -> Callable[..., LoadedTemplate]:
    """Write ``resources`` as a template file and load it through the public loader."""

    def make(resources: dict[str, Any], name: str = "stack", **sections: Any) -> LoadedTemplate:
        from vaultplan.template import load_template

        body = {"Resources": resources, **sections}
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(body))
        loaded = load_template(path)
        assert isinstance(loaded, LoadedTemplate)
        return loaded

    return make

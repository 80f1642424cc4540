"""Reading CloudFormation templates: files (JSON or YAML with short-form tags) and cdk.out."""

from __future__ import annotations

from vaultplan.template.loader import (
    LoadedTemplate,
    NotATemplate,
    iter_template_files,
    load_template,
    load_templates,
)

__all__ = [
    "LoadedTemplate",
    "NotATemplate",
    "iter_template_files",
    "load_template",
    "load_templates",
]

"""Reading CloudFormation templates: files (JSON or YAML with short-form tags) and cdk.out,
resolving their values offline, and what a backup selection selects."""

from __future__ import annotations

from vaultplan.template.loader import (
    LoadedTemplate,
    NotATemplate,
    TemplateSet,
    load,
    load_template,
    stack_name,
)
from vaultplan.template.resolve import Resolver, Unresolved

__all__ = [
    "LoadedTemplate",
    "NotATemplate",
    "Resolver",
    "TemplateSet",
    "Unresolved",
    "load",
    "load_template",
    "stack_name",
]

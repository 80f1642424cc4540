"""Shared fixtures: the shared corpora are read in place from ``../shared``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("VAULTPLAN_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "aws-cloudformation-templates"
BACKUP_CORPUS = SHARED / "corpus" / "backup-templates"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def backup_corpus_dir() -> Path:
    if not BACKUP_CORPUS.is_dir():
        pytest.skip(f"shared backup corpus not found at {BACKUP_CORPUS}")
    return BACKUP_CORPUS

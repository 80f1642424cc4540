"""``vaultplan synth`` and ``vaultplan init``: placeholder module owned by the foundation work."""

from __future__ import annotations

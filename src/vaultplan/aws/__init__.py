"""AWS's own facts, each written once: limits, name and ARN patterns, protectable resource
types, vault events, vault-lock rules, and the bundled reference data under ``data/``.

This package imports nothing else of vaultplan, so every other package can lean on it.
"""

"""One backup strategy across an AWS Organization: backup policies, checked and merged offline.

- :mod:`vaultplan.org.validate`: a backup policy against the documented element table
  (``vaultplan org validate``);
- :mod:`vaultplan.org.tree` and :mod:`vaultplan.org.effective`: an organization read from
  ``ORG.toml``, and each account's effective policy as AWS computes it (``vaultplan org
  effective``).
"""

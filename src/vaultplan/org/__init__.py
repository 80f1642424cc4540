"""One strategy across an AWS Organizations organization: backup policies written, checked
and merged offline, and the templates they need.

- :mod:`vaultplan.org.policy`: the config's strategy as backup policies (``vaultplan org
  policy``); :mod:`vaultplan.org.management`: the management-account template; the member
  accounts' stack is ``vaultplan synth --org``;
- :mod:`vaultplan.org.validate`: a backup policy against the documented element table
  (``vaultplan org validate``);
- :mod:`vaultplan.org.tree` and :mod:`vaultplan.org.effective`: an organization read from
  ``ORG.toml``, and each account's effective policy as AWS computes it (``vaultplan org
  effective``).
"""

from __future__ import annotations

from vaultplan.org.options import OrgOptions, org_options_problems

__all__ = ["OrgOptions", "org_options_problems"]

"""Restore drills: the code the drill's Lambda functions run, shipped as their code asset.

:mod:`vaultplan.drill.validate` checks a restored tree against the expectations of
``[restore_testing.validation]`` (plain Python, no AWS import); :mod:`vaultplan.drill.handler`
holds the two thin Lambda entry points. This folder is the functions' code asset as it is
(:func:`vaultplan.cdk.drill.add_drill`), so it imports only the standard library, and boto3
inside a function only.
"""

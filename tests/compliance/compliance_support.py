"""Helpers shared by the compliance tests (a module of its own: conftest names collide)."""

from __future__ import annotations

import re

# A table header, written or commented out: [file_system], [[rules]], # [[rules.copy_actions]]
HEADER = re.compile(
    r"^(?P<comment>#\s*)?(?P<open>\[\[?)\s*(?P<name>[A-Za-z0-9_.]+)\s*\]\]?\s*(#.*)?$"
)
# A key, written or commented out: create = true, # ids = ["fs-..."]
KEY = re.compile(r"^(?P<comment>#\s*)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*\S")


def init_keys(text: str, *, commented: bool = True) -> list[str]:
    """Every key of ``vaultplan init``'s file, commented out or not, as ``table.key``.

    Arrays of tables are written ``rules[].name``. A commented-out table header opens a table
    for the commented-out keys after it, until the next written header (a written key after
    it still belongs to the last written table, as TOML reads it). With ``commented=False``,
    only the keys TOML reads (commented-out keys and tables are skipped).
    """
    arrays: set[str] = set()
    table: str = ""
    commented_table: str | None = None
    keys: list[str] = []

    def dotted(table_name: str, key: str) -> str:
        parts = table_name.split(".") if table_name else []
        out = []
        for i, part in enumerate(parts):
            out.append(part + ("[]" if ".".join(parts[: i + 1]) in arrays else ""))
        return ".".join([*out, key])

    for raw in text.splitlines():
        line = raw.strip()
        if not commented and line.startswith("#"):
            continue
        if header := HEADER.match(line):
            if header["open"] == "[[":
                arrays.add(header["name"])
            if header["comment"]:
                commented_table = header["name"]
            else:
                table, commented_table = header["name"], None
        elif key := KEY.match(line):
            owner = commented_table if key["comment"] and commented_table is not None else table
            keys.append(dotted(owner, key["key"]))
    return keys

"""Write ``docs/configuration.md``, the configuration reference, from ``vaultplan init``'s file.

Every key the file holds, written or commented out, becomes a row of its table's section:
the key (``table.key``; arrays of tables ``table[].key``), its default (the value the file
writes, or "absent" with the example a commented-out key shows), and what it means (the
comment above it, shared by the keys of one comment). A table's own comment opens its
section. Since the page is made from the file, it can't list a key the file lacks, or miss
one; the whole file follows, as ``vaultplan init`` writes it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from _docs import generate, head, prose

# A table header, written or commented out: [file_system], [[rules]], # [[rules.copy_actions]]
HEADER = re.compile(r"^(?P<comment>#\s*)?(?P<open>\[\[?)\s*(?P<name>[A-Za-z0-9_.]+)\s*\]\]?\s*$")
# A key, written or commented out, and the comment after its value.
KEY = re.compile(
    r"^(?P<comment>#\s*)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>\S.*?)"
    r"(?:\s+#\s*(?P<note>.*))?$"
)


@dataclass
class Row:
    key: str
    value: str
    written: bool
    meaning: str


@dataclass
class Section:
    title: str
    intro: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def _dotted(name: str, arrays: set[str]) -> str:
    parts = name.split(".")
    return ".".join(
        part + ("[]" if ".".join(parts[: i + 1]) in arrays else "") for i, part in enumerate(parts)
    )


def sections(text: str) -> list[Section]:
    """The file's tables, in order, each with its keys (a key seen before is not repeated:
    the second ``[[rules]]`` shows the same keys as the first)."""
    out = [Section("Top level")]
    current = out[0]
    arrays: set[str] = set()
    table = ""
    comments: list[str] = []  # the comment lines since the last key, header or blank line
    # Paragraphs ended by a blank line: the next table's text when a header comes first.
    loose: list[str] = []
    shared: str | None = None  # the meaning of the keys right above, for one without its own
    seen: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        header, key = HEADER.match(line), KEY.match(line)
        if not line:
            if comments:
                loose.append(" ".join(comments))
            comments, shared = [], None
        elif header:
            if header["open"] == "[[":
                arrays.add(header["name"])
            table = header["name"]
            brackets = "[[{}]]" if header["open"] == "[[" else "[{}]"
            intro = [p for p in ([*loose, " ".join(comments)] if comments else loose) if p]
            title = f"`{brackets.format(table)}`"
            again = [s for s in out if s.title == title]  # the second [[rules]]: one section
            if again:
                current = again[0]
                current.intro += intro
            else:
                current = Section(title, intro=intro)
                out.append(current)
            comments, loose, shared = [], [], None
        elif key:
            name = ".".join(filter(None, [_dotted(table, arrays) if table else "", key["key"]]))
            current.intro += loose
            loose = []
            meaning = " ".join(comments).removesuffix(":") if comments else shared or ""
            shared, comments = meaning, []
            if key["note"]:
                meaning = f"{meaning} ({key['note']})" if meaning else key["note"]
            if name not in seen:
                seen.add(name)
                current.rows.append(Row(name, key["value"], key["comment"] is None, meaning))
        else:
            comments.append(line.lstrip("#").strip())
    current.intro += loose
    return [s for s in out if s.rows or s.intro]


def _default(row: Row) -> str:
    value = row.value.replace("|", "\\|")
    return f"`{value}`" if row.written else f"absent (e.g. `{value}`)"


def render() -> str:
    from vaultplan.config.template import default_config_text

    text = default_config_text()
    lines = head(
        "Configuration reference",
        "docs_config.py",
        "the file `vaultplan init` writes",
        """
Every key of `vaultplan.toml`, by table, as `vaultplan init` writes it: the default is
the value the file holds, or *absent* for a key the file shows commented out (its
example value follows). Nested tables are written `table.key`, arrays of tables
`table[].key`. Every key is optional, and an unknown key is an error.""",
    )
    for section in sections(text):
        lines += [f"## {section.title}", ""]
        for paragraph in section.intro:
            lines += [prose(paragraph), ""]
        if section.rows:
            lines += ["| key | default | meaning |", "|-----|---------|---------|"]
            for row in section.rows:
                meaning = prose(row.meaning) if row.meaning else "See above."
                lines.append(f"| `{row.key}` | {_default(row)} | {meaning} |")
            lines.append("")
    lines += ["## The whole file", "", "```toml", text.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    return generate(argv, lambda: {"configuration.md": render()})


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

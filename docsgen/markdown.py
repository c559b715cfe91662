"""Markdown pieces shared by the generated pages: a table cell, a first sentence, and a generated block in a hand-written page."""

from __future__ import annotations


def cell(text: object) -> str:
    """Text safe inside one cell of a Markdown table."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def replace_block(text: str, name: str, block: str, page: str) -> str:
    """`text` with what lies between `<!-- begin: NAME -->` and `<!-- end: NAME -->` replaced by `block`."""
    begin, end = f"<!-- begin: {name} -->", f"<!-- end: {name} -->"
    if begin not in text or end not in text:
        raise SystemExit(f"{page} has no {begin} ... {end} block")
    head, rest = text.split(begin, 1)
    return head + begin + "\n" + block + "\n" + end + rest.split(end, 1)[1]

"""The generated blocks of README.md: the tables with what one row is and their row counts, the coverage summary, and
the questions of the worked examples (docs/examples.md)."""

from __future__ import annotations

import re
from pathlib import Path

from validate import coverage, examples
from validate.model import Package

from .markdown import cell, first_sentence, replace_block


def row_count(path: Path) -> int:
    import polars as pl

    return pl.read_csv(path, infer_schema=False).height


def tables_block(package: Package) -> str:
    out = ["| table | one row is | rows |", "|---|---|---:|"]
    out += [f"| `{t.name}` | {cell(first_sentence(t.description))} | {row_count(t.path)} |" for t in package.tables.values()]
    return "\n".join(out)


def examples_block() -> str:
    """Each question of docs/examples.md, linked to its answer (GitHub's heading anchors)."""
    def anchor(question: str) -> str:
        return re.sub(r"[^\w\- ]", "", question.lower()).replace(" ", "-")

    return "\n".join(f"- [{e.question}](docs/examples.md#{anchor(e.question)})" for e in examples.read())


def readme(package: Package, text: str) -> str:
    """The README's text with its generated blocks brought up to date."""
    blocks = {"tables": tables_block(package), "coverage": coverage.summary(package, coverage.frames_of(package)),
              "examples": examples_block()}
    for name, block in blocks.items():
        text = replace_block(text, name, block, "README.md")
    return text

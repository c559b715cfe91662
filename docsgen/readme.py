"""The generated blocks of README.md: the tables with what one row is and their row counts, and the coverage summary."""

from __future__ import annotations

from pathlib import Path

from validate import coverage
from validate.model import Package

from .markdown import cell, first_sentence, replace_block


def row_count(path: Path) -> int:
    import polars as pl

    return pl.read_csv(path, infer_schema=False).height


def tables_block(package: Package) -> str:
    out = ["| table | one row is | rows |", "|---|---|---:|"]
    out += [f"| `{t.name}` | {cell(first_sentence(t.description))} | {row_count(t.path)} |" for t in package.tables.values()]
    return "\n".join(out)


def readme(package: Package, text: str) -> str:
    """The README's text with its generated blocks brought up to date."""
    blocks = {"tables": tables_block(package), "coverage": coverage.summary(package, coverage.frames_of(package))}
    for name, block in blocks.items():
        text = replace_block(text, name, block, "README.md")
    return text

"""The generated blocks of README.md: the version and how to cite it, the tables with what one row is and their row
counts, the coverage summary, and the questions of the worked examples (docs/examples.md)."""

from __future__ import annotations

import re
from pathlib import Path

from validate import citation, coverage, examples
from validate.model import Package
from validate.text import first_sentence

from . import performance
from .markdown import cell, replace_block


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


def consulted_up_to(package: Package) -> str:
    """The latest day a source was consulted (sources.url_checked_date)."""
    import polars as pl

    sources = pl.read_csv(package.tables["sources"].path, infer_schema=False)
    return str(sources.get_column("url_checked_date").max()) if "url_checked_date" in sources.columns else ""


def status_block(package: Package) -> str:
    """The version line and the one-line Get it / Cite it under the README's two commands."""
    cite = citation.of(package.root)
    return (f"**Version {cite.version}** ([CHANGELOG](CHANGELOG.md)), released {cite.date} · sources consulted up to "
            f"**{consulted_up_to(package)}** (public pages read in stored\ncopies; each excerpt gives its address) ·\n"
            "data CC-BY-4.0, code MIT · [data dictionary](docs/data-dictionary.md)\n\n"
            "**Get it**: the files attached to each GitHub release (the CSV package as a zip, Parquet, SQLite, a spreadsheet;\n"
            f"[details](#get-it)), or the `tables/` folder of this repository. **Cite it**: {cite.authors} ({cite.date[:4]}),\n"
            f"*central-asia-space*, version {cite.version} [data package], {cite.licence} ([details](#cite-it)).")


def readme(package: Package, text: str) -> str:
    """The README's text with its generated blocks brought up to date."""
    blocks = {"status": status_block(package), "cite": "> " + citation.of(package.root).text(),
              "tables": tables_block(package), "coverage": coverage.summary(package, coverage.frames_of(package)),
              "examples": examples_block(), "speed": performance.speed_block(performance.read(package.root))}
    for name, block in blocks.items():
        text = replace_block(text, name, block, "README.md")
    return text

"""One validation run: the model, then each table on its own, then the rules across tables, collecting every failure.

The package is only read: nothing is written, no URL is fetched, no cell is evaluated.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from . import cells, changelog, claims, csvfile, integrity, layout, names, provenance, schema_checks, timeline, types
from .findings import Finding
from .model import Package, Table, load
from .rules import catalogue


@dataclass
class Checked:
    frame: pl.DataFrame | None  # the typed table, None when its columns could not be matched to fields
    lines: list[int] | None  # each row's physical line where it differs from row + 2
    found: list[Finding]


def check_table(table: Table) -> Checked:
    """Everything that needs only this table: bytes and structure, cells, types, and its pandera schema."""
    read = csvfile.read(table)
    found = read.found
    if read.strings is None:
        return Checked(None, read.lines, found)
    found += cells.check(table.name, read.strings, {f.name for f in table.fields if f.is_text}, read.ascii,
                         frozenset(f.name for f in table.fields if f.verbatim))
    typed, type_found, unparsed = types.cast([f.raw for f in table.fields], table.name, read.strings)
    found += type_found + schema_checks.check(table, typed, unparsed)
    return Checked(typed, read.lines, found)


def physical_lines(findings: list[Finding], line_maps: dict[str, list[int]]) -> list[Finding]:
    """Give row findings the physical line of their row in tables where a quoted line break or a blank line shifts the lines."""
    return [replace(f, line=line_maps[f.table][f.row]) if f.row is not None and f.table in line_maps and f.row < len(line_maps[f.table])
            else f for f in findings]


def validate_package(root: Path) -> tuple[Package, list[Finding]]:
    """Validate the package at root. Raises model.Unreadable when it cannot be read at all."""
    package, found = load(root)
    frames: dict[str, pl.DataFrame] = {}
    line_maps: dict[str, list[int]] = {}
    # largest first: its reading needs the most transient memory, and little else is held yet
    ordered = sorted(package.tables.values(), key=lambda table: -table.path.stat().st_size)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for table, checked in zip(ordered, pool.map(check_table, ordered), strict=True):
            found += checked.found
            if checked.frame is not None:
                frames[table.name] = checked.frame
            if checked.lines is not None:
                line_maps[table.name] = checked.lines
    found += changelog.check(package, frames)
    found += integrity.check(package, frames)
    found += timeline.check(package, frames)
    found += layout.check(package, frames)
    found += names.check(package, frames)
    provenance_found, quotes = provenance.check(package, frames)
    found += provenance_found + claims.check(package, frames, quotes)
    return package, physical_lines(known(found), line_maps)


def known(found: list[Finding]) -> list[Finding]:
    """Every finding names a registered rule: a misspelt rule ID is a bug of the validator (validator-error), never a silent row."""
    unknown = sorted({f.rule for f in found} - set(catalogue()))
    if unknown:
        raise ValueError(f"findings of unregistered rule IDs: {unknown}")
    return found

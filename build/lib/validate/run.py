"""One validation run: every rule family, in order, collecting every failure."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import polars as pl

from . import integrity, pandera_schemas, provenance, read, versioning
from .findings import Finding
from .package import Table, open_package


def check_table(table: Table) -> tuple[read.Loaded, list[Finding]]:
    """Everything that needs only this table: bytes, header, types, and its pandera schema."""
    loaded, found = read.load(table)
    if loaded.frame is not None:
        found += pandera_schemas.validate(table, loaded.frame, loaded.unparsed)
    return loaded, found


def physical_lines(findings: list[Finding], line_maps: dict[str, list[int]]) -> list[Finding]:
    """Give row findings the physical line of their row in tables where a quoted line break shifts the lines."""
    return [replace(f, line=line_maps[f.table][f.row]) if f.row is not None and f.table in line_maps and f.row < len(line_maps[f.table])
            else f for f in findings]


def validate_package(root: Path) -> list[Finding]:
    """Validate the package at root. Raises package.Unreadable when it cannot be read at all.

    The package is only read: nothing is written, no URL is fetched, no cell is evaluated.
    """
    package, found = open_package(root)
    found += versioning.check(root, package.descriptor)
    frames: dict[str, pl.DataFrame] = {}
    line_maps: dict[str, list[int]] = {}
    # largest first: its reading needs the most transient memory, and little else is held yet
    ordered = sorted(package.tables.values(), key=lambda table: -table.path.stat().st_size)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for table, (loaded, more) in zip(ordered, pool.map(check_table, ordered), strict=True):
            found += more
            if loaded.frame is not None:
                frames[table.name] = loaded.frame
            if loaded.lines is not None:
                line_maps[table.name] = loaded.lines
    schemas = {name: t.schema for name, t in package.tables.items()}
    declared = {str(r.get("name")) for r in package.descriptor.get("resources", []) if isinstance(r, dict)}
    found += integrity.check(frames, schemas, declared)
    found += provenance.check(root, frames, schemas)
    return physical_lines(found, line_maps)

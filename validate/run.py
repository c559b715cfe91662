"""One validation run: every rule family, in order, collecting every failure."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from . import integrity, pandera_schemas, provenance, read, versioning
from .findings import Finding
from .package import open_package


def validate_package(root: Path) -> list[Finding]:
    """Validate the package at root. Raises package.Unreadable when it cannot be read at all.

    The package is only read: nothing is written, no URL is fetched, no cell is evaluated.
    """
    package, found = open_package(root)
    found += versioning.check(root, package.descriptor)
    frames: dict[str, pl.DataFrame] = {}
    # largest first: its reading needs the most transient memory, and little else is held yet
    for name, table in sorted(package.tables.items(), key=lambda item: -item[1].path.stat().st_size):
        loaded, more = read.load(table)
        found += more
        if loaded.frame is not None:
            found += pandera_schemas.validate(table, loaded.frame)
            frames[name] = loaded.frame
    schemas = {name: t.schema for name, t in package.tables.items() if name in frames}
    found += integrity.check(frames, schemas)
    found += provenance.check(root, frames, schemas)
    return found

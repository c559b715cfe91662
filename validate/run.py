"""One validation run: the model, then each table on its own, then the rules across tables, collecting every failure.

The package is only read: nothing is written, no URL is fetched, no cell is evaluated.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from . import cells, changelog, claims, csvfile, integrity, layout, names, provenance, schema_checks, timeline, types
from .findings import Finding
from .model import Package, Table, load
from .paths import read_regular
from .quotes import forget_names
from .rules import catalogue


@dataclass
class Checked:
    frame: pl.DataFrame | None  # the typed table, None when its columns could not be matched to fields
    lines: list[int] | None  # each row's physical line where it differs from row + 2
    found: list[Finding]


# What check_table found for a table, kept for this process and keyed by everything it depends on (the table's name,
# path and Table Schema, and the SHA-256 of its bytes), so that a process validating many packages that share most of
# their tables (the fault corpus, a diff, a release after its validation) checks each distinct table once. Exact: the
# same bytes under the same schema, checked by the same code, give the same findings and the same typed frame (a polars
# frame is never changed in place); the code is the functions of the table-level modules and of the registry, by
# identity, so that a function replaced in this process (a test's monkeypatch) is never answered from the cache. Only
# tables up to CACHED_BYTES are kept, and at most CACHED_TABLES of them, so a large package is never held.
CACHED_BYTES = 1 << 20
CACHED_TABLES = 256
_checked: OrderedDict[str, Checked] = OrderedDict()


def check_table(table: Table) -> Checked:
    """check_table_bytes on the table's bytes (read once, through the path guard), from the cache when they were seen."""
    try:
        data = read_regular(table.path)
    except OSError as exc:
        return Checked(None, None, [Finding("path-unsafe", f"{table.raw_path}: {exc}", table.name)])
    if len(data) > CACHED_BYTES:
        return check_table_bytes(table, data)
    key = hashlib.sha256(json.dumps([table.name, table.raw_path, table.schema, code_identity()], sort_keys=True, default=str).encode()
                         + b"\0" + data).hexdigest()
    if (hit := _checked.get(key)) is not None:
        return hit
    checked = check_table_bytes(table, data)
    _checked[key] = checked
    while len(_checked) > CACHED_TABLES:
        _checked.popitem(last=False)
    return checked


def code_identity() -> int:
    """The identity of the code check_table runs: every function of its modules and every registered rule."""
    functions = [id(v) for m in (csvfile, cells, types, schema_checks) for v in vars(m).values() if callable(v)]
    return hash((*functions, *(id(r.function) for r in catalogue().values())))


def check_table_bytes(table: Table, data: bytes) -> Checked:
    """Everything that needs only this table: bytes and structure, cells, types, and its pandera schema."""
    read = csvfile.read(table, data)
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
    try:
        found += changelog.check(package, frames)
        found += integrity.check(package, frames)
        found += timeline.check(package, frames)
        found += layout.check(package, frames)
        found += names.check(package, frames)
        provenance_found, quotes = provenance.check(package, frames)
        found += provenance_found + claims.check(package, frames, quotes)
    finally:
        forget_names()  # the names the cross-table rules shared (quotes.names_of), and the frames they hold
    return package, physical_lines(known(found), line_maps)


def known(found: list[Finding]) -> list[Finding]:
    """Every finding names a registered rule: a misspelt rule ID is a bug of the validator (validator-error), never a silent row."""
    unknown = sorted({f.rule for f in found} - set(catalogue()))
    if unknown:
        raise ValueError(f"findings of unregistered rule IDs: {unknown}")
    return found

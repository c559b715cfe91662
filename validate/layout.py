"""The package's files against what it declares: no symlink, no file nothing records, and each table's dialect the one read.

A release ships exactly the files the package declares (`declared`): the top-level files of `SHIPPED`, each resource's
path and Table Schema, and each archived file a row of sources records. The walk (`walk`) lists what is really there,
under the folders a release ships, without following a symlink or opening a file: one `scandir` per folder, linear in
the number of entries; it is taken once per run (`PathGuard.listing`, in paths.py), and provenance reads the archived
files it lists. Every rule here is `fn(package, ...) -> findings`, run through the error boundary.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

import polars as pl

from .boundary import PACKAGE, rule_error, run_registered
from .findings import LIMIT, Finding, shorten, with_rest
from .model import FOLDERS, SHIPPED, SOURCES, Package
from .paths import Entry
from .registry import registered, rule

Frames = dict[str, pl.DataFrame]


def normal(raw: object) -> str | None:
    """A declared path as the walk writes it ('./tables/a.csv' is 'tables/a.csv'), or None for what is not a local path."""
    if not isinstance(raw, str) or not raw or "://" in raw or "\\" in raw:
        return None
    return posixpath.normpath(raw)


def declared(package: Package, sources: pl.DataFrame | None) -> dict[str, tuple[str, int | None]]:
    """Every file the package declares: path -> (the table that declares it, the 0-based row of sources that records it).
    The resources' paths and Table Schemas (whether or not their tables could be read), then the archived files."""
    out: dict[str, tuple[str, int | None]] = {}
    for index, res in enumerate(package.descriptor.get("resources") or []):
        if isinstance(res, dict):
            for key in ("path", "schema"):
                if (path := normal(res.get(key))) is not None:
                    out.setdefault(path, (str(res.get("name", f"resource-{index}")), None))
    if sources is not None and "path" in sources.columns:
        for row, raw in enumerate(sources.get_column("path").cast(pl.String).to_list()):
            if (path := normal(raw)) is not None:
                out.setdefault(path, (SOURCES, row))
    return out


def where(path: str, known: dict[str, tuple[str, int | None]]) -> dict[str, Any]:
    """The table (and line) a finding about a file names: its declaring table and row, else the table that should
    record it (sources for sources/, the descriptor for tables/ and schemas/), else the top-level file itself."""
    table, row = known.get(path, (SOURCES if path.startswith("sources/") else PACKAGE if "/" in path or path in FOLDERS else path, None))
    return {"table": table, "line": None if row is None else row + 2, "row": row, "column": "path" if table == SOURCES and row is not None else ""}


def capped(found: list[Finding]) -> list[Finding]:
    """At most LIMIT findings per table; the rest counted on the last one listed."""
    out: list[Finding] = []
    for table in dict.fromkeys(f.table for f in found):
        mine = [f for f in found if f.table == table]
        out += with_rest(mine[:LIMIT], len(mine) - LIMIT)
    return out


@rule("symlink", "package")
def symlink(package: Package, entries: list[Entry], known: dict[str, tuple[str, int | None]]) -> list[Finding]:
    """No file or folder of the package (its top-level files, tables/, schemas/ and sources/) is a symbolic link, whether it
    points inside the package or out of it: a link would ship another file, or one file twice (one document archived
    twice under two names), so a release holds only regular files."""
    found = []
    for entry in entries:
        if entry.kind != "symlink":
            continue
        resolved = os.path.realpath(package.root / entry.path)
        real_root = os.path.realpath(package.root)
        inside = resolved == real_root or resolved.startswith(real_root + os.sep)
        to = f"to {posixpath.normpath(os.path.relpath(resolved, real_root))}, another file of the package" if inside else "out of the package"
        found.append(Finding("symlink", f"{entry.path} is a symbolic link ({shorten(entry.target)!r}, {to})", value=entry.path,
                             hint="replace the link by the file itself, or remove it", **where(entry.path, known)))
    return capped(found)


@rule("file-unrecorded", "package")
def file_unrecorded(package: Package, entries: list[Entry], known: dict[str, tuple[str, int | None]],
                    sources_read: bool) -> list[Finding]:
    """Every file under tables/, schemas/ and sources/ is declared: a resource's path or Table Schema, or the archived
    file a row of sources records. A release ships only these, so a stray excerpt, an undeclared CSV or a file left by an
    editor is reported rather than shipped unseen. (Files under sources/ are checked only when sources could be read.)"""
    found = []
    for entry in entries:
        if entry.kind == "symlink" or entry.path in known or (entry.path.startswith("sources/") and not sources_read):
            continue
        what = "" if entry.kind == "file" else f" ({entry.kind})"
        if entry.path.startswith("sources/"):
            why, hint = "no row of sources records it", "record it in sources (path and sha256) and cite it, or remove it"
        else:
            why, hint = "no resource of datapackage.json declares it", "declare it as a resource (path and schema), or remove it"
        found.append(Finding("file-unrecorded", f"{entry.path}{what}: {why}, so a release would not carry it", value=entry.path, hint=hint,
                             **where(entry.path, known)))
    return capped(found)


READ = {"format": ("csv",), "mediatype": ("text/csv",), "encoding": ("utf-8", "utf8"), "compression": ()}  # resource keys
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True, "headerRows": [1], "lineTerminator": "\n",
           "skipInitialSpace": False}  # what the validator reads, where declared
UNREAD = ("escapeChar", "commentChar", "nullSequence", "commentRows")  # dialect features the validator does not implement


@rule("dialect-mismatch", "package")
def dialect_mismatch(package: Package) -> list[Finding]:
    """Each resource describes its file as the validator (and the tables' conventions) read it: `format` csv, `mediatype`
    text/csv, `encoding` UTF-8, no `compression`, and a `dialect`, where given, of comma separators, double quotes doubled
    inside quoted cells, one header row, LF line endings, no initial spaces skipped, and no escape or comment character
    nor null sequence. A dialect that says otherwise misdescribes its file to every other reader."""
    found = []
    for index, res in enumerate(package.descriptor.get("resources") or []):
        if not isinstance(res, dict):
            continue
        name = str(res.get("name", f"resource-{index}"))
        for key, allowed in READ.items():
            if key in res and (not isinstance(res[key], str) or res[key].lower() not in allowed):
                want = f"one of {list(allowed)}" if allowed else "absent"
                found.append(Finding("dialect-mismatch", f"{key} is {shorten(repr(res[key]))}; the file is read as {want}", name,
                                     column=key, value=shorten(res[key])))
        dialect = res.get("dialect")
        if dialect is None:
            continue
        if not isinstance(dialect, dict):
            found.append(Finding("dialect-mismatch", "dialect must be an object written in the descriptor (a dialect file is not read)",
                                 name, column="dialect", value=shorten(dialect)))
            continue
        for key, value in dialect.items():
            if key in UNREAD and value not in ("", None, []):
                found.append(Finding("dialect-mismatch", f"dialect {key} is {shorten(repr(value))}; the validator reads no {key}", name,
                                     column="dialect", value=shorten(value)))
            elif key in DIALECT and value != DIALECT[key]:
                found.append(Finding("dialect-mismatch", f"dialect {key} is {shorten(repr(value))}; the file is read with "
                                     f"{DIALECT[key]!r}", name, column="dialect", value=shorten(value),
                                     hint="describe the file as it is: comma-separated UTF-8 with one header row"))
    return found


def check(package: Package, frames: Frames) -> list[Finding]:
    """Every rule registered here, through the error boundary; the walk runs once, and the rules that read it do not
    run when it failed (its failure is reported for each)."""
    try:
        entries, known = package.paths.listing(SHIPPED, FOLDERS), declared(package, frames.get(SOURCES))
    except Exception as exc:  # the boundary: the rules that read the walk are each reported, the others still run
        return [rule_error(r.id, PACKAGE, exc) for r in registered(__name__) if "entries" in r.needs] + run_registered(__name__, PACKAGE, package=package)
    return run_registered(__name__, PACKAGE, package=package, entries=entries, known=known, sources_read=frames.get(SOURCES) is not None)

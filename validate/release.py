"""Build a release into dist/: `python -m validate.release [--previous REV_OR_ZIP]`.

Refuses to build unless the package validates, its version equals the newest CHANGELOG release, CITATION.cff and
.zenodo.json, the version bump is at least what the diff against the previous release requires, and the CHANGELOG
entry lists every retired ID. Then writes, byte-reproducibly (two builds of one commit are identical):

- central-asia-space-<version>.zip: the descriptor, CHANGELOG, licences and citation, the files the package declares
  (each table and its Table Schema, each archived source its sources row records), the data dictionary, coverage
  report and figures (datareadme.DOCS), and a README of its own (datareadme.py) whose every link names a file of the
  zip; nothing else, none through a symlink (a symlink or an unrecorded file fails validation: the `symlink` and
  `file-unrecorded` rules);
- <table>.parquet: each table typed as its Table Schema says (partial dates stay strings), with the table's and
  fields' descriptions in the Parquet metadata;
- central-asia-space.db: SQLite, every table with its primary and foreign keys; metadata.json and settings.json for
  Datasette (`datasette .` in the folder; the worked examples as canned queries);
- central-asia-space.xlsx: a sheet per table, every cell the text it is in the CSV, and a README sheet;
- SHA256SUMS over all of the above, each named as the release attaches it: every file sits in dist/ itself, no
  folder, so that `sha256sum --check SHA256SUMS` passes in the folder a downloader saves them to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import polars as pl

from . import changelog, citation, datareadme, datasette, diff, layout
from .model import SOURCES, Package, Table
from .paths import read_regular
from .run import validate_package
from .types import parse

ROOT = Path(__file__).resolve().parent.parent
NAME = "central-asia-space"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class Refused(Exception):
    """The release cannot be built; the message says why."""


def citation_version(root: Path) -> str:
    for line in (root / "CITATION.cff").read_text("utf-8").splitlines():
        if line.startswith("version:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return ""


def gate(root: Path, previous: str | None) -> tuple[Package, str]:
    """Everything that must hold before a build; returns the package and its release date. The cheap checks (versions,
    bump, retired IDs) come first, so that a release refused for one of them is refused at once; validation comes last."""
    version = str(json.loads((root / "datapackage.json").read_text("utf-8")).get("version"))
    log = changelog.parse((root / "CHANGELOG.md").read_text("utf-8"))
    zenodo = json.loads((root / ".zenodo.json").read_text("utf-8")).get("version")
    stated = {"CHANGELOG.md": log.releases[0].version, "CITATION.cff": citation_version(root), ".zenodo.json": zenodo}
    wrong = {k: v for k, v in stated.items() if v != version}
    if wrong:
        raise Refused(f"datapackage.json says {version}, but {wrong}")
    if previous:
        with tempfile.TemporaryDirectory() as tmp:
            d = diff.diff(diff.materialise(previous, Path(tmp), root), root)
        made = diff.required_bump(d.old_version, version)
        if diff.BUMPS.index(made) < diff.BUMPS.index(d.bump):
            raise Refused(f"{d.old_version} -> {version} is a {made} bump, but the changes since {previous} require a {d.bump} one")
        listed = {rid for rid, _ in log.releases[0].retired}
        missing = sorted(set(d.retired) - listed)
        if missing:
            raise Refused(f"the CHANGELOG entry of {version} does not list these retired IDs under 'Retired': {missing}")
    package, findings = validate_package(root)
    if findings:
        raise Refused(f"the package does not validate ({len(findings)} findings): run python -m validate")
    return package, log.releases[0].date


def files_of(package: Package) -> list[tuple[str, Path]]:
    """The files a release carries, and only these: the top-level files of layout.SHIPPED, each resource's path and Table
    Schema, and each archived file a row of sources records; never a folder listing. Each is resolved by the run's path
    guard and must be a regular file reached through no symlink (validation has reported any; this holds should one
    appear since)."""
    sources = package.tables.get(SOURCES)
    frame = pl.read_csv(read_regular(sources.path, follow=False), infer_schema=False) if sources is not None else None
    out = []
    for name in sorted({*layout.SHIPPED, *layout.declared(package, frame), *datareadme.DOCS} - {"README.md"}):
        path, why = package.paths.own_file(name)
        if path is None:
            raise Refused(f"{name} cannot be released: {why}")
        out.append((name, path))
    return out


def write_zip(package: Package, target: Path, folder: str) -> None:
    """Sorted entries, fixed timestamps and permissions, fixed compression: the same commit gives the same bytes. Each
    file is read without following a symlink; the README is the release's own (datareadme.py)."""
    entries = [(name, read_regular(path, follow=False)) for name, path in files_of(package)]
    entries.append(("README.md", datareadme.text(package).encode("utf-8")))
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)


def typed(table: Table) -> pl.DataFrame:
    """The table typed as its Table Schema says; partial dates stay strings (their precision is their length)."""
    strings = pl.read_csv(table.path, infer_schema=False)
    return strings.select([parse(f.raw).alias(f.name) for f in table.fields])


def write_parquet(package: Package, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table in package.tables.values():
        meta = {"table": table.name, "title": table.title, "description": table.description,
                "fields": json.dumps({f.name: {"title": f.title, "description": f.description} for f in table.fields}, ensure_ascii=False)}
        typed(table).write_parquet(folder / f"{table.name}.parquet", metadata=meta, statistics=False)


SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "year": "INTEGER"}


def write_sqlite(package: Package, target: Path) -> None:
    """Every table with its primary and foreign keys; booleans stay 'true'/'false' and dates ISO text, as in the CSV."""
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    try:
        db.execute("PRAGMA foreign_keys = OFF")  # tables are loaded in package order; checked after
        for table in package.tables.values():
            columns = [f'"{f.name}" {SQL_TYPES.get(f.type, "TEXT")}' + (" NOT NULL" if f.required or f.name in table.primary_key else "")
                       for f in table.fields]
            keys = [f"PRIMARY KEY ({', '.join(table.primary_key)})"]
            keys += [f"FOREIGN KEY ({', '.join(fk.fields)}) REFERENCES \"{fk.resource}\" ({', '.join(fk.reference)})" for fk in table.foreign_keys]
            db.execute(f'CREATE TABLE "{table.name}" ({", ".join(columns + keys)})')
            frame = pl.read_csv(table.path, infer_schema=False)
            rows = [tuple(int(v) if v is not None and SQL_TYPES.get(f.type) == "INTEGER" else float(v) if v is not None and f.type == "number" else v
                          for v, f in zip(row, table.fields, strict=True)) for row in frame.iter_rows()]
            db.executemany(f'INSERT INTO "{table.name}" VALUES ({", ".join("?" * len(table.fields))})', rows)
        db.commit()
        bad = db.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise Refused(f"SQLite foreign_key_check is not empty: {bad[:5]}")
        db.execute("VACUUM")
    finally:
        db.close()


def datasette_metadata(package: Package) -> dict:
    return datasette.metadata(package)


def write_xlsx(package: Package, target: Path, date: str) -> None:
    """Every cell written as the text it is in the CSV (IDs, partial dates and booleans included), a README sheet first."""
    import xlsxwriter

    when = dt.datetime.fromisoformat(date)
    book = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": package.descriptor.get("title", NAME), "created": when})
    text = book.add_format({"num_format": "@"})
    readme = book.add_worksheet("README")
    cite = citation.of(package.root)
    licences = "; ".join(f"{lic.get('name')}: {lic.get('title', '')}" for lic in package.descriptor.get("licenses", []))
    lines = [package.descriptor.get("title", NAME), f"version {cite.version}, released {cite.date}", f"Licence: {licences}",
             f"Cite it: {cite.text().replace('*', '')}", "", package.descriptor.get("description", ""),
             "Every cell is text, exactly as in the CSV files: IDs, dates at their precision (YYYY, YYYY-MM, YYYY-MM-DD) and booleans.", ""]
    lines += [f"{t.name}: {t.description}" for t in package.tables.values()]
    for i, line in enumerate(lines):
        readme.write_string(i, 0, line)
    for table in package.tables.values():
        sheet = book.add_worksheet(table.name[:31])
        frame = pl.read_csv(table.path, infer_schema=False)
        for j, name in enumerate(frame.columns):
            sheet.write_string(0, j, name)
            sheet.set_column(j, j, 18, text)
        for i, row in enumerate(frame.iter_rows(), 1):
            for j, value in enumerate(row):
                if value is not None:
                    sheet.write_string(i, j, value)
    book.close()


def checksums(folder: Path) -> str:
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder)}" for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != "SHA256SUMS"]
    return "\n".join(lines) + "\n"


def build(root: Path, out: Path, previous: str | None = None) -> list[Path]:
    package, date = gate(root, previous)
    version = package.descriptor["version"]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.rglob("*"):
        if old.is_file():
            old.unlink()
    write_zip(package, out / f"{NAME}-{version}.zip", f"{NAME}-{version}")
    write_parquet(package, out)
    write_sqlite(package, out / f"{NAME}.db")
    (out / "metadata.json").write_text(json.dumps(datasette_metadata(package), indent=2, ensure_ascii=False) + "\n", "utf-8")
    (out / "settings.json").write_text(json.dumps(datasette.SETTINGS, indent=2) + "\n", "utf-8")
    write_xlsx(package, out / f"{NAME}.xlsx", date)
    (out / "SHA256SUMS").write_text(checksums(out), "utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validate.release", description=__doc__.split("\n\n")[0],
                                     epilog="exit codes: 0 built, 1 refused (the reason is printed)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where to write (default: dist/)")
    parser.add_argument("--previous", help="the previous release (git tag, folder or zip) to diff against")
    args = parser.parse_args(argv)
    try:
        built = build(ROOT, args.out, args.previous)
    except Refused as exc:
        print(f"REFUSED: {exc}")
        return 1
    for path in built:
        print(f"{path.stat().st_size:>10,}  {path.relative_to(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

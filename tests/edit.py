"""Small editors that damage a copy of a package in one precise way."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path


def read_rows(pkg: Path, table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((pkg / "tables" / f"{table}.csv").read_text("utf-8"), newline="")))


def write_rows(pkg: Path, table: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (pkg / "tables" / f"{table}.csv").write_text(buf.getvalue(), "utf-8")


def line_of(pkg: Path, table: str, key: str) -> int:
    """CSV line (header = 1) of the row whose first cell is key."""
    rows = read_rows(pkg, table)
    return next(i for i, r in enumerate(rows) if i and r[0] == key) + 1


def set_cell(pkg: Path, table: str, key: str, column: str, value: str) -> int:
    """Set one cell of the row whose first cell is key; returns its CSV line."""
    rows = read_rows(pkg, table)
    col = rows[0].index(column)
    line = line_of(pkg, table, key)
    rows[line - 1][col] = value
    write_rows(pkg, table, rows)
    return line


def get_cell(pkg: Path, table: str, key: str, column: str) -> str:
    rows = read_rows(pkg, table)
    return rows[line_of(pkg, table, key) - 1][rows[0].index(column)]


def drop_rows(pkg: Path, table: str, keep: Callable[[dict[str, str]], bool]) -> None:
    rows = read_rows(pkg, table)
    write_rows(pkg, table, [rows[0]] + [r for r in rows[1:] if keep(dict(zip(rows[0], r, strict=True)))])


def append_row(pkg: Path, table: str, values: dict[str, str]) -> int:
    rows = read_rows(pkg, table)
    rows.append([values.get(c, "") for c in rows[0]])
    write_rows(pkg, table, rows)
    return len(rows)


def raw(pkg: Path, table: str) -> bytes:
    return (pkg / "tables" / f"{table}.csv").read_bytes()


def set_raw(pkg: Path, table: str, data: bytes) -> None:
    (pkg / "tables" / f"{table}.csv").write_bytes(data)


def edit_json(path: Path, change: Callable[[dict], object]) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


def resource(pkg: Path, name: str, key: str, value: object) -> None:
    def change(d: dict) -> None:
        next(r for r in d["resources"] if r["name"] == name)[key] = value
    edit_json(pkg / "datapackage.json", change)


def schema(pkg: Path, table: str, change: Callable[[dict], object]) -> None:
    edit_json(pkg / "schemas" / f"{table}.schema.json", change)


def field(spec: dict, name: str) -> dict:
    return next(f for f in spec["fields"] if f["name"] == name)

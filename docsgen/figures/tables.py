"""The tables as the figures read them: rows of strings, whatever the package's types, and partial dates as intervals.

The tables are read as strings (`infer_schema=False`) so that any valid package draws.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl

from validate.model import CENTRAL_ASIA

NO_COUNTRY = ""  # the lane of a row with no country
Row = dict[str, str]
Tables = dict[str, list[Row]]


def _resource_paths(root: Path) -> dict[str, str]:
    """Resource name -> path from datapackage.json, so a package that moves a table still draws."""
    try:
        package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    paths: dict[str, str] = {}
    for resource in package.get("resources", []) if isinstance(package, dict) else []:
        if isinstance(resource, dict) and isinstance(resource.get("name"), str) and isinstance(resource.get("path"), str):
            paths[resource["name"]] = resource["path"]
    return paths


def read_tables(
    root: Path, names: Iterable[str] = ("countries", "agencies", "events", "agreements", "agreement_parties", "agreement_actions", "memberships", "satellites")
) -> Tables:
    """The tables as lists of rows of strings; an empty cell is "" and a missing table is an empty list."""
    paths = _resource_paths(root)
    tables: Tables = {}
    for name in names:
        path = root / paths.get(name, f"tables/{name}.csv")
        if not path.is_file():
            tables[name] = []
            continue
        frame = pl.read_csv(path, infer_schema=False)
        tables[name] = [{key: (value or "").strip() for key, value in row.items()} for row in frame.iter_rows(named=True)]
    return tables


def by_id(rows: list[Row], key: str) -> dict[str, Row]:
    return {row[key]: row for row in rows if row.get(key)}


def country_names(tables: Tables) -> dict[str, str]:
    return {row["country_id"]: row.get("name", "") or row["country_id"] for row in tables["countries"] if row.get("country_id")}


def lanes_of(present: set[str]) -> list[str]:
    """A figure's lanes, top to bottom: the five Central Asian states, the other countries present, then no country."""
    return [*CENTRAL_ASIA, *sorted(present - set(CENTRAL_ASIA) - {NO_COUNTRY}), *([NO_COUNTRY] if NO_COUNTRY in present else [])]


DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Span:
    """A partial ISO date as the interval it names: 2025 is all of 2025, 2025-09 all of September."""

    start: datetime
    end: datetime  # exclusive
    precision: str  # "year", "month" or "day"

    @property
    def middle(self) -> datetime:
        return self.start + (self.end - self.start) / 2


def parse_span(value: str) -> Span | None:
    """The interval a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` string names; None for anything else."""
    match = DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return Span(datetime(year, 1, 1), datetime(year + 1, 1, 1), "year")
        if day is None:
            days = calendar.monthrange(year, month)[1]
            start = datetime(year, month, 1)
            return Span(start, start + timedelta(days=days), "month")
        start = datetime(year, month, day)
        return Span(start, start + timedelta(days=1), "day")
    except ValueError:
        return None

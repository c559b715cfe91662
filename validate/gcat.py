"""Reconciliation with GCAT: each satellite GCAT lists for the five states, field by field, against the package.

GCAT (McDowell, General Catalog of Artificial Space Objects) publishes tab-separated release files whose first line is
the header (`#JCAT ...`) and whose second prints the release date (`# Updated 2026 Jan  4 ...`). `compare` reads a
satcat.tsv (and, where given, a psatcat.tsv for the UN registration and the operational dates) and reports, for each
payload of the five states or each JCAT the package holds, every catalogue field as agreeing, disagreeing (both
values) or missing in the package. A maintainer runs it against the next release to see what changed:
`python -m validate.coverage --gcat satcat.tsv --gcat-payloads psatcat.tsv`.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from .text import MONTH_ABBREVIATIONS

# GCAT's state codes of the five states; TürkmenÄlem 52°E is under Monaco's (MC) and is found by its JCAT.
STATES = {"KZ", "UZ", "KG", "TJ", "TM"}
# GCAT's operational orbit codes, as the package's orbit classes
ORBITS = {"GEO/S": "GEO", "GEO/D": "GEO", "GEO/I": "GEO", "LEO/S": "SSO", "LLEO/S": "SSO", "LEO/I": "LEO", "LLEO/I": "LEO", "LEO/P": "LEO",
          "LLEO/P": "LEO", "MEO": "MEO", "HEO": "HEO"}
DATE = re.compile(r"^(\d{4})(?: +(\w{3})(?: +(\d{1,2}))?)?")


def iso(gcat_date: str) -> str | None:
    """'2006 Jun 17 0532?' -> '2006-06-17'; '2008 Oct' -> '2008-10'; '-' or '*' -> None (GCAT's 'none')."""
    m = DATE.match(gcat_date.strip())
    if not m:
        return None
    year, month, day = m.groups()
    number = ({**MONTH_ABBREVIATIONS, "may": 5}.get(month.lower()) if month else None)  # GCAT abbreviates every month but May
    if month and number is None:
        return year
    return year + (f"-{number:02d}" if month else "") + (f"-{int(day):02d}" if day and month else "")


def number(text: str) -> str | None:
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return str(int(value)) if value == int(value) else str(value)


def read_release(path: Path) -> tuple[str, pl.DataFrame]:
    """A GCAT release file (or an archived excerpt of one, whose Address/Consulted lines come first): its update line and its rows."""
    lines = path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("#JCAT") or line.startswith("#Code"))
    header = lines[start].lstrip("#").split("\t")
    updated = next((line.strip("# \t") for line in lines[start + 1:start + 3] if line.startswith("# Updated")), "")
    rows = [line.split("\t") for line in lines[start + 1:] if line and not line.startswith("#")]
    rows = [r + [""] * (len(header) - len(r)) for r in rows]
    frame = pl.DataFrame([r[: len(header)] for r in rows], schema={h: pl.String for h in header}, orient="row").with_columns(pl.all().str.strip_chars())
    return updated, frame


def catalogue_values(satcat: pl.DataFrame, psatcat: pl.DataFrame | None) -> dict[str, dict[str, str | None]]:
    """JCAT -> the package's columns as GCAT gives them."""
    out: dict[str, dict[str, str | None]] = {}
    for row in satcat.iter_rows(named=True):
        out[row["JCAT"]] = {"name": row["Name"], "cospar_id": row["Piece"], "norad_id": number(row["Satcat"]), "launch_date": iso(row["LDate"]),
                            "orbit_class": ORBITS.get(row["OpOrbit"]), "launch_mass_kg": number(row["Mass"]), "reentry_date": iso(row["DDate"]),
                            "owner": row["Owner"], "state": row["State"]}
    if psatcat is not None:
        for row in psatcat.iter_rows(named=True):
            values = out.setdefault(row["JCAT"], {"name": row["Name"], "cospar_id": row["Piece"], "launch_date": iso(row["LDate"])})
            values["un_registration_document"] = row["UNReg"] if row["UNReg"] not in ("", "-") else None
            values["end_date"] = iso(row["TOp"]) if row["TOp"] not in ("", "*", "-") else None
            values["state"] = values.get("state") or row["UNState"].strip("[]")
    return out


FIELDS = ["cospar_id", "norad_id", "launch_date", "orbit_class", "launch_mass_kg", "reentry_date", "end_date", "un_registration_document"]


def compare(satellites: pl.DataFrame, satcat: pl.DataFrame, psatcat: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per (JCAT, field): the package's value, GCAT's, and whether they agree, disagree or the package lacks it.

    A satellite is compared where GCAT places it in one of the five states or where the package records its JCAT;
    one GCAT lists that the package lacks is reported as `not in package`.
    """
    gcat = catalogue_values(satcat, psatcat)
    by_jcat = {r["gcat_jcat"]: r for r in satellites.iter_rows(named=True) if r.get("gcat_jcat")}
    rows = []
    for jcat, values in gcat.items():
        if values.get("state") not in STATES and jcat not in by_jcat:
            continue
        mine = by_jcat.get(jcat)
        if mine is None:
            rows.append((jcat, values["name"], None, "satellite", None, values["name"], "not in package"))
            continue
        for field in FIELDS:
            if field not in values:
                continue
            theirs, ours = values[field], mine.get(field)
            ours = number(ours) if field in ("norad_id", "launch_mass_kg") and ours else ours
            if theirs is None and ours is None:
                continue
            verdict = ("missing in GCAT" if theirs is None else "missing in package" if ours is None
                       else "agrees" if ours == theirs or _same_at_precision(ours, theirs) else "disagrees")
            rows.append((jcat, values["name"], mine["satellite_id"], field, ours, theirs, verdict))
    schema = {"gcat_jcat": pl.String, "gcat_name": pl.String, "satellite_id": pl.String, "field": pl.String, "package": pl.String,
              "gcat": pl.String, "verdict": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row").sort("gcat_jcat", "field")


def _same_at_precision(a: str, b: str) -> bool:
    """Two dates that agree as far as the less precise goes ('2017-02' and '2017-02-15')."""
    return bool(re.match(r"^\d{4}", a) and re.match(r"^\d{4}", b)) and (a.startswith(b) or b.startswith(a))


def section(satellites: pl.DataFrame, satcat_path: Path, psatcat_path: Path | None = None) -> list[str]:
    """The coverage report's GCAT section, as Markdown lines."""
    updated, satcat = read_release(satcat_path)
    payload_updated, psatcat = read_release(psatcat_path) if psatcat_path else ("", None)
    table = compare(satellites, satcat, psatcat)
    counts = table.group_by("verdict").len().sort("verdict")
    out = [f"Checked against GCAT's satcat.tsv ({updated or 'no update line'})"
           + (f" and psatcat.tsv ({payload_updated})" if psatcat_path else "") + ": "
           + ", ".join(f"{n} {v}" for v, n in counts.iter_rows()) + ".", "",
           "| JCAT | GCAT name | satellite | field | package | GCAT | verdict |", "|---|---|---|---|---|---|---|"]
    out += [f"| {j} | {n} | {f'`{s}`' if s else ''} | {f} | {p or ''} | {g or ''} | {v} |" for j, n, s, f, p, g, v in table.iter_rows()]
    return out

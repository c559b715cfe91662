"""Reading a table: raw-byte hygiene, header against the Table Schema, then types from the schema.

Every cell is read as a string first (a typed polars read aborts on one bad cell with a byte
offset, and matches columns by position), then cast with strict=False so that each cell that
fails to parse is reported at its CSV line.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from . import hygiene
from .findings import Finding
from .package import Table

POLARS_TYPES = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean}
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]


@dataclass
class Loaded:
    frame: pl.DataFrame | None  # typed frame, None when the table cannot be checked further
    unparsed: dict[str, set[int]] = dataclasses.field(default_factory=dict)  # column -> rows whose cell did not parse (now null)
    lines: list[int] | None = None  # each row's physical line, where a quoted line break makes it differ from row + 2


def text_fields(table: Table) -> list[str]:
    return [f["name"] for f in table.fields if f.get("type", "string") == "string"]


def read_header(path: Path) -> list[str]:
    with path.open("rb") as handle:
        first = handle.readline(1 << 20).decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
    try:
        return next(csv.reader([first]), [])
    except csv.Error:  # a stray carriage return or NUL: split plainly, header-mismatch will say what is wrong
        return first.split(",")


def check_header(table: Table, header: list[str]) -> list[Finding]:
    expected = table.field_names
    if header == expected:
        return []
    missing = [n for n in expected if n not in header]
    extra = [n for n in header if n not in expected]
    repeated = sorted({n for n in header if header.count(n) > 1})
    if repeated:
        why = f"repeated column names {repeated}"
    elif missing or extra:
        why = "; ".join(filter(None, [f"missing {missing}" if missing else "", f"not in the schema {extra}" if extra else ""]))
    else:
        why = "same names in another order"
    return [Finding("header-mismatch", f"header does not match the Table Schema: {why}; expected {expected}", table.name, 1,
                    value=",".join(header))]


def cast(table: Table, strings: pl.DataFrame) -> tuple[pl.DataFrame, list[Finding], dict[str, set[int]]]:
    found: list[Finding] = []
    unparsed: dict[str, set[int]] = {}
    exprs = []
    indexed = strings.with_row_index("__row")
    for field in table.fields:
        name, kind = field["name"], field.get("type", "string")
        col = pl.col(name)
        if kind == "boolean":
            trues, falses = field.get("trueValues", TRUE_VALUES), field.get("falseValues", FALSE_VALUES)
            typed = pl.when(col.is_in(trues)).then(True).when(col.is_in(falses)).then(False).otherwise(None)
        elif kind in POLARS_TYPES:
            typed = col.cast(POLARS_TYPES[kind], strict=False)
        else:
            typed = col
        failing = indexed.filter(col.is_not_null() & typed.is_null()).select("__row", name)
        if failing.height:
            unparsed[name] = set(failing.get_column("__row").to_list())
        found += hygiene.cell_findings(table.name, "type", name, failing, f"{{value!r}} is not a valid {kind}")
        exprs.append(typed.alias(name))
    return strings.select(exprs), found, unparsed


def quoting_errors(text: str) -> list[tuple[int, str]]:
    """(line, reason) for each place that breaks CSV quoting: a quote inside an unquoted cell, or a closing
    quote followed by something other than a separator. A plain walk over the characters, run only on
    files polars has already rejected."""
    errors: list[tuple[int, str]] = []
    line, i, n = 1, 0, len(text)
    quoted, start = False, True
    while i < n:
        c = text[i]
        if quoted:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                elif i + 1 < n and text[i + 1] not in ",\n\r":
                    errors.append((line, "text after the closing quote of a quoted cell"))
                    quoted = False
                else:
                    quoted = False
            elif c == "\n":
                line += 1
        elif c == '"':
            if start:
                quoted = True
            else:
                errors.append((line, "a double quote inside a cell that is not quoted"))
        elif c == "\n":
            line += 1
        start = not quoted and c in ",\n"
        i += 1
    if quoted:
        errors.append((line, "a quoted cell is never closed"))
    return errors


def read_with_csv_module(table: Table) -> tuple[pl.DataFrame, list[Finding]]:
    """The lenient reader, for files polars rejects: every record as strings, cut or padded to the header's width.

    Also says where the file breaks CSV's quoting rules, which is what polars objected to.
    """
    text = table.path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[0] if records else []
    width = len(header)
    body = [(r + [""] * width)[:width] for r in records[1:]]
    frame = pl.DataFrame({name: [row[i] or None for row in body] for i, name in enumerate(header)},
                         schema={name: pl.String for name in header}) if len(set(header)) == width else pl.DataFrame()
    errors = pl.DataFrame(quoting_errors(text), schema={"n": pl.UInt32, "why": pl.String}, orient="row")
    found = hygiene.cell_findings(table.name, "csv-syntax", "", errors, "{value}", line_is_row=False)
    return frame, found or [Finding("csv-syntax", "the file breaks CSV quoting rules (polars cannot parse it)", table.name)]


def read_strings(table: Table) -> tuple[pl.DataFrame | None, list[Finding]]:
    """Every cell as a string (empty = null). Strict UTF-8 first; only on failure is the bad byte located."""
    # null_values: a quoted empty cell ("") is empty too, as in frictionless (missingValues [""])
    options = {"infer_schema": False, "truncate_ragged_lines": True, "raise_if_empty": False, "quote_char": '"', "null_values": [""]}
    found: list[Finding] = []
    try:
        return pl.read_csv(table.path, encoding="utf8", **options), []
    except pl.exceptions.PolarsError:
        bad = hygiene.utf8_error(table.name, table.path)
        if bad is not None:
            found.append(bad)
    try:
        return pl.read_csv(table.path, encoding="utf8-lossy", **options), found
    except pl.exceptions.PolarsError:
        frame, more = read_with_csv_module(table)
        return frame, found + more


def drop_blank_rows(table: Table, strings: pl.DataFrame, lines: list[int] | None) -> tuple[pl.DataFrame, list[int] | None]:
    """Remove the all-empty rows that stand for blank physical lines, keeping every other row's line number."""
    row_lines = lines or list(range(2, strings.height + 2))
    blank_lines = set(hygiene.line_commas(table.path).with_row_index("n", offset=1).filter(pl.col("blank")).get_column("n").to_list())
    empty = strings.select(pl.all_horizontal(pl.all().is_null())).to_series().to_list()
    keep = [not (e and row_lines[i] in blank_lines) for i, e in enumerate(empty)]
    if all(keep):
        return strings, lines
    return strings.filter(pl.Series(keep)), [line for line, k in zip(row_lines, keep, strict=True) if k]


def load(table: Table) -> tuple[Loaded, list[Finding]]:
    facts = hygiene.scan_bytes(table.path)
    found = hygiene.check_bytes(table.name, facts)
    header = read_header(table.path)
    header_findings = check_header(table, header)
    found += header_findings
    strings, more = read_strings(table)
    found += more
    widths, lines = hygiene.check_row_widths(table.name, table.path, strings, len(header))
    found += widths
    if strings is None:
        return Loaded(None), found
    if strings.height == 0:
        found.append(Finding("table-empty", "the table has a header but no rows", table.name, 2))
    if header_findings:
        return Loaded(None), found  # columns cannot be matched to fields; header-mismatch says why
    if facts.first_blank is not None:  # blank lines are reported as such; their empty rows are not checked as records
        strings, lines = drop_blank_rows(table, strings, lines)
    found += hygiene.check_cells(table.name, strings, text_fields(table), ascii_only=facts.ascii)
    typed, type_findings, unparsed = cast(table, strings)
    return Loaded(typed, unparsed, lines), found + type_findings

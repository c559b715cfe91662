"""The CSV file as a file: its bytes, its header, its records and their physical lines.

Nothing here trusts a CSV reader's view of the file (frictionless, polars and DuckDB all strip a BOM
silently and accept ragged rows). Each file is opened once, through the path guard, and its bytes are
read once; every reader works from those bytes: the byte facts (a few C-speed scans), the header, the
cells as strings (empty = null, strictly as UTF-8 first) and the commas of each physical line. Only a
file polars rejects is parsed again, leniently, to say where it breaks CSV's quoting rules. Every step
is linear in the size of the file, and the bytes are let go once the strings are read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import polars as pl

from .boundary import attempt, findings
from .findings import Finding, listed, shorten
from .model import Table
from .paths import read_regular
from .registry import rule


@dataclass
class ByteFacts:
    """What a few scans of the raw bytes learn about a file. Offsets, not line numbers: a line number is
    counted only when there is something to report."""

    data: bytes
    bom: bool = False
    ascii: bool = True
    cr_count: int = 0
    first_cr: int | None = None
    first_blank: int | None = None  # offset of the first byte of the first blank line
    ends_with_newline: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    def line_at(self, offset: int) -> int:
        """1-based line number of a byte offset."""
        return self.data.count(b"\n", 0, offset) + 1


def scan_bytes(data: bytes) -> ByteFacts:
    first_cr = data.find(b"\r")
    if data.startswith(b"\n"):
        first_blank: int | None = 0
    else:
        pair = data.find(b"\n\n")
        first_blank = pair + 1 if pair >= 0 else None
    return ByteFacts(data, bom=data.startswith(b"\xef\xbb\xbf"), ascii=data.isascii(),
                     cr_count=data.count(b"\r", first_cr) if first_cr >= 0 else 0, first_cr=first_cr if first_cr >= 0 else None,
                     first_blank=first_blank, ends_with_newline=data.endswith(b"\n"))


@rule("encoding-bom", "file")
def encoding_bom(table: str, facts: ByteFacts) -> list[Finding]:
    """No UTF-8 byte-order mark."""
    if not facts.bom:
        return []
    return [Finding("encoding-bom", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", table, 1)]


@rule("line-ending", "file")
def line_ending(table: str, facts: ByteFacts) -> list[Finding]:
    """LF line endings only (no CR)."""
    if facts.first_cr is None:
        return []
    return [Finding("line-ending", f"carriage return found ({facts.cr_count} in the file); use LF line endings", table,
                    facts.line_at(facts.first_cr))]


@rule("blank-line", "file")
def blank_line(table: str, facts: ByteFacts) -> list[Finding]:
    """No blank lines, and the file ends with one newline."""
    found = []
    if facts.size and not facts.ends_with_newline:
        found.append(Finding("blank-line", "the file does not end with a newline", table, facts.line_at(facts.size)))
    if facts.first_blank is not None:
        found.append(Finding("blank-line", "blank line", table, facts.line_at(facts.first_blank)))
    return found


@rule("encoding-utf8", "file")
def encoding_utf8(table: str, data: bytes) -> Finding | None:
    """The file is valid UTF-8 (checked by the strict read; on failure the first bad byte is located)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start
        return Finding("encoding-utf8", f"invalid UTF-8 byte {data[at:at + 1]!r} at byte {at}; save the file as UTF-8", table,
                       data.count(b"\n", 0, at) + 1, value=repr(data[max(0, at - 10):at + 10]))
    return None


def read_header(data: bytes) -> list[str]:
    end = data.find(b"\n")
    first = data[:end if end >= 0 else len(data)].decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r")
    try:
        return next(csv.reader([first]), [])
    except csv.Error:  # a stray carriage return or NUL: split plainly, header-mismatch will say what is wrong
        return first.split(",")


@rule("header-mismatch", "file")
def header_mismatch(table: Table, header: list[str]) -> list[Finding]:
    """The header's names and order equal the Table Schema's fields."""
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
                    value=shorten(",".join(header)))]


@rule("table-empty", "file")
def table_empty(table: str, strings: pl.DataFrame) -> list[Finding]:
    """Each table has at least one data row."""
    return [Finding("table-empty", "the table has a header but no rows", table, 2)] if strings.height == 0 else []


def quoting_errors(text: str) -> list[tuple[int, str]]:
    """(line, reason) for each place that breaks CSV quoting: a quote inside an unquoted cell, a closing quote
    followed by something other than a separator, a quoted cell never closed. One pass over the characters."""
    errors: list[tuple[int, str]] = []
    line, i, n = 1, 0, len(text)
    quoted, start, opened = False, True, 1
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
                quoted, opened = True, line
            else:
                errors.append((line, "a double quote inside a cell that is not quoted"))
        elif c == "\n":
            line += 1
        start = not quoted and c in ",\n"
        i += 1
    if quoted:
        errors.append((opened, "a quoted cell opened on this line is never closed"))
    return errors


@rule("csv-syntax", "file")
def csv_syntax(table: Table, data: bytes) -> tuple[pl.DataFrame, list[Finding]]:
    """Quotes only around whole cells (a file polars cannot parse is read leniently and still checked).

    The lenient reader: every record as strings, cut or padded to the header's width, and where the file
    breaks CSV's quoting rules, which is what polars objected to.
    """
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[0] if records else []
    width = len(header)
    body = [(r + [""] * width)[:width] for r in records[1:]]
    frame = pl.DataFrame({name: [row[i] or None for row in body] for i, name in enumerate(header)},
                         schema=dict.fromkeys(header, pl.String)) if len(set(header)) == width else pl.DataFrame()
    errors = pl.DataFrame(quoting_errors(text), schema={"n": pl.UInt32, "why": pl.String}, orient="row")
    found = listed(table.name, "csv-syntax", "", errors, "{value}", line_is_row=False)
    return frame, found or [Finding("csv-syntax", "the file breaks CSV quoting rules (polars cannot parse it)", table.name)]


def read_strings(table: Table, data: bytes) -> tuple[pl.DataFrame, list[Finding]]:
    """Every cell as a string (empty = null, a quoted empty cell too, as in frictionless). Strict UTF-8 first;
    only on failure is the bad byte located and the file read leniently."""
    options = {"infer_schema": False, "truncate_ragged_lines": True, "raise_if_empty": False, "quote_char": '"', "null_values": [""]}
    found: list[Finding] = []
    try:
        return pl.read_csv(data, encoding="utf8", **options), []
    except pl.exceptions.PolarsError:
        bad, found = attempt("encoding-utf8", table.name, encoding_utf8, table.name, data, default=None)
        if bad is not None:
            found.append(bad)
    try:
        return pl.read_csv(data, encoding="utf8-lossy", **options), found
    except pl.exceptions.PolarsError:
        (frame, more), failed = attempt("csv-syntax", table.name, csv_syntax, table, data, default=(pl.DataFrame(), []))
        return frame, found + failed + more


def line_commas(data: bytes) -> pl.DataFrame:
    """The number of commas on every physical line, and whether it is blank, without holding the lines.

    The lines are read as one column split on the unit separator (0x1F); a file that contains that byte
    is split in Python instead.
    """
    try:
        if b"\x1f" in data:
            raise ValueError("the file holds the unit separator")
        return (pl.read_csv(data, has_header=False, separator="\x1f", quote_char=None, infer_schema=False, new_columns=["line"],
                            encoding="utf8-lossy", raise_if_empty=False)
                .select(commas=pl.col("line").str.count_matches(",", literal=True).fill_null(0),
                        blank=pl.col("line").fill_null("").str.strip_chars() == ""))
    except (ValueError, pl.exceptions.PolarsError):
        text = data.decode("utf-8", errors="replace").removesuffix("\n").split("\n")
        return pl.DataFrame({"line": text}).select(commas=pl.col("line").str.count_matches(",", literal=True),
                                                   blank=pl.col("line").str.strip_chars() == "")


def record_starts(data: bytes) -> tuple[list[int], list[int]]:
    """For each record after the header, the physical line it starts on and its cell count, by Python's csv
    module, which follows quoted line breaks. Used only when records and lines do not pair up."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, widths, line = [], [], 1
    try:
        for record in reader:
            starts.append(line)
            widths.append(len(record))
            line = reader.line_num + 1
    except csv.Error:
        pass  # a malformed tail: the rows read so far keep their lines
    return starts[1:], widths[1:]


@rule("row-width", "file")
def row_width(table: str, data: bytes, strings: pl.DataFrame, width: int, lines: pl.DataFrame) -> tuple[list[Finding], list[int] | None]:
    """Every row has as many cells as the header (no missing or trailing separators).

    A line's separators are its commas less the commas inside its parsed cells, so no regex is needed.
    That needs lines and rows to pair up one to one; where they do not (a line break inside a quoted
    cell), the csv module walks the records instead and gives each row its physical line.
    """
    if width == 0 or strings.width == 0:
        return [], None  # no header: header-mismatch and table-empty say so
    message = "row has {value} cells, header has " + str(width)
    if strings.height == lines.height - 1 and strings.width == width:
        inner = pl.sum_horizontal([pl.col(c).str.count_matches(",", literal=True).fill_null(0) for c in strings.columns])
        header_inner = sum(name.count(",") for name in strings.columns)  # a quoted header name with a comma is one cell
        inner_counts = pl.concat([pl.Series("inner", [header_inner], dtype=pl.UInt32), strings.select(inner.cast(pl.UInt32)).to_series()])
        counted = lines.with_columns(cells=pl.col("commas") - inner_counts + 1)
        bad = (counted.with_columns(n=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32))
               .filter((pl.col("cells") != width) & ~pl.col("blank")).select("n", "cells"))
        return listed(table, "row-width", "", bad, message, line_is_row=False), None
    starts, widths = record_starts(data)
    bad = pl.DataFrame({"n": starts, "cells": widths}, schema={"n": pl.UInt32, "cells": pl.UInt32}).filter(
        (pl.col("cells") != width) & (pl.col("cells") > 0))
    return listed(table, "row-width", "", bad, message, line_is_row=False), starts if len(starts) == strings.height else None


def drop_blank_rows(strings: pl.DataFrame, lines: pl.DataFrame, row_lines: list[int] | None) -> tuple[pl.DataFrame, list[int] | None]:
    """Remove the all-empty rows that stand for blank physical lines (reported as blank-line), keeping every
    other row's line number."""
    row_lines = row_lines or list(range(2, strings.height + 2))
    blank_lines = set(lines.with_row_index("n", offset=1).filter(pl.col("blank")).get_column("n").to_list())
    empty = strings.select(pl.all_horizontal(pl.all().is_null())).to_series().to_list()
    keep = [not (e and row_lines[i] in blank_lines) for i, e in enumerate(empty)]
    if all(keep):
        return strings, None if row_lines == list(range(2, strings.height + 2)) else row_lines
    return strings.filter(pl.Series(keep)), [line for line, k in zip(row_lines, keep, strict=True) if k]


@dataclass
class Read:
    """A table read as strings, with what the file rules found, or None where its columns cannot be matched."""

    strings: pl.DataFrame | None
    ascii: bool
    lines: list[int] | None  # each row's physical line, where it differs from row + 2
    found: list[Finding]


def read(table: Table, data: bytes | None = None) -> Read:
    """The file rules, each through the error boundary, and the strings the other rules read: the file is opened once,
    through the path guard (read_regular), unless its bytes are given, and every reader works from its bytes."""
    if data is None:
        try:
            data = read_regular(table.path)
        except OSError as exc:
            return Read(None, True, None, [Finding("path-unsafe", f"{table.raw_path}: {exc}", table.name)])
    facts = scan_bytes(data)
    found = [f for check, rule_id in ((encoding_bom, "encoding-bom"), (line_ending, "line-ending"), (blank_line, "blank-line"))
             for f in findings(rule_id, table.name, check, table.name, facts)]
    header = read_header(data)
    header_findings = findings("header-mismatch", table.name, header_mismatch, table, header)
    found += header_findings
    strings, more = read_strings(table, data)
    found += more
    per_line = line_commas(data)
    (widths, row_lines), failed = attempt("row-width", table.name, row_width, table.name, data, strings, len(header), per_line,
                                          default=([], None))
    found += failed + widths
    found += findings("table-empty", table.name, table_empty, table.name, strings)
    ascii_only, blank = facts.ascii, facts.first_blank is not None
    del data, facts  # the strings are all the other rules read
    if header_findings or strings.width == 0:
        return Read(None, ascii_only, row_lines, found)  # columns cannot be matched to fields; header-mismatch (or its rule-error) says why
    if blank:
        strings, row_lines = drop_blank_rows(strings, per_line, row_lines)
    return Read(strings, ascii_only, row_lines, found)

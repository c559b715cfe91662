"""File hygiene, checked on the raw bytes and on every text cell.

frictionless, polars and DuckDB all strip a BOM silently and accept cells that begin with '=',
so these checks never rely on a CSV reader's view of the file.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from .findings import Finding, shorten

LIMIT = 20  # findings listed per (table, rule, column); the rest are counted in `more`
MAX_CELL = 10_000
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
WHITESPACE = r"^\s|\s$|[\r\n]"
# C0 and C1 controls (tab included; line breaks are the white space rule's),
# bidirectional overrides and isolates, zero-width characters and a BOM inside the text
CONTROL = r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}\x{FEFF}]"
# UTF-8 read as Latin-1 / Windows-1252: 'Ã©', 'Ã¼', 'â€™', 'Ã‡', 'Ð°' ...
MOJIBAKE = r"[ÃÂÐÑ][\x{80}-\x{BF}‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€"


CHUNK = 8 << 20  # files are read in chunks of 8 MiB, never whole


@dataclass
class ByteFacts:
    """What one streaming pass over the raw bytes learns about a file. Offsets, not line numbers:
    a line number is counted only when there is something to report."""

    path: Path
    size: int = 0
    bom: bool = False
    ascii: bool = True
    cr_count: int = 0
    first_cr: int | None = None
    first_blank: int | None = None  # offset of the first byte of the first blank line
    ends_with_newline: bool = False

    def line_at(self, offset: int) -> int:
        """1-based line number of a byte offset, counted by reading up to it."""
        lines, done = 1, 0
        with self.path.open("rb") as handle:
            while done < offset and (chunk := handle.read(min(CHUNK, offset - done))):
                lines += chunk.count(b"\n")
                done += len(chunk)
        return lines


def scan_bytes(path: Path) -> ByteFacts:
    facts = ByteFacts(path)
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if facts.size == 0:
                facts.bom = chunk.startswith(b"\xef\xbb\xbf")
                if chunk.startswith(b"\n"):
                    facts.first_blank = 0
            facts.ascii = facts.ascii and chunk.isascii()
            if (at := chunk.find(b"\r")) >= 0:
                if facts.first_cr is None:
                    facts.first_cr = facts.size + at
                facts.cr_count += chunk.count(b"\r", at)
            if facts.first_blank is None:
                if last == b"\n" and chunk.startswith(b"\n"):
                    facts.first_blank = facts.size
                elif (at := chunk.find(b"\n\n")) >= 0:
                    facts.first_blank = facts.size + at + 1
            facts.size += len(chunk)
            last = chunk[-1:]
    facts.ends_with_newline = last == b"\n"
    return facts


def check_bytes(table: str, facts: ByteFacts) -> list[Finding]:
    """Checks that need the bytes (UTF-8 validity is checked by the strict read, see utf8_error)."""
    found: list[Finding] = []
    if facts.bom:
        found.append(Finding("encoding-bom", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", table, 1))
    if facts.first_cr is not None:
        found.append(Finding("line-ending", f"carriage return found ({facts.cr_count} in the file); use LF line endings", table,
                             facts.line_at(facts.first_cr)))
    if facts.size and not facts.ends_with_newline:
        found.append(Finding("blank-line", "the file does not end with a newline", table, facts.line_at(facts.size)))
    if facts.first_blank is not None:
        found.append(Finding("blank-line", "blank line", table, facts.line_at(facts.first_blank)))
    return found


def utf8_error(table: str, path: Path) -> Finding | None:
    """Locate the first invalid UTF-8 byte, reading in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                at = max(exc.start, 0)
                pending = len(exc.object) - len(chunk)  # bytes the decoder held over from the previous chunk
                where = offset - pending + at
                line = lines + exc.object.count(b"\n", 0, at) - (exc.object[:pending].count(b"\n") if pending > 0 else 0) + 1
                bad = exc.object[at:at + 1]
                return Finding("encoding-utf8", f"invalid UTF-8 byte {bad!r} at byte {where}", table, line,
                               value=repr(exc.object[max(0, at - 10):at + 10]))
            if not chunk:
                return None
            offset += len(chunk)
            lines += chunk.count(b"\n")


def line_commas(path: Path) -> pl.DataFrame:
    """The number of commas on every physical line, without holding the lines themselves.

    The lines are read as one column split on the unit separator (0x1F); a file that contains that
    byte is split in Python instead.
    """
    try:
        return (pl.scan_csv(path, has_header=False, separator="\x1f", quote_char=None, infer_schema=False, new_columns=["line"],
                            encoding="utf8-lossy", raise_if_empty=False)
                .select(commas=pl.col("line").str.count_matches(",", literal=True).fill_null(0),
                        blank=pl.col("line").fill_null("").str.strip_chars() == "")
                .collect(engine="streaming"))
    except pl.exceptions.PolarsError:
        text = path.read_bytes().decode("utf-8", errors="replace").removesuffix("\n").split("\n")
        return pl.DataFrame({"line": text}).select(commas=pl.col("line").str.count_matches(",", literal=True),
                                                   blank=pl.col("line").str.strip_chars() == "")


def record_starts(path: Path) -> tuple[list[int], list[int]]:
    """For each record after the header, the physical line it starts on and its cell count, by Python's csv
    module, which follows quoted line breaks. Used only when records and lines do not pair up."""
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
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


def check_row_widths(table: str, path: Path, strings: pl.DataFrame | None, width: int) -> tuple[list[Finding], list[int] | None]:
    """Rows whose cell count differs from the header's, and, where rows and lines do not pair up, each row's line.

    A line's separators are its commas less the commas inside its parsed cells, so no regex is needed.
    That needs lines and rows to pair up one to one; where they do not (a line break inside a quoted
    cell), the csv module walks the records instead.
    """
    if width == 0 or strings is None or strings.width == 0:
        return [], None  # no header: header-mismatch and table-empty say so
    per_line = line_commas(path)
    if strings.height == per_line.height - 1 and strings.width == width:
        inner = pl.sum_horizontal([pl.col(c).str.count_matches(",", literal=True).fill_null(0) for c in strings.columns])
        inner_counts = pl.concat([pl.Series("inner", [0], dtype=pl.UInt32), strings.select(inner.cast(pl.UInt32)).to_series()])
        counted = per_line.with_columns(cells=pl.col("commas") - inner_counts + 1)
        bad = (counted.with_columns(n=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32))
               .filter((pl.col("cells") != width) & ~pl.col("blank")).select("n", "cells"))
        return cell_findings(table, "row-width", "", bad, "row has {value} cells, header has " + str(width), line_is_row=False), None
    starts, widths = record_starts(path)
    bad = pl.DataFrame({"n": starts, "cells": widths}, schema={"n": pl.UInt32, "cells": pl.UInt32}).filter(
        (pl.col("cells") != width) & (pl.col("cells") > 0))
    found = cell_findings(table, "row-width", "", bad, "row has {value} cells, header has " + str(width), line_is_row=False)
    return found, starts if len(starts) == strings.height else None


def cell_findings(table: str, rule: str, column: str, failing: pl.DataFrame, message: str, line_is_row: bool = True) -> list[Finding]:
    """Turn a frame of (row index, value) into findings, listing at most LIMIT and counting the rest."""
    if failing.height == 0:
        return []
    out = []
    for idx, value in failing.head(LIMIT).iter_rows():
        line, row = (idx + 2, idx) if line_is_row else (idx, None)
        out.append(Finding(rule, message.format(value=shorten(value)), table, line, column, shorten(value), row=row))
    return with_rest(out, failing.height - LIMIT)


def with_rest(listed: list[Finding], rest: int) -> list[Finding]:
    """Record on the last listed finding how many more of the same were counted but not listed."""
    if rest > 0 and listed:
        listed[-1] = replace(listed[-1], more=rest)
    return listed


@functools.cache
def nfc_suspects() -> str:
    """A regex class of every character that can make a text non-NFC: the characters NFC changes on their
    own, the combining marks, and the Hangul jamo that compose with a preceding syllable."""
    singles = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and unicodedata.normalize("NFC", chr(c)) != chr(c)]
    return "[" + "".join(f"\\x{{{c:X}}}" for c in singles) + r"\p{M}\x{1161}-\x{1175}\x{11A8}-\x{11C2}]"


def cell_rules(column: str, is_text: bool) -> list[tuple[str, pl.Expr, str]]:
    col = pl.col(column)
    not_nfc = col.str.contains(nfc_suspects()) & (col != col.str.normalize("NFC"))
    rules = [
        ("whitespace", col.str.contains(WHITESPACE), "leading or trailing white space, or a line break, in {value!r}"),
        ("control-character", col.str.contains(CONTROL), "control, bidirectional or zero-width character in {value!r}"),
        ("unicode-nfc", not_nfc, "text is not in Unicode NFC"),
        ("mojibake", col.str.contains(MOJIBAKE), "looks like UTF-8 decoded as Latin-1 (mojibake): {value!r}"),
        ("cell-too-long", col.str.len_chars() > MAX_CELL, f"cell longer than {MAX_CELL:,} characters"),
    ]
    if is_text:
        rules.append(("formula-cell", col.str.head(1).is_in(FORMULA_STARTS), "cell begins with a character spreadsheets run as a formula: {value!r}"))
    return rules


def check_cells(table: str, df: pl.DataFrame, text_columns: list[str], ascii_only: bool = False) -> list[Finding]:
    """Cell-level hygiene on the string frame (row i is CSV line i + 2).

    A first pass asks each column cheap questions (its edges, line breaks, its first character, its
    length; for a file that is not pure ASCII also mojibake and characters that can break NFC); the
    rules are evaluated row by row only for the columns where that pass finds something.
    """
    suspect = []
    for column in df.columns:
        col = pl.col(column)
        # one regular-expression pass per column: each pass over a long text column costs the same, whatever it looks for
        pattern = CONTROL + r"|[\r\n]" + ("" if ascii_only else "|" + MOJIBAKE + "|" + nfc_suspects())
        flag = ((col.str.strip_chars().str.len_bytes() != col.str.len_bytes()) | col.str.contains(pattern)
                | (col.str.len_bytes() > MAX_CELL))
        if column in text_columns:
            flag = flag | col.str.head(1).is_in(FORMULA_STARTS)
        suspect.append(flag.any().alias(column))
    flagged = [c for c, hit in df.select(suspect).row(0, named=True).items() if hit] if suspect else []
    found: list[Finding] = []
    for column in flagged:
        indexed = df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row"), column)
        for rule, mask, message in cell_rules(column, column in text_columns):
            failing = indexed.filter(mask.fill_null(False))
            found += cell_findings(table, rule, column, failing, message)
    return found

"""File hygiene, checked on the raw bytes and on every text cell.

frictionless, polars and DuckDB all strip a BOM silently and accept cells that begin with '=',
so these checks never rely on a CSV reader's view of the file.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import replace

import polars as pl

from .findings import Finding, shorten

LIMIT = 20  # findings listed per (table, rule, column); the rest are counted in `more`
MAX_CELL = 10_000
FORMULA = r"^[=+\-@\t\r]"
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
WHITESPACE = r"^\s|\s$|[\r\n]"
# UTF-8 read as Latin-1 / Windows-1252: 'Ã©', 'Ã¼', 'â€™', 'Ã‡', 'Ð°' ...
MOJIBAKE = r"[ÃÂÐÑ][\x{80}-\x{BF}‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€"


def first_line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def check_bytes(table: str, raw: bytes) -> list[Finding]:
    """Checks that need the bytes (UTF-8 validity is checked by the strict read, see utf8_error)."""
    found: list[Finding] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        found.append(Finding("encoding-bom", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", table, 1))
    cr = raw.find(b"\r")
    if cr >= 0:
        n = raw.count(b"\r")
        found.append(Finding("line-ending", f"carriage return found ({n} in the file); use LF line endings", table,
                             first_line_of(raw, cr)))
    if not raw.endswith(b"\n"):
        found.append(Finding("blank-line", "the file does not end with a newline", table, first_line_of(raw, len(raw))))
    else:
        blank = raw.find(b"\n\n")
        if blank >= 0 or raw.startswith(b"\n"):
            at = 0 if raw.startswith(b"\n") else blank + 1
            found.append(Finding("blank-line", "blank line", table, first_line_of(raw, at)))
    return found


def utf8_error(table: str, raw: bytes) -> Finding | None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.start + 1]
        return Finding("encoding-utf8", f"invalid UTF-8 byte {bad!r} at byte {exc.start}", table,
                       first_line_of(raw, exc.start), value=repr(raw[max(0, exc.start - 10):exc.start + 10]))
    return None


def lines_frame(raw: bytes) -> pl.DataFrame:
    """Every physical line as one string, so that rows can be counted without trusting the CSV reader."""
    if b"\x1f" not in raw:
        return pl.read_csv(raw, has_header=False, separator="\x1f", quote_char=None, infer_schema=False, new_columns=["line"],
                           encoding="utf8-lossy", empty_string_is_null=False, raise_if_empty=False)
    text = raw.decode("utf-8", errors="replace")
    return pl.DataFrame({"line": text.removesuffix("\n").split("\n")})


def check_row_widths(table: str, lines: pl.DataFrame, strings: pl.DataFrame | None, width: int) -> list[Finding]:
    """Rows whose cell count differs from the header's.

    A line's separators are its commas less the commas inside its parsed cells, so no regex is needed.
    That needs lines and rows to pair up one to one; a line break inside a quoted cell breaks the
    pairing, and then quoted segments are stripped with a regex instead.
    """
    line = pl.col("line")
    if strings is not None and strings.height == lines.height - 1 and strings.width == width:
        inner = pl.sum_horizontal([pl.col(c).str.count_matches(",", literal=True).fill_null(0) for c in strings.columns])
        body = strings.select(inner.alias("inner"))
        cells = (lines.slice(1).select(line.str.count_matches(",", literal=True).alias("commas")).hstack(body)
                 .select((pl.col("commas") - pl.col("inner") + 1).alias("cells")))
        counted = pl.concat([lines.head(1).select(cells=line.str.count_matches(",", literal=True) + 1), cells])
    else:
        stripped = pl.when(line.str.contains('"', literal=True)).then(line.str.replace_all(r'"(?:[^"]|"")*"', "")).otherwise(line)
        counted = lines.select(cells=stripped.str.count_matches(",", literal=True) + 1)
    counted = counted.hstack(lines).with_columns(n=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32))
    counted = counted.filter((pl.col("cells") != width) & (line.str.strip_chars() != ""))
    return cell_findings(table, "row-width", "", counted.select("n", "cells"),
                         "row has {value} cells, header has " + str(width), line_is_row=False)


def cell_findings(table: str, rule: str, column: str, failing: pl.DataFrame, message: str, line_is_row: bool = True) -> list[Finding]:
    """Turn a frame of (row index, value) into findings, listing at most LIMIT and counting the rest."""
    if failing.height == 0:
        return []
    out = []
    for idx, value in failing.head(LIMIT).iter_rows():
        line = idx + 2 if line_is_row else idx
        out.append(Finding(rule, message.format(value=shorten(value)), table, line, column, shorten(value)))
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
        ("unicode-nfc", not_nfc, "text is not in Unicode NFC"),
        ("mojibake", col.str.contains(MOJIBAKE), "looks like UTF-8 decoded as Latin-1 (mojibake): {value}"),
        ("cell-too-long", col.str.len_chars() > MAX_CELL, f"cell longer than {MAX_CELL:,} characters"),
    ]
    if is_text:
        rules.append(("formula-cell", col.str.contains(FORMULA), "cell begins with a character spreadsheets run as a formula: {value}"))
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
        flag = (col.str.head(1).str.contains(r"\s") | col.str.tail(1).str.contains(r"\s") | col.str.contains("\n", literal=True)
                | col.str.contains("\r", literal=True) | (col.str.len_bytes() > MAX_CELL))
        if column in text_columns:
            flag = flag | col.str.head(1).is_in(FORMULA_STARTS)
        if not ascii_only:
            flag = flag | col.str.contains(MOJIBAKE) | col.str.contains(nfc_suspects())
        suspect.append(flag.any().alias(column))
    flagged = [c for c, hit in df.select(suspect).row(0, named=True).items() if hit] if suspect else []
    found: list[Finding] = []
    for column in flagged:
        indexed = df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row"), column)
        for rule, mask, message in cell_rules(column, column in text_columns):
            failing = indexed.filter(mask.fill_null(False))
            found += cell_findings(table, rule, column, failing, message)
    return found

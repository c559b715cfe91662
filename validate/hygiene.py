"""File hygiene, checked on the raw bytes and on every text cell.

frictionless, polars and DuckDB all strip a BOM silently and accept cells that begin with '=',
so these checks never rely on a CSV reader's view of the file.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from .findings import Finding, shorten

LIMIT = 20  # findings listed per (table, rule, column); the rest are counted in `more`
MAX_CELL = 10_000
FORMULA = r"^[=+\-@\t\r]"
WHITESPACE = r"^\s|\s$|[\r\n]"
# UTF-8 read as Latin-1 / Windows-1252: 'Ã©', 'Ã¼', 'â€™', 'Ã‡', 'Ð°' ...
MOJIBAKE = r"[ÃÂÐÑ][\x{80}-\x{BF}‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€"


def first_line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def check_bytes(table: str, raw: bytes) -> tuple[list[Finding], bool]:
    """Checks that need the bytes. Returns the findings and whether the bytes are valid UTF-8."""
    found: list[Finding] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        found.append(Finding("encoding-bom", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM", table, 1))
    utf8 = True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8 = False
        found.append(Finding("encoding-utf8", f"invalid UTF-8 byte {raw[exc.start:exc.start + 1]!r} at byte {exc.start}", table,
                             first_line_of(raw, exc.start), value=repr(raw[max(0, exc.start - 10):exc.start + 10])))
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
    return found, utf8


def lines_frame(raw: bytes) -> pl.DataFrame:
    """Every physical line as one string, so that rows can be counted without trusting the CSV reader."""
    if b"\x1f" not in raw:
        return pl.read_csv(raw, has_header=False, separator="\x1f", quote_char=None, infer_schema=False, new_columns=["line"],
                           encoding="utf8-lossy", empty_string_is_null=False, raise_if_empty=False)
    text = raw.decode("utf-8", errors="replace")
    return pl.DataFrame({"line": text.removesuffix("\n").split("\n")})


def check_row_widths(table: str, lines: pl.DataFrame, width: int) -> list[Finding]:
    counted = lines.with_row_index("n").with_columns(
        cells=pl.col("line").str.replace_all(r'"(?:[^"]|"")*"', "").str.count_matches(",") + 1
    ).filter((pl.col("cells") != width) & (pl.col("line").str.strip_chars() != ""))
    return cell_findings(table, "row-width", "", counted.select(pl.col("n") + 1, "cells"),
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


def cell_rules(column: str, is_text: bool) -> list[tuple[str, pl.Expr, str]]:
    col = pl.col(column)
    rules = [
        ("whitespace", col.str.contains(WHITESPACE), "leading or trailing white space, or a line break, in {value!r}"),
        ("unicode-nfc", col != col.str.normalize("NFC"), "text is not in Unicode NFC"),
        ("mojibake", col.str.contains(MOJIBAKE), "looks like UTF-8 decoded as Latin-1 (mojibake): {value}"),
        ("cell-too-long", col.str.len_chars() > MAX_CELL, f"cell longer than {MAX_CELL:,} characters"),
    ]
    if is_text:
        rules.append(("formula-cell", col.str.contains(FORMULA), "cell begins with a character spreadsheets run as a formula: {value}"))
    return rules


def check_cells(table: str, df: pl.DataFrame, text_columns: list[str]) -> list[Finding]:
    """Cell-level hygiene on the string frame (row i is CSV line i + 2).

    One pass computes every (column, rule) mask; rows are looked up only for the masks that fail.
    """
    rules = {(column, rule): (mask.fill_null(False), message)
             for column in df.columns for rule, mask, message in cell_rules(column, column in text_columns)}
    if not rules:
        return []
    masks = df.select([mask.alias(f"{column}\x00{rule}") for (column, rule), (mask, _) in rules.items()])
    failing_keys = [k for k, v in masks.select(pl.all().any()).row(0, named=True).items() if v]
    found: list[Finding] = []
    for key in failing_keys:
        column, rule = key.split("\x00")
        failing = (df.with_row_index("__row").select("__row", column).filter(masks.get_column(key)))
        found += cell_findings(table, rule, column, failing, rules[(column, rule)][1])
    return found

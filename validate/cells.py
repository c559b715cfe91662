"""Cell hygiene: rules that look at one cell at a time, whatever its column.

A cell rule is a CellCheck: a regular expression (fused with the other rules' into one pass per column)
or a cheap polars expression, true where a cell breaks the rule. The clean path asks each column one
question, "does any rule fire anywhere here?", in a single select; only the columns where something
fires are evaluated rule by rule, row by row, for the exact report. Unicode patterns are skipped for a
file that is pure ASCII (known from the byte scan), since they cannot match there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from .boundary import attempt, findings, fused
from .charclasses import INVISIBLE, NFC_CHANGES
from .findings import Finding, listed
from .registry import registered, rule

MAX_CELL = 10_000
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
PLACEHOLDERS = ["N/A", "n/a", "NA", "null", "none", "unknown", "-", "?"]
ASCII_CONTROL = r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]"
# UTF-8 read as Latin-1 / Windows-1252: 'Ã©', 'Ã¼', 'â€™', 'Ã‡', 'Ð°' ...
MOJIBAKE = r"[ÃÂÐÑ][\x{80}-\x{BF}‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€"
# A note is written for a reader of the data, never as the compilers' working note (what is still to do, what a
# research session found or left open): working notes go to docs/research/. These phrases mark one, matched
# case-insensitively as whole words (their words separated by white space or underscores: "new agency_id").
WORKING_NOTE_PHRASES = ["new column", "new entity", "new agency id", "if found", "in this session", "todo", "tbd", "fixme", "xxx"]
WORKING_NOTE_WORDS = "|".join(r"[\s_]+".join(p.split()) for p in WORKING_NOTE_PHRASES)
WORKING_NOTE = rf"(?i:\b({WORKING_NOTE_WORDS})\b)"  # its group 1 is the phrase, for the message
# Matches in the same cells as WORKING_NOTE, for the screen and the exact pass: each phrase begins and ends with a word
# character, so a word boundary around it is a non-word character or the cell's edge. A Unicode \b keeps polars' (Rust)
# regex off its DFA for the whole fused screen, which doubled the screen's cost; \W does not (tests/unit/test_cells.py
# checks that the two agree beside every character of the Basic Multilingual Plane).
WORKING_NOTE_CELLS = rf"(?i:(?:^|\W)(?:{WORKING_NOTE_WORDS})(?:\W|$))"


@dataclass(frozen=True)
class CellCheck:
    message: str
    pattern: str | None = None  # the cell breaks the rule where this matches
    ascii_pattern: str | None = None  # the part of pattern that can match pure-ASCII text (None: nothing can)
    mask: Callable[[pl.Expr], pl.Expr] | None = None  # else: a cheap expression, true where the cell breaks the rule
    refine: Callable[[pl.Expr], pl.Expr] | None = None  # narrows a pattern's matches to real failures
    detail: Callable[[pl.Expr], pl.Expr] | None = None  # what in a failing cell breaks the rule: `{detail}` in the message
    hint: str = ""  # what to do about it
    text_only: bool = False  # only for string-typed columns
    prose_only: bool = False  # only for string-typed columns the compilers write (not x-verbatim quotes)

    def fails(self, col: pl.Expr) -> pl.Expr:
        hit = self.mask(col) if self.mask else col.str.contains(str(self.pattern))
        return hit & self.refine(col) if self.refine else hit


@rule("unicode-nfc", "cell")
def unicode_nfc() -> CellCheck:
    """Text is in Unicode NFC."""
    return CellCheck("text is not in Unicode NFC; normalise it (for example with unicodedata.normalize('NFC', text))",
                     pattern=f"[{NFC_CHANGES}\\p{{M}}\\x{{1161}}-\\x{{1175}}\\x{{11A8}}-\\x{{11C2}}]",
                     refine=lambda col: col != col.str.normalize("NFC"))


@rule("whitespace", "cell")
def whitespace() -> CellCheck:
    """No leading or trailing white space in a cell, and no line break."""
    return CellCheck("leading or trailing white space, or a line break, in {value!r}",
                     mask=lambda col: ((col.str.strip_chars().str.len_bytes() != col.str.len_bytes())
                                       | col.str.contains("\n", literal=True) | col.str.contains("\r", literal=True)))


@rule("control-character", "cell")
def control_character() -> CellCheck:
    """No control character (tab included), format character (Unicode Cf: zero-width, bidirectional, soft hyphen,
    byte-order mark ...), line or paragraph separator (Zl, Zp) or noncharacter in a cell."""
    return CellCheck("invisible or control character in {value!r}: remove it",
                     pattern=f"[\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x{{9f}}{INVISIBLE}]", ascii_pattern=ASCII_CONTROL)


@rule("formula-cell", "cell")
def formula_cell() -> CellCheck:
    """No text cell begins with =, +, -, @, tab or carriage return (spreadsheets run such cells as formulas)."""
    return CellCheck("cell begins with a character spreadsheets run as a formula: {value!r}",
                     mask=lambda col: col.str.head(1).is_in(FORMULA_STARTS), text_only=True)


@rule("placeholder", "cell")
def placeholder() -> CellCheck:
    """No placeholder for a missing value (N/A, n/a, NA, null, none, unknown, -, ?): an empty cell means "not stated"."""
    return CellCheck("{value!r} stands for a missing value: leave the cell empty instead",
                     mask=lambda col: col.str.len_bytes().is_between(1, 7) & col.str.to_lowercase().is_in([p.lower() for p in PLACEHOLDERS]),
                     text_only=True)


@rule("markdown", "cell")
def markdown() -> CellCheck:
    """No Markdown emphasis (`*`) in a value the compilers write; only verbatim quotes (x-verbatim) keep the source's marks."""
    return CellCheck("Markdown emphasis in {value!r}: write the plain text (quotes keep the source's marks)",
                     mask=lambda col: col.str.contains("*", literal=True), prose_only=True)


@rule("working-note", "cell")
def working_note() -> CellCheck:
    """A value the compilers write (every text field not marked x-verbatim; in practice the notes) is a note for a reader,
    never a compiler's working note: it has none of the phrases of `WORKING_NOTE_PHRASES` in cells.py ('todo', 'tbd',
    'fixme', 'new column', 'if found', 'in this session' ...), case-insensitively, as whole words. Working notes belong
    in docs/research/."""
    return CellCheck("working note {detail!r} in {value!r}: a note is for a reader of the data",
                     pattern=WORKING_NOTE_CELLS, ascii_pattern=WORKING_NOTE_CELLS, prose_only=True,
                     detail=lambda col: col.str.extract(WORKING_NOTE, 1).str.to_lowercase().str.replace_all(r"[\s_]+", " "),
                     hint="move working notes to docs/research/; keep in the note only what a reader needs to know about the row")


@rule("mojibake", "cell")
def mojibake() -> CellCheck:
    """No UTF-8 text mis-decoded as Latin-1 or Windows-1252 (Ã©, â€™ ...)."""
    return CellCheck("looks like UTF-8 decoded as Latin-1 (mojibake): {value!r}", pattern=MOJIBAKE)


@rule("cell-too-long", "cell")
def cell_too_long() -> CellCheck:
    """No cell is longer than 10,000 characters."""
    return CellCheck(f"cell longer than {MAX_CELL:,} characters", mask=lambda col: col.str.len_chars() > MAX_CELL)


def checks(table: str = "") -> tuple[dict[str, CellCheck], list[Finding]]:
    """The registered cell rules, each made through the error boundary, and the rule-errors of those that could not be made."""
    made: dict[str, CellCheck] = {}
    found: list[Finding] = []
    for r in registered(__name__):
        cell, failed = attempt(r.id, table, r.function, default=None)
        found += failed
        if cell is not None:
            made[r.id] = cell
    return made, found


def applies(cell: CellCheck, column: str, text_columns: set[str], verbatim: set[str]) -> bool:
    return (not (cell.text_only or cell.prose_only) or column in text_columns) and not (cell.prose_only and column in verbatim)


def screen(col: pl.Expr, column: str, text_columns: set[str], verbatim: set[str], ascii_only: bool, rules: dict[str, CellCheck]) -> pl.Expr:
    """One cheap question per column: might any cell rule fire here? One fused regex, plus the masks."""
    patterns = [p for c in rules.values() if c.pattern and (p := c.ascii_pattern if ascii_only else c.pattern)]
    flags = [col.str.contains("|".join(patterns))] if patterns else []
    flags += [c.mask(col) for c in rules.values() if c.mask and applies(c, column, text_columns, verbatim)]
    return pl.any_horizontal(flags).fill_null(False).any() if flags else pl.lit(False)


def check(table: str, strings: pl.DataFrame, text_columns: set[str], ascii_only: bool, verbatim: frozenset[str] = frozenset()) -> list[Finding]:
    """Every cell rule on every cell: one select screens all columns, exact findings only where a rule fires.
    `verbatim` columns (quotes) are exempt from the rules about what the compilers write."""
    if strings.width == 0 or strings.height == 0:
        return []
    made, found = checks(table)

    def hits_of(rules: list[tuple[str, CellCheck]]) -> dict[str, bool]:
        chosen = dict(rules)
        return strings.select([screen(pl.col(c), c, text_columns, set(verbatim), ascii_only, chosen).alias(c) for c in strings.columns]).row(0, named=True)

    hits, kept, failed = fused(table, list(made.items()), hits_of, default={})
    found += failed
    for column in [c for c, hit in hits.items() if hit]:
        indexed = strings.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row"), column)
        for rule_id, cell in kept:
            if applies(cell, column, text_columns, set(verbatim)):
                found += findings(rule_id, table, exact, table, rule_id, cell, indexed, column)
    return found


def exact(table: str, rule_id: str, cell: CellCheck, indexed: pl.DataFrame, column: str) -> list[Finding]:
    """The rows of one column where one cell rule fires."""
    failing = indexed.filter(cell.fails(pl.col(column)).fill_null(False))
    if cell.detail is not None:
        failing = failing.select("__row", pl.col(column).alias("__value"), cell.detail(pl.col(column)).alias("detail"))
    return listed(table, rule_id, column, failing, cell.message, hint=cell.hint)

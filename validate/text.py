"""Text as the provenance rules compare it: folding, whole words, numbers written as words, dates in written forms.

Pure functions and polars expressions, with no rule of their own; tests/unit/test_text.py covers them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from functools import cache
from typing import TypeVar

import polars as pl

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

TYPOGRAPHIC = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
CARDINALS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
            "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"]
# 'i' is left out: in English text it is a word, not a number.
ROMANS = ["ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]
NUMBER_WORDS = ({w: str(i) for i, w in enumerate(CARDINALS)} | {w: str(i) for i, w in enumerate(ORDINALS, 1)}
                | {w: str(i) for i, w in enumerate(ROMANS, 2)})
NUMBER_TOKEN = r"\d+|\b(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
# Month names of the other languages the archived pages are written in, as a date is written there ('17. Juni 2006',
# 'le 17 juin 2006', '17 июня 2006 года'): German, French, Italian, Russian (genitive, as in a date, and nominative).
MONTH_NAMES = [MONTHS,
               ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
               ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
               ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
               ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
               ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]]
# English abbreviations, as catalogues write a date ('2006 Jun 17' in GCAT, '17-JUN-2006'); 'may' is already a name
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
# (' juni ', ' june ') ...: whole words of the other languages, to their English month (spaces keep 'mai' out of 'maize')
MONTHS_IN_ENGLISH = ([f" {n} " for language in MONTH_NAMES[1:] for n in language if n not in MONTHS] + [f" {a} " for a in MONTH_ABBREVIATIONS],
                     [f" {MONTHS[i]} " for language in MONTH_NAMES[1:] for i, n in enumerate(language) if n not in MONTHS]
                     + [f" {MONTHS[m - 1]} " for m in MONTH_ABBREVIATIONS.values()])


def fold_text(text: str) -> str:
    """A source text folded exactly as the quotes are (the same steps as fold_expr, on one string)."""
    return fold_texts({"": text})[""]


def fold_texts(texts: dict[str, str]) -> dict[str, str]:
    """fold_text of many texts (key -> text) in one polars pass: one select per archived file costs more than the folding."""
    frame = pl.DataFrame({"key": list(texts), "text": [unicodedata.normalize("NFC", t) for t in texts.values()]},
                         schema={"key": pl.String, "text": pl.String})
    return dict(frame.select("key", folded_nfc(pl.col("text"))).iter_rows())  # NFC already, by unicodedata: polars' costs more than the rest


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """Typographic quotes and no-break spaces to plain ones, runs of white space to one space, Unicode NFC.

    Quotes are NFC by the hygiene rules; a source archived in NFD is normalised by fold_text before this,
    so that a legitimately decomposed source still matches its quotes.
    """
    return folded_nfc(expr.str.normalize("NFC"))


def folded_nfc(expr: pl.Expr) -> pl.Expr:
    """fold_expr's steps after NFC, for a text known to be NFC already (normalised by Python's unicodedata, whose quick
    check makes an NFC text cost next to nothing, where polars' NFC costs more than the rest of the folding together)."""
    return (expr.str.replace_many(list(TYPOGRAPHIC), list(TYPOGRAPHIC.values()))
            .str.replace_all(r"\s\s+|[^\S ]", " ").str.strip_chars())


def as_words(lowered: pl.Expr) -> pl.Expr:
    """' words and numbers separated by single spaces ': finding ' value ' in it is finding whole words."""
    return pl.concat_str([pl.lit(" "), lowered.str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars(), pl.lit(" ")])


def phrase(text: pl.Expr) -> pl.Expr:
    """' words ' of a text as quotes are searched for it: folded, lowercased, punctuation to single spaces."""
    return as_words(fold_expr(text).str.to_lowercase())


def words_of(text: str) -> str:
    """phrase of one string: for tests and for single values."""
    return pl.select(phrase(pl.lit(text, dtype=pl.String))).item()


def number_tokens(lowered: pl.Expr) -> pl.Expr:
    """The numbers a lowercased text states, as strings: digits, number words, ordinals and Roman numerals."""
    return lowered.str.extract_all(NUMBER_TOKEN).list.eval(pl.element().replace(NUMBER_WORDS))


def numbers_of(words: pl.Expr) -> pl.Expr:
    """' n1 n2 ... ': the numbers of a words column, space-delimited, so that ' 68 ' finds a whole number."""
    return pl.concat_str([pl.lit(" "), number_tokens(words).list.join(" "), pl.lit(" ")])


def has_number(number: pl.Expr, numbers: str = "numbers") -> pl.Expr:
    return pl.col(numbers).str.contains(pl.concat_str([pl.lit(" "), number, pl.lit(" ")]), literal=True)


def number_in_words(value: pl.Expr) -> pl.Expr:
    """A number is in the quote: as a whole number, as a decimal with a point or a comma ('58.5', '12,5'), or grouped
    in thousands with a comma, point or space ('1,092', '1.092', '4 707')."""
    digits = value.str.len_chars()
    grouped = pl.concat_str([value.str.slice(0, digits - 3), pl.lit(" "), value.str.slice(-3)])
    return (has_number(value) | (value.str.contains(".", literal=True) & in_words(value.str.replace(".", " ", literal=True)))
            | (value.str.contains(r"^\d{4,6}$") & in_words(grouped)))


def in_words(*parts: pl.Expr | str, words: str | pl.Expr = "words") -> pl.Expr:
    """The parts, joined, occur as whole words in the words column (or expression)."""
    pieces = [pl.lit(p) if isinstance(p, str) else p for p in parts]
    column = pl.col(words) if isinstance(words, str) else words
    return column.str.contains(pl.concat_str([pl.lit(" "), *pieces, pl.lit(" ")]), literal=True)


def text_in_words(value: pl.Expr, words: str = "words") -> pl.Expr:
    """A text value occurs in the words column as whole words, case-insensitively, punctuation ignored."""
    return pl.col(words).str.contains(phrase(value), literal=True)


def english_months(words: pl.Expr) -> pl.Expr:
    """The words with the month names of the other languages turned into English ('17 juni 2006' -> '17 june 2006'):
    computed once per quote (Quotes.prepare), so that date_in_words compares English names only."""
    return words.str.replace_many(*MONTHS_IN_ENGLISH)


def date_in_words(value: pl.Expr, words: str = "dates") -> pl.Expr:
    """A partial date is in the quote at its precision: the year; a month written with its year ('September 2025',
    '2025-09', '09.2025', '2025 Sep' as GCAT writes it); a day written with its month ('March 28, 1947', '25 June 2025', '2025-06-25', '05.09.2025').

    This is what catches a month or day padded onto a date the source gives less precisely. `words` is the quote's
    words with english_months applied.
    """
    length = value.str.len_chars()
    year, month, day = value.str.slice(0, 4), value.str.slice(5, 2), value.str.slice(8, 2)
    name = month.cast(pl.Int8, strict=False).replace_strict(dict(enumerate(MONTHS, 1)), default="?", return_dtype=pl.String)
    d = day.str.strip_chars_start("0")
    english = pl.col(words)
    month_ok = (in_words(name, " ", year, words=english) | in_words(year, " ", name, words=english) | in_words(year, " ", month, words=english)
                | in_words(month, " ", year, words=english))
    day_ok = (in_words(name, " ", d, words=english) | in_words(d, " ", name, words=english) | in_words(year, " ", month, " ", day, words=english)
              | in_words(day, " ", month, " ", year, words=english))
    return has_number(year) & ((length < 7) | month_ok | ((length == 10) & day_ok)) & ((length < 10) | day_ok)


def first_sentence(text: str | None) -> str:
    """A description's first sentence, ending with its full stop (the README's table, the release's README, Datasette)."""
    return (text or "").split(". ")[0].rstrip(".") + "."


def with_words(frame: FrameT, lowered: pl.Expr) -> FrameT:
    """The frame with the columns value_in_words reads, for a lowercased text: its words, and the numbers and the dates
    written in them."""
    return frame.with_columns(words=as_words(lowered)).with_columns(numbers=numbers_of(pl.col("words")), dates=english_months(pl.col("words")))


@cache
def value_in_words(kind_column: str, value_column: str) -> pl.Expr:
    """A row's or a claim's value is in the quote, as its `x-quoted` kind says: a text as whole words, a date at its
    precision (date_in_words), a number in any of its written forms (number_in_words). Built once for each pair of
    columns: the expression takes half a millisecond to build, more than it takes to run on a package's claims."""
    kind, value = pl.col(kind_column), pl.col(value_column)
    return pl.when(kind == "date").then(date_in_words(value)).when(kind == "number").then(number_in_words(value)).otherwise(text_in_words(value))


WELL_FORMED_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # a partial date's shape (a malformed date is the pattern rule's)


def precision_prefix(a: pl.Expr, b: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Cut two partial dates to their shared precision, so that 2025-09 and 2025-09-14 compare equal."""
    n = pl.min_horizontal(a.str.len_chars(), b.str.len_chars())
    return a.str.slice(0, n), b.str.slice(0, n)


def closest(value: str, candidates: list[str], limit: int = 1) -> list[str]:
    """The candidates nearest to value (difflib ratio), best first, for 'did you mean' hints."""
    import difflib

    return difflib.get_close_matches(value, candidates, n=limit, cutoff=0.6)


def note_text(columns: Collection[str]) -> pl.Expr:
    """A row's note as text, empty where it has none or where the table (its `columns`) has no note column."""
    return pl.col("note").cast(pl.String).fill_null("") if "note" in columns else pl.lit("")


def explained(note: pl.Expr, column: str) -> pl.Expr:
    """The note has a clause that explains `column`: 'column: ...' at its start or after '. ' or '; '.

    Literal matching: a column name is never put into a pattern (a name with regex characters cannot break it).
    """
    clause = f"{column}:"
    return note.str.starts_with(clause) | note.str.contains(f". {clause}", literal=True) | note.str.contains(f"; {clause}", literal=True)

"""The per-file rules of validate/archive.py as vectorised steps: the polars pattern for markup finds what Python's
finds, and each step reports exactly the rows the per-file function fails."""

from __future__ import annotations

import re

import polars as pl
import pytest

from validate.archive import MARKUP, MARKUP_POLARS, bad_headers, excerpt_header, excerpt_markup, markup_held, title_not_printed, unprinted_titles

BMP = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]  # every case pair of an ASCII letter, every white space


@pytest.mark.parametrize(("python", "polars"), [("[A-Za-z]", r"[A-Za-z\x{130}\x{131}]"), (r"\s", r"[\s\x1c-\x1f]")])
def test_the_markup_patterns_classes_hold_the_same_characters_in_python_and_polars(python, polars):
    expected = [re.fullmatch(python, c, re.IGNORECASE) is not None for c in BMP]
    assert pl.Series(BMP).str.contains(f"(?i)^{polars}$").to_list() == expected
    assert polars in MARKUP_POLARS and python in MARKUP.pattern


TEXTS = ["plain text", "a <b>bold</b> word", "<İmg src=x>", "<ıx>", "<a\x1cfoo>", "&amp;", "&amp", "&#123;", "&#x1F;", "&#;",
         "<!DOCTYPE html>", "<!--", "< a>", "a<b", "&ſ;", "<K>", "<br/>", "<a\u00a0href>", "<a\u2028x>", "x\n\n<p>"]


def frame(**columns: list[object]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    base: dict[str, list[object]] = {"row": list(range(n)), "path": [f"sources/{i}.txt" for i in range(n)], "extent": ["excerpt"] * n,
                                     "url": ["https://example.org/a"] * n, "url_checked_date": ["2025-06-01"] * n, "title": [None] * n,
                                     "title_supplied": [None] * n, "digest": [str(i) for i in range(n)]}
    return pl.DataFrame(base | columns, schema_overrides={"title": pl.String, "title_supplied": pl.String})


def test_markup_is_reported_where_and_as_the_python_pattern_finds_it():
    found = markup_held(frame(text=TEXTS))
    assert [(f.row, f.message) for f in found] == [(i, excerpt_markup(t)) for i, t in enumerate(TEXTS) if excerpt_markup(t)]
    assert len(found) == sum(MARKUP.search(t) is not None for t in TEXTS) > 10


HEADER = "Address: https://example.org/a\nConsulted: 2025-06-01"


@pytest.mark.parametrize(("url", "text"), [
    ("https://example.org/a", HEADER + "\nbody"), ("https://example.org/a", HEADER), ("https://example.org/a", HEADER.replace("\n", "\r\n") + "\r\n"),
    ("https://example.org/a", HEADER + "\r\rx\n"), ("https://example.org/a", "Address: https://example.org/a"), ("https://example.org/a", ""),
    ("https://example.org/a\r", HEADER + "\n"), ("https://example.org/a\nConsulted: 2025-06-01", HEADER + "\n"), (None, "Address: \nConsulted: 2025-06-01\n"),
    ("https://example.org/a", "Consulted: 2025-06-01\nAddress: https://example.org/a\n"),
])
def test_an_excerpts_header_is_reported_exactly_where_excerpt_header_fails(url, text):
    found = bad_headers(frame(text=[text], url=[url]))
    assert [f.message for f in found] == ([why] if (why := excerpt_header(text, url, "2025-06-01")) else [])


@pytest.mark.parametrize(("title", "text"), [
    ("Spaceland Almanac", "the spaceland almanac, 2025"), ("SPACELAND", "Spaceland"), ("Kelvin", "\u212aelvin"), ("İstanbul", "istanbul"),
    ("Türkiye", "TÜRKIYE"), ("a.*b", "a and b"), ("Almanac", "an almanack"), ("the Gazette", "no title here"), ("session", "ſeſſion"),
])
def test_a_title_is_reported_exactly_where_title_not_printed_fails(title, text):
    files = frame(title=[title], extent=["document"], text=[text])
    found = unprinted_titles(files, pl.DataFrame({"digest": ["0"], "text": [text]}))
    assert [f.message for f in found] == ([why] if (why := title_not_printed(title, text)) else [])

"""Cell rules on single cells: what a working note is, and that verbatim quotes are exempt."""

from __future__ import annotations

import polars as pl
import pytest

from validate.cells import WORKING_NOTE, WORKING_NOTE_CELLS, check


@pytest.mark.parametrize(("note", "phrase"), [
    ("TODO: check the decree", "TODO"), ("tbd.", "tbd"), ("FixMe", "FixMe"), ("a XXX mark", "XXX"),
    ("New  Column launch_mission", "New  Column"), ("new agency_id for the operator", "new agency_id"), ("new entity id x", "new entity"),
    ("the founding date, if found", "if found"), ("archived in this session", "in this session"),
])
def test_working_note_phrases_match_as_whole_words_in_any_case(note, phrase):
    assert pl.select(pl.lit(note).str.extract(WORKING_NOTE, 1)).item() == phrase


@pytest.mark.parametrize("note", ["todos of the agency", "XXXL satellite", "a newcolumn", "renewed entity", "tbdx", "found in this sessional paper",
                                  "the column is new"])
def test_words_that_only_contain_a_phrase_are_no_working_note(note):
    assert not pl.select(pl.lit(note).str.contains(WORKING_NOTE)).item()


def test_a_working_note_is_reported_in_prose_and_not_in_a_verbatim_quote():
    strings = pl.DataFrame({"quote": ["the plan, TBD, was announced"], "note": ["Organiser: TBD"]})
    found = check("citations", strings, {"quote", "note"}, True, frozenset({"quote"}))
    assert [(f.rule, f.column, f.line) for f in found] == [("working-note", "note", 2)]
    assert "'tbd'" in found[0].message and "docs/research/" in found[0].hint


def test_the_screens_working_note_pattern_matches_the_same_cells_as_the_word_boundary_one():
    """WORKING_NOTE_CELLS replaces WORKING_NOTE's \\b with a non-word character or the edge: beside every character of the
    Basic Multilingual Plane (word characters, marks, spaces, punctuation), at a phrase's start and at its end."""
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    cells = pl.DataFrame({"cell": [c + p for c in chars for p in ("todo", "new_column")] + [p + c for c in chars for p in ("tbd", "in this session")]})
    both = cells.select(pl.col("cell").str.contains(WORKING_NOTE).alias("word"), pl.col("cell").str.contains(WORKING_NOTE_CELLS).alias("cells"))
    assert both.filter(pl.col("word") != pl.col("cells")).height == 0
    assert 0 < both.get_column("word").sum() < both.height

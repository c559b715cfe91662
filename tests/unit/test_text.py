"""Folding, whole words, number words and written dates: the helpers the provenance rules are built on."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest

from validate.text import (
    date_in_words,
    english_months,
    explained,
    fold_text,
    fold_texts,
    note_text,
    number_in_words,
    numbers_of,
    precision_prefix,
    text_in_words,
    words_of,
)


def test_fold_turns_typographic_quotes_and_runs_of_white_space_into_plain_ones():
    assert fold_text("the \u201cSpace\u00a0Days\u201d\n\n  Kazakhstan\u2019s") == 'the "Space Days" Kazakhstan\'s'


def test_fold_normalises_to_nfc():
    assert fold_text(unicodedata.normalize("NFD", "Türkiye")) == "Türkiye"


def test_words_are_lowercased_and_split_on_punctuation():
    assert words_of("The UN-SPIDER program (2025).") == " the un spider program 2025 "


def frame(value: str, quote: str) -> pl.DataFrame:
    words = words_of(quote)
    return pl.DataFrame({"v": [value], "words": [words]}).with_columns(numbers=numbers_of(pl.col("words")), dates=english_months(pl.col("words")))


@pytest.mark.parametrize(("value", "quote", "expected"), [
    ("UN-SPIDER", "including the UN-SPIDER program", True),
    ("ACE", "the space agency", False),  # inside a word is not a word
    ("Airbus", "such as Airbus (France)", True),
])
def test_text_matches_whole_words(value, quote, expected):
    assert frame(value, quote).select(text_in_words(pl.col("v"))).item() is expected


@pytest.mark.parametrize(("quote", "numbers"), [
    ("the fourth meeting", " 4 "), ("the IV international workshop", " 4 "), ("68th session", " 68 "),
    ("over 700 participants from 50 countries", " 700 50 "), ("I went", "  "),
])
def test_numbers_are_read_from_digits_words_ordinals_and_roman_numerals(quote, numbers):
    assert frame("", quote).get_column("numbers").item() == numbers


@pytest.mark.parametrize(("value", "quote", "expected"), [
    ("1947-03-28", "It was established on March 28, 1947.", True),
    ("2025-06-25", "(25 June 2025)", True),
    ("2025-09", "in September 2025", True),
    ("2025-09-05", "05.09.2025, 18:40", True),
    ("2025-09-01", "in September 2025", False),  # a day padded onto a month
    ("2022-01-01", "Since 2022", False),  # a year padded to 1 January
    ("2022", "Since 2022", True),
    ("2021", "Since 2022", False),
])
def test_dates_match_at_their_precision_in_written_forms(value, quote, expected):
    assert frame(value, quote).select(date_in_words(pl.col("v"))).item() is expected


@pytest.mark.parametrize(("value", "quote", "expected"), [
    ("2006-06-17", "Er wurde am 17. Juni 2006 um 22:44 Uhr UTC gestartet", True),
    ("2006-06-17", "Il a été lancé le 17 juin 2006", True),
    ("2014-04-28", "запуск состоялся 28 апреля 2014 года", True),
    ("2014-04", "im April 2014", True),
    ("2006-06-18", "Er wurde am 17. Juni 2006 gestartet", False),  # another day in another language is still another day
    ("2014-03", "28 апреля 2014 года", False),
])
def test_dates_written_in_german_french_and_russian_are_found(value, quote, expected):
    assert frame(value, quote).select(date_in_words(pl.col("v"))).item() is expected


@pytest.mark.parametrize(("value", "quote", "expected"), [
    ("58.5", "at 58,5 degrees East", True),
    ("58.5", "at 58.5 degrees East", True),
    ("1092", "Die Startmasse beträgt 1.092 kg", True),
    ("4707", "Launch mass 4,707 kilograms", True),
    ("1330", "the Kazakh 1,330kg satellite", False),  # glued to its unit: not a whole number, explained in a note instead
    ("58.5", "at 58 degrees and 5 minutes", False),
    ("12", "a design life of 12 years", True),
    ("1092", "weighs 1,093 kg", False),
])
def test_numbers_are_found_with_decimal_commas_and_thousands_separators(value, quote, expected):
    assert frame(value, quote).select(number_in_words(pl.col("v"))).item() is expected


def test_precision_prefix_compares_dates_at_their_shared_precision():
    df = pl.DataFrame({"a": ["2025-09"], "b": ["2025-09-14"]})
    a, b = precision_prefix(pl.col("a"), pl.col("b"))
    assert df.select(a == b).item()


@pytest.mark.parametrize(("note", "expected"), [
    ("start_date: resolved.", True), ("A note. start_date: resolved.", True), ("x; start_date: y", True),
    ("the start_date: is not a clause", False), ("end_date: resolved.", False),
])
def test_a_note_explains_a_column_in_a_clause_that_starts_with_its_name(note, expected):
    assert pl.DataFrame({"n": [note]}).select(explained(pl.col("n"), "start_date")).item() is expected


def test_a_column_name_with_regex_characters_is_matched_literally():
    assert pl.DataFrame({"n": ["acronym.*([: kept"]}).select(explained(pl.col("n"), "acronym.*([")).item()


def test_many_texts_are_folded_in_one_pass_each_to_its_own_key():
    texts = {"a": "the \u201cSpace\u00a0Days\u201d\n\n  Kazakhstan\u2019s", "b": unicodedata.normalize("NFD", "Türkiye  and\tKazSat"), "c": ""}
    assert fold_texts(texts) == {"a": 'the "Space Days" Kazakhstan\'s', "b": "Türkiye and KazSat", "c": ""}


@pytest.mark.parametrize(("value", "quote", "expected"), [
    ("2006-06-17", "S29230\t2006-022A\tKazSat\t2006 Jun 17\t2008 Oct", True),  # a GCAT line
    ("2008-10", "S29230\t2006-022A\tKazSat\t2006 Jun 17\t2008 Oct", True),
    ("2014-09-15", "Kazsat-3 2014 Apr 28 2023 Sep 15", True),
    ("2006-06-18", "KazSat 2006 Jun 17", False),  # another day in a catalogue's abbreviation is still another day
    ("2008-11", "KazSat 2006 Jun 17 2008 Oct", False),
])
def test_dates_written_with_english_month_abbreviations_as_catalogues_write_them(value, quote, expected):
    assert frame(value, quote).select(date_in_words(pl.col("v"))).item() is expected


def test_a_note_is_its_text_and_a_missing_note_is_empty():
    frame = pl.DataFrame({"note": ["why", None]})
    assert frame.select(note_text(frame.columns)).to_series().to_list() == ["why", ""]
    assert frame.select(note_text(["other"])).to_series().to_list() == [""]

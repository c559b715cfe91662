"""The evidence table (validate/evidence.py): integer keys that answer exactly what the text comparisons answered, and
each (name, quote) pair searched once per run."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from validate import csvfile, model, provenance, types
from validate.evidence import ID, Evidence, phrase
from validate.text import text_in_words, with_words

WORDS = st.sampled_from(["Kazakhstan", "KazSat-3", "the", "Agency", "Baikonur", "UN", "Ğalam", "space", "'Galam'", "1991"])


def evidence(names: list[str], quotes: list[str]) -> Evidence:
    table = pl.DataFrame({"__name": names}).unique(maintain_order=True).with_row_index("__nid")
    table = table.with_columns(pl.col("__nid").cast(ID), __phrase=phrase(pl.col("__name")), __meaningful=pl.lit(True))
    words = with_words(pl.DataFrame({"quote": quotes}).with_row_index("__q"), pl.col("quote").str.to_lowercase())
    empty = pl.DataFrame()
    return Evidence(empty, table, empty, empty, empty, words.select(pl.col("__q").cast(ID), "words"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=4),
       st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=4))
def test_a_name_is_in_a_quote_exactly_where_the_text_comparison_says(names, quotes):
    ev = evidence(names, quotes)
    pairs = ev.names.select("__nid").join(ev.words.select("__q"), how="cross")
    got = set(ev.in_quotes(pairs).collect().iter_rows())
    expected = set(ev.names.select("__nid", "__name").join(ev.words, how="cross").with_columns(quote=pl.col("words"))
                   .filter(text_in_words(pl.col("__name"))).select("__nid", "__q").iter_rows())
    assert got == expected


def test_each_pair_is_searched_once_and_answered_the_same_again():
    ev = evidence(["Baikonur", "KazSat-3"], ["launched from Baikonur", "the KazSat 3 satellite"])
    first = pl.DataFrame({"__nid": [0, 1], "__q": [0, 0]}, schema={"__nid": ID, "__q": ID})
    assert set(ev.in_quotes(first).collect().iter_rows()) == {(0, 0)}
    assert ev.tested.height == 2
    both = pl.DataFrame({"__nid": [0, 1, 1], "__q": [0, 0, 1]}, schema={"__nid": ID, "__q": ID})
    assert set(ev.in_quotes(both).collect().iter_rows()) == {(0, 0), (1, 1)}
    assert ev.tested.height == 3  # only (1, 1) was new


def test_a_clause_names_a_record_only_by_whole_words():
    ev = evidence(["KazSat"], ["any quote"])
    rows = pl.DataFrame({"__row": [0, 1, 2], "__nid": [0, 0, 0], "__clause": ["as KazSat's operator says", "KazSatellite", ""]},
                        schema={"__row": pl.UInt32, "__nid": ID, "__clause": pl.String})
    assert ev.in_text(rows, "__clause", "__nid").collect().get_column("__row").to_list() == [0]


def test_every_citation_of_the_package_cites_a_numbered_record(fixture):
    package, _ = model.load(fixture)
    frames = {}
    for table in package.tables.values():
        read = csvfile.read(table)
        frames[table.name], _, _ = types.cast([f.raw for f in table.fields], table.name, read.strings)
    found, quotes = provenance.check(package, frames)
    assert found == [] and quotes is not None
    ev = quotes.evidence
    assert set(ev.cites.get_column("__row").to_list()) == set(range(frames["citations"].height))
    assert ev.records.select("__res", "__key").is_duplicated().sum() == 0
    cited = ev.cites.join(ev.records, on="__rid").select("__res").unique().get_column("__res").to_list()
    assert set(cited) <= set(package.cited_tables())

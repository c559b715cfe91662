"""The identifier columns of the real Table Schemas refuse a value that would break a join (issue 18): the fault corpus
damages the fixture, which has no satellites, so these cases run on a one-cell copy of the real tables."""

from __future__ import annotations

import functools

import polars as pl
import pytest
from conftest import ROOT

from validate import schema_checks, types
from validate.model import Package, load


@functools.cache
def package() -> Package:
    """The real package's model, read when a test first needs it: not while pytest collects, in every worker."""
    return load(ROOT)[0]


CASES = [  # table, key, column, value, rule
    ("satellites", "kazsat-1", "norad_id", "029230", "type"),
    ("satellites", "kazsat-1", "norad_id", "+29230", "type"),
    ("satellites", "kazsat-1", "wikidata_id", "Q0123", "pattern"),
    ("satellites", "kazsat-1", "wikidata_id", "q123", "pattern"),
    ("satellites", "kazsat-1", "cospar_id", "2006-22A", "pattern"),
    ("satellites", "kazsat-1", "cospar_id", "2006-000A", "pattern"),
    ("satellites", "kazsat-1", "cospar_id", "2006-022I", "pattern"),
    ("satellites", "kazsat-1", "cospar_id", "1956-001A", "pattern"),
    ("satellites", "kazsat-1", "gcat_jcat", "S029230", "pattern"),
    ("satellites", "kazsat-1", "un_registration_document", "ST/SG/SER.E/0509", "pattern"),
    ("satellites", "kazsat-1", "un_registration_document", "ST/SG/SER.E/509.", "pattern"),
    ("retired_ids", None, "version", "0.04.0", "pattern"),
]


def rules_for(name: str, key: str | None, column: str, value: str | None) -> set[str]:
    table = package().tables[name]
    strings = pl.read_csv(table.path, infer_schema=False)
    pk = table.primary_key[0]
    at = pl.int_range(pl.len()) == 0 if key is None else pl.col(pk) == key
    if value is not None:
        strings = strings.with_columns(pl.when(at).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))
    typed, found, unparsed = types.cast([f.raw for f in table.fields], name, strings)
    found += schema_checks.check(table, typed, unparsed)
    return {f.rule for f in found if f.column == column or column in f.column.split(",")}


@pytest.mark.parametrize(("name", "key", "column", "value", "rule"), CASES, ids=[f"{c[2]}={c[3]}" for c in CASES])
def test_identifier_that_breaks_joins_is_refused(name, key, column, value, rule):
    assert rules_for(name, None, column, None) == set()  # the real column passes
    assert rule in rules_for(name, key, column, value)


def test_a_wikidata_item_names_one_satellite():
    table = package().tables["satellites"]
    strings = pl.read_csv(table.path, infer_schema=False).with_columns(
        pl.when(pl.col("satellite_id").is_in(["kazsat-1", "kazsat-2"])).then(pl.lit("Q123")).otherwise(pl.col("wikidata_id")).alias("wikidata_id"))
    typed, _, unparsed = types.cast([f.raw for f in table.fields], "satellites", strings)
    assert "unique" in {f.rule for f in schema_checks.check(table, typed, unparsed) if f.column == "wikidata_id"}

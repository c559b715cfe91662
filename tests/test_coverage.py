"""The coverage report and the disagreements it lists: no claimed value is ever collapsed out of sight.

Tests that only read use the repository's package; those that edit it, a copy."""

from __future__ import annotations

import polars as pl
from conftest import ROOT
from edit import set_cell

from validate import coverage
from validate.model import load


def claimed(root) -> pl.DataFrame:
    """Every claim of the package: (table, record, column, value), read straight from the CSVs."""
    package, _ = load(root)
    citations = pl.read_csv(root / "tables" / "citations.csv", infer_schema=False).filter(pl.col("claim_column").is_not_null())
    parts = [citations.filter(pl.col(key).is_not_null()).select(pl.lit(table).alias("table"), pl.col(key).alias("record"),
                                                                 pl.col("claim_column").alias("column"), pl.col("claim_value").alias("value"))
             for table, key in package.cited_tables().items()]
    return pl.concat(parts)


def test_every_disagreement_is_listed_with_all_its_values():
    claims = claimed(ROOT)
    split = claims.group_by("table", "record", "column").agg(pl.col("value").unique().sort().alias("values")).filter(pl.col("values").list.len() > 1)
    assert split.height > 0, "the package records disagreements (UTC and local launch dates at least)"
    listed = coverage.disagreements(load(ROOT)[0], coverage.frames_of(load(ROOT)[0]))
    assert sorted(split.select("table", "record", "column", "values").rows()) == sorted(listed.select("table", "record", "column", "values").rows())
    for table, record, column, preferred, values in listed.select("table", "record", "column", "preferred", "values").iter_rows():
        assert preferred is not None and any(preferred == v or _same_number(preferred, v) for v in values), (table, record, column)


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def test_a_new_disagreement_appears_in_the_report(package):
    """Add a second, different claim for one record's column: the report lists it at once."""
    claims = claimed(package)
    single = claims.group_by("table", "record", "column").agg(pl.col("value").n_unique().alias("n")).filter(pl.col("n") == 1)
    _table, record, column = single.filter(pl.col("table") == "satellites").select("table", "record", "column").row(0)
    path = package / "tables" / "citations.csv"
    frame = pl.read_csv(path, infer_schema=False)
    row = frame.filter((pl.col("satellite_id") == record) & (pl.col("claim_column") == column)).head(1)
    frame = pl.concat([frame, row.with_columns(pl.lit("satellite-test-extra-1").alias("citation_id"), pl.lit("9999").alias("claim_value"))])
    frame.write_csv(path)
    listed = coverage.disagreements(load(package)[0], coverage.frames_of(load(package)[0]))
    assert listed.filter((pl.col("record") == record) & (pl.col("column") == column)).height == 1


def test_missing_values_are_listed_row_by_row(package):
    frames = coverage.frames_of(load(package)[0])
    launched = frames["satellites"].filter(pl.col("status") == "operating").get_column("satellite_id")[0]
    set_cell(package, "satellites", launched, "launch_vehicle", "")
    text = "\n".join(coverage.missing_rows(coverage.frames_of(load(package)[0]), "satellites"))
    assert f"| `{launched}` |" in text and "`launch_vehicle`" in text.split(f"| `{launched}` |")[1].split("\n")[0]


def test_the_coverage_command_prints_the_report(capsys):
    assert coverage.main([str(ROOT)]) == 0
    assert capsys.readouterr().out == coverage.report(load(ROOT)[0])


def test_each_state_s_standing_is_listed_or_marked_not_found():
    frames = coverage.frames_of(load(ROOT)[0])
    row = next(line for line in coverage.standing(frames) if line.startswith("| KAZ |"))
    assert "member since 1995" in row.split(" | ")[1]
    frames["memberships"] = frames["memberships"].filter(pl.col("membership_id") != "kaz-copuos")
    row = next(line for line in coverage.standing(frames) if line.startswith("| KAZ |"))
    assert row.split(" | ")[1] == "not found"


def test_a_value_is_counted_by_the_best_kind_of_source_behind_it():
    """A value claimed by a mirror alone is listed as resting on a mirror; typed as a catalogue, it no longer is."""
    frames = coverage.frames_of(load(ROOT)[0])
    best = coverage.best_sources(load(ROOT)[0], frames)
    weak = best.filter(pl.col("best") == "mirror")
    assert weak.height > 0, "the package still holds values that rest on a mirror copy"
    table, record, column = weak.select("table", "record", "column").row(0)
    citations = frames["citations"]
    cited_as = load(ROOT)[0].cited_tables()[table]
    claiming = citations.filter((pl.col(cited_as) == record) & (pl.col("claim_column") == column)).get_column("source_id").unique().to_list()
    frames["sources"] = frames["sources"].with_columns(
        pl.when(pl.col("source_id").is_in(claiming)).then(pl.lit("catalogue")).otherwise(pl.col("source_type")).alias("source_type"))
    again = coverage.best_sources(load(ROOT)[0], frames)
    assert again.filter((pl.col("record") == record) & (pl.col("column") == column)).get_column("best").to_list() == ["catalogue"]
    assert f"| {table} | `{record}` | `{column}` |" in "\n".join(coverage.source_kinds(load(ROOT)[0], coverage.frames_of(load(ROOT)[0])))


def test_the_source_ranking_names_exactly_the_source_types_of_the_schema():
    """The ranking is an order over the one vocabulary of `sources.source_type`; a type added to the schema must be ranked."""
    import json
    from pathlib import Path

    schema = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "sources.schema.json").read_text("utf-8"))
    enum = next(f for f in schema["fields"] if f["name"] == "source_type")["constraints"]["enum"]
    assert sorted(coverage.SOURCE_RANK) == sorted(enum)

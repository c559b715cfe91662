"""The time rules' helpers: partial dates as intervals, and the day of the run fixed by a test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from validate import timeline

FIXTURE = Path(__file__).resolve().parents[1] / "fixture"


@pytest.mark.parametrize(("a", "b", "after"), [
    ("2025-04", "2025-03-30", True),  # no day of April 2025 is on or before 30 March
    ("2025-04", "2025-04-30", False),  # 30 April is a day of April
    ("2025", "2025-12-31", False),
    ("2026", "2025-12-31", True),
    ("2025-04-02", "2025-04-01", True),
    ("2025-04-01", "2025-04-01", False),
])
def test_a_partial_date_is_after_another_only_when_no_day_of_it_can_be(a, b, after):
    frame = pl.DataFrame({"a": [a], "b": [b]})
    assert frame.select(timeline.wholly_after(pl.col("a"), pl.col("b"))).item() is after


@pytest.mark.parametrize(("date", "first", "last"), [
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2025-02-28", dt.date(2025, 2, 28), dt.date(2025, 2, 28)),
    ("2025-02-30", None, None),  # no calendar date: calendar-date's, not compared here
])
def test_the_interval_of_a_partial_date(date, first, last):
    lo, hi = timeline.interval(pl.col("d"))
    assert pl.DataFrame({"d": [date]}).select(lo.alias("lo"), hi.alias("hi")).row(0) == (first, last)


def test_the_day_of_the_run_can_be_fixed():
    """The fixture's excerpts were consulted on 1 and 2 June 2025: in the future for a run on 1 June."""
    from validate.model import load
    from validate.run import check_table

    package, _ = load(FIXTURE)
    frames = {t.name: check_table(t).frame for t in package.tables.values()}
    assert not [f for f in timeline.check(package, frames, today=dt.date(2025, 6, 2)) if f.rule == "consulted-date"]
    late = [f for f in timeline.check(package, frames, today=dt.date(2025, 6, 1)) if f.rule == "consulted-date"]
    assert [(f.table, f.line, f.column, f.value) for f in late] == [("sources", 4, "url_checked_date", "2025-06-02"),
                                                                     ("sources", 5, "url_checked_date", "2025-06-02")]


def test_every_state_act_the_schema_allows_has_its_place_in_the_order():
    """act-order orders a state's acts by timeline.STATE_ACTS: an action the Table Schema allows and the map lacks would
    be left out of the rule silently, so the two vocabularies must agree."""
    import json

    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "agreement_actions.schema.json").read_text("utf-8"))
    (action,) = [f for f in schema["fields"] if f["name"] == "action"]
    assert set(action["constraints"]["enum"]) == set(timeline.STATE_ACTS)


@pytest.mark.parametrize(("table", "key", "column", "early", "fits"), [
    ("agreement_actions", "kaz-outer-space-treaty-accession", "action_date", "1990", "1991"),  # Kazakhstan: 1991-12-16
    ("memberships", "uzb-copuos", "start_date", "1991-07", "1991-08"),  # Uzbekistan: 1991-08-31
])
def test_no_state_acts_or_joins_before_it_came_into_being(table, key, column, early, fits):
    """On the real package's frames, one cell set to a date that holds the day the state came into being, then to one
    wholly before it: only the second is reported, at that row and column."""
    from validate.model import load
    from validate.run import check_table

    package, _ = load(FIXTURE.parents[1])
    frames = {t.name: check_table(t).frame for t in package.tables.values()}
    pk = package.tables[table].primary_key[0]
    row = frames[table].get_column(pk).to_list().index(key)

    def found(value: str) -> list[tuple[str, int | None, str | None, str | None]]:
        changed = dict(frames, **{table: frames[table].with_columns(pl.when(pl.col(pk) == key).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))})
        return [(f.table, f.line, f.column, f.value) for f in timeline.check(package, changed) if f.rule == "before-founding"]

    assert found(fits) == []  # a year that holds the day the state came into being
    assert found(early) == [(table, row + 2, column, early)]

"""The README figures (issue 12): fresh, reproducible, driven by the tables, honest about what they leave out."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from matplotlib.text import Text

from docsgen import figures
from docsgen.figures.drawing import style, text_overlaps
from docsgen.figures.network import network_data
from docsgen.figures.tables import Tables, parse_span, read_tables
from docsgen.figures.timeline import timeline_data, timeline_figure

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def committed() -> tuple[dict[str, bytes], dict[str, list[tuple[str, str]]]]:
    """The repository's figures drawn once for the module: their bytes, and the texts in each that overlap."""
    with style():
        built = figures.figures(ROOT)
        rendered = figures.save_all(built)
        overlaps = {name: text_overlaps(fig, draw=False) for name, fig in built.items()}
    return rendered, overlaps


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package's tables, schemas and descriptor, to edit."""
    for folder in ("tables", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copyfile(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    return tmp_path


def _edit(path: Path, column: str, values: list[str]) -> None:
    frame = pl.read_csv(path, infer_schema=False)
    frame.with_columns(pl.Series(column, values, dtype=pl.String)).write_csv(path)


def _figure_text(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(Text)).replace("\n", " ")


def test_the_committed_figures_are_not_stale(committed):
    rendered, _ = committed
    assert sorted(rendered) == sorted(f"{name}.{fmt}" for name in figures.NAMES for fmt in ("svg", "png"))
    assert figures.stale(ROOT, rendered=rendered) == [], "the figures in docs/figures are out of date: run python -m docsgen"


def test_no_text_overlaps_another(committed):
    _, overlaps = committed
    assert overlaps == {name: [] for name in figures.NAMES}


def test_a_changed_table_changes_the_figure(package, committed):
    rendered, _ = committed
    path = package / "tables" / "satellites.csv"
    statuses = pl.read_csv(path, infer_schema=False)["status"].fill_null("").to_list()
    assert statuses, "the test needs a satellite to edit"
    statuses[0] = "planned" if statuses[0] == "operating" else "operating"
    _edit(path, "status", statuses)
    changed = figures.render(package, names=("satellites",))
    assert changed["satellites.svg"] != rendered["satellites.svg"]
    assert changed["satellites.png"] != rendered["satellites.png"]
    assert figures.stale(package, out_dir=ROOT / figures.OUT_DIR, rendered=changed) == ["satellites.png", "satellites.svg"]


def test_a_row_with_no_date_is_counted_in_the_caption(package):
    path = package / "tables" / "events.csv"
    n = pl.read_csv(path, infer_schema=False).height
    assert n >= 2, "the test needs two events"
    _edit(path, "start_date", ["2024-05"] * n)
    tables = read_tables(package)
    assert timeline_data(tables).left_out["event"] == 0
    _edit(path, "start_date", ["", *["2024-05"] * (n - 1)])
    tables = read_tables(package)
    data = timeline_data(tables)
    assert data.left_out["event"] == 1 and sum(item.kind == "event" for item in data.items) == n - 1
    with style():
        text = _figure_text(timeline_figure(tables))
    assert f"Left out for want of a date: 1 of {n} events (start_date)" in text


def test_a_launch_date_puts_a_launch_on_the_timeline(package):
    path = package / "tables" / "satellites.csv"
    frame = pl.read_csv(path, infer_schema=False)
    country = frame["country_id"].fill_null("").to_list()
    dates = [""] * frame.height
    dates[0] = "2014-04"
    _edit(path, "launch_date", dates)  # added if the table does not have the column yet
    data = timeline_data(read_tables(package))
    launches = [item for item in data.items if item.kind == "launch"]
    assert [(item.lane, item.span.middle) for item in launches] == [(country[0], datetime(2014, 4, 16))]
    assert data.left_out["launch"] == frame.height - 1


@pytest.mark.parametrize(
    ("value", "middle", "precision"),
    [
        ("2014", datetime(2014, 7, 2, 12), "year"),
        ("2024", datetime(2024, 7, 2), "year"),
        ("2014-04", datetime(2014, 4, 16), "month"),
        ("2024-02", datetime(2024, 2, 15, 12), "month"),
        ("2014-04-30", datetime(2014, 4, 30, 12), "day"),
    ],
)
def test_partial_dates_are_placed_mid_year_and_mid_month(value, middle, precision):
    span = parse_span(value)
    assert span is not None and span.middle == middle and span.precision == precision


@pytest.mark.parametrize("value", ["", "2014-13", "2014-02-30", "14", "2014/04", "2014-4"])
def test_a_value_that_is_not_a_date_is_no_date(value):
    assert parse_span(value) is None


def test_a_treaty_is_a_node_linked_to_its_parties_not_a_clique():
    tables: Tables = {
        "countries": [{"country_id": code, "name": code} for code in ("AAA", "BBB", "CCC")],
        "agencies": [],
        "agreements": [{"agreement_id": "outer-space-treaty", "agreement_type": "treaty", "status": "in-force"}],
        "agreement_parties": [{"agreement_id": "outer-space-treaty", "party_country_id": code, "party_agency_id": ""} for code in ("AAA", "BBB", "CCC")],
        "memberships": [],
    }
    data = network_data(tables)
    treaty = "treaty:outer-space-treaty"
    assert sorted(data.edges) == [(f"country:{code}", treaty, "treaty") for code in ("AAA", "BBB", "CCC")]
    assert data.graph.nodes[treaty]["kind"] == "treaty" and data.graph.nodes[treaty]["label"] == "Outer Space\nTreaty"
    assert not data.not_drawn


def test_treaty_acts_are_drawn_in_the_states_lanes_and_undated_ones_counted(package):
    path = package / "tables" / "agreement_actions.csv"
    frame = pl.read_csv(path, infer_schema=False)
    n = frame.height
    assert n >= 2, "the test needs two treaty acts"
    _edit(path, "action_date", ["", *["2001-01-11"] * (n - 1)])
    tables = read_tables(package)
    data = timeline_data(tables)
    acts = [item for item in data.items if item.kind == "treaty act"]
    assert sorted(item.lane for item in acts) == sorted(frame["country_id"].to_list()[1:])
    assert data.left_out["treaty act"] == 1 and data.total["treaty act"] == n
    with style():
        fig = timeline_figure(tables)
        text = _figure_text(fig)
        assert text_overlaps(fig) == []
    assert f"1 of {n} treaty acts (action_date)" in text
    assert "treaty act, e.g. accession (action_date)" in text

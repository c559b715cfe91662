"""The README figures (issues 12 and 19): fresh, reproducible, driven by the tables, honest about what they leave out."""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from conftest import once_per_run
from matplotlib.text import Text

from docsgen import figures
from docsgen.figures.colours import delta_e2000, simulate
from docsgen.figures.drawing import style, text_overlaps, texts_outside
from docsgen.figures.network import LINK_STYLES, key_entries, link_style, network_data, short_label
from docsgen.figures.satellites import STATUS_COLOURS, STATUS_OTHER
from docsgen.figures.tables import Tables, parse_span, read_tables
from docsgen.figures.timeline import event_bounds, timeline_data, timeline_drawing, timeline_figure

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def committed(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, list[tuple[str, str]]], dict[str, list[str]]]:
    """The repository's figures drawn once per run (conftest.once_per_run: the drawing is the module's largest cost, and
    the workers share it): their bytes, the texts in each that overlap, those cut off."""

    def draw(folder: Path) -> None:
        with style():
            built = figures.figures(ROOT)
            for name, data in figures.save_all(built).items():
                (folder / name).write_bytes(data)
            overlaps = {name: text_overlaps(fig, draw=False) for name, fig in built.items()}
            outside = {name: texts_outside(fig, draw=False) for name, fig in built.items()}
        (folder / "texts.json").write_text(json.dumps({"overlaps": overlaps, "outside": outside}), "utf-8")

    folder = once_per_run(tmp_path_factory, "figures", draw)
    texts = json.loads((folder / "texts.json").read_text("utf-8"))
    rendered = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "texts.json"}
    overlaps = {name: [tuple(pair) for pair in pairs] for name, pairs in texts["overlaps"].items()}
    return rendered, overlaps, texts["outside"]


@pytest.fixture(scope="module")
def network():
    """The package's network figure, drawn once for the module's tests that look inside it (they only read it)."""
    with style():
        return figures.figures(ROOT, names=("network",))["network"]


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
    rendered, *_ = committed
    assert sorted(rendered) == sorted(f"{name}.{fmt}" for name in figures.NAMES for fmt in ("svg", "png"))
    assert figures.stale(ROOT, rendered=rendered) == [], "the figures in docs/figures are out of date: run python -m docsgen"


def test_no_text_overlaps_another(committed):
    _, overlaps, _ = committed
    assert overlaps == {name: [] for name in figures.NAMES}


def test_a_changed_table_changes_the_figure(package, committed):
    rendered, *_ = committed
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
    path = package / "tables" / "memberships.csv"
    n = pl.read_csv(path, infer_schema=False).height
    assert n >= 2, "the test needs two memberships"
    _edit(path, "start_date", ["2024-05"] * n)
    assert timeline_data(read_tables(package)).left_out["membership"] == 0
    _edit(path, "start_date", ["", *["2024-05"] * (n - 1)])
    tables = read_tables(package)
    data = timeline_data(tables)
    assert data.left_out["membership"] == 1 and len({item.key for item in data.items if item.kind == "membership"}) == n - 1
    with style():
        text = _figure_text(timeline_figure(tables))
    assert f"1 of {n} memberships (start_date)" in text


def _event_ids(root: Path) -> list[str]:
    return sorted(pl.read_csv(root / "tables" / "events.csv", infer_schema=False)["event_id"].to_list())


def test_every_event_is_drawn_dated_or_not():
    """Issue 19: the timeline drew only the events with a start_date; it draws every one, over its bounds if need be."""
    with style():
        _fig, drawn = timeline_drawing(read_tables(ROOT))
    events = [item for item in drawn if item.kind == "event"]
    assert sorted(item.key for item in events) == _event_ids(ROOT)
    assert {item.how for item in events} >= {"date", "bounds"}, "the tables have events with a date and events with only bounds"


def test_an_event_with_bounds_or_none_is_drawn_not_left_out(package):
    path = package / "tables" / "events.csv"
    frame = pl.read_csv(path, infer_schema=False)
    n = frame.height
    assert n >= 3, "the test needs three events"
    empty = [""] * n
    for column in ("start_date", "end_date", "earliest_date", "latest_date", "series_since", "status_as_of"):
        _edit(path, column, empty)
    _edit(path, "earliest_date", ["2024-01", "2024-03-05", *[""] * (n - 2)])
    _edit(path, "latest_date", ["2024-06-15", "", *[""] * (n - 2)])
    tables = read_tables(package)
    data = timeline_data(tables)
    assert data.left_out["event"] == 0
    items = {item.key: item for item in data.items if item.kind == "event"}
    ids = frame["event_id"].to_list()
    assert (items[ids[0]].earliest, items[ids[0]].latest) == (datetime(2024, 1, 1), datetime(2024, 6, 16))
    assert (items[ids[1]].earliest, items[ids[1]].latest) == (datetime(2024, 3, 5), None)
    assert all(items[key].how == "undated" for key in ids[2:])
    with style():
        fig, drawn = timeline_drawing(tables)
        text = _figure_text(fig)
        assert text_overlaps(fig) == []
    assert sorted(item.key for item in drawn if item.kind == "event") == sorted(ids)
    assert f"{n - 2} with no bound, in the column on the right" in text
    assert "no date: start between bounds" in text and "no date: start after → or before ←" in text


@pytest.mark.parametrize(
    ("row", "earliest", "latest"),
    [
        ({"earliest_date": "2025-04-26"}, datetime(2025, 4, 26), None),
        ({"latest_date": "2025-06-25"}, None, datetime(2025, 6, 26)),
        ({"latest_date": "2025"}, None, datetime(2026, 1, 1)),
        ({"series_since": "2023", "status": "ongoing", "status_as_of": "2025-04-26"}, datetime(2023, 1, 1), datetime(2025, 4, 27)),
        ({"status": "proposed", "status_as_of": "2025-06"}, datetime(2025, 6, 1), None),
        ({"status": "held", "status_as_of": "2025-06", "latest_date": "2025-05-02"}, None, datetime(2025, 5, 3)),
        ({"end_date": "2022-05-11"}, None, datetime(2022, 5, 12)),
        ({}, None, None),
    ],
)
def test_the_bounds_of_an_event_without_a_start_date(row, earliest, latest):
    assert event_bounds(row) == (earliest, latest)


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


def test_no_text_is_cut_off_by_the_edge_of_a_figure(committed):
    """Issue 19: every text, node labels included, lies inside its figure, as the renderer measures it."""
    _, _, outside = committed
    assert outside == {name: [] for name in figures.NAMES}


def test_the_network_labels_are_whole_and_every_abbreviation_is_keyed(network):
    tables = read_tables(ROOT)
    graph = network_data(tables).graph
    labels = {graph.nodes[n]["label"] for n in graph.nodes}
    assert not any("…" in label for label in labels), "a label is cut short"
    long_name = {"agency_id": "x", "name": "Ministry of Development of Information Technologies and Communications of the Republic of Uzbekistan"}
    assert short_label(long_name).replace("\n", " ") == long_name["name"]
    keyed = dict(key_entries(graph))
    codes = {graph.nodes[n]["label"] for n in graph.nodes if graph.nodes[n]["kind"] == "country"}
    acronyms = {row["acronym"] for row in tables["agencies"] if row.get("acronym")} & labels
    assert codes and acronyms and codes | acronyms <= set(keyed)
    assert keyed["KAZ"] == "Kazakhstan" and keyed["OTS"] == "Organization of Turkic States"
    text = _figure_text(network)
    assert "Key to the country codes and acronyms" in text and "Commonwealth of Independent States" in text


def test_stated_and_inferred_links_are_drawn_differently(network):
    tables: Tables = {
        "countries": [{"country_id": code, "name": code} for code in ("AAA", "BBB", "CCC")],
        "agencies": [],
        "agreements": [{"agreement_id": "a1", "agreement_type": "bilateral-cooperation", "status": "active"}],
        "agreement_parties": [
            {"agreement_id": "a1", "party_country_id": "AAA", "party_agency_id": "", "basis": "stated"},
            {"agreement_id": "a1", "party_country_id": "BBB", "party_agency_id": "", "basis": "stated"},
            {"agreement_id": "a1", "party_country_id": "CCC", "party_agency_id": "", "basis": "inferred"},
        ],
        "memberships": [],
    }
    edges = network_data(tables).edges
    styles = {(a, b): link_style(entry) for (a, b, _kind), entry in edges.items()}
    assert styles == {("country:AAA", "country:BBB"): "stated", ("country:AAA", "country:CCC"): "inferred", ("country:BBB", "country:CCC"): "inferred"}
    assert LINK_STYLES["stated"][1] != LINK_STYLES["inferred"][1]
    # The package's own network has both kinds, and draws each in its own line style.
    data = network_data(read_tables(ROOT))
    assert {link_style(entry) for entry in data.edges.values()} >= {"stated", "inferred"}
    drawn = {c.get_gid(): c.get_linestyle()[0] for ax in network.axes for c in ax.collections if (c.get_gid() or "").startswith("links-")}
    assert {"links-stated", "links-inferred"} <= set(drawn)
    assert drawn["links-stated"] != drawn["links-inferred"]


def test_the_status_colours_are_far_apart_also_for_colour_blind_readers():
    """Issue 19: two status colours were hard to tell apart. CIEDE2000 > 20 for every pair; > 12 with protanopia or deuteranopia."""
    colours = {**STATUS_COLOURS, "other": STATUS_OTHER}
    for (a, first), (b, second) in itertools.combinations(colours.items(), 2):
        assert delta_e2000(first, second) > 20, (a, b)
        for deficiency in ("protanopia", "deuteranopia"):
            assert delta_e2000(simulate(first, deficiency), simulate(second, deficiency)) > 12, (a, b, deficiency)


def test_the_colour_difference_matches_published_values():
    from docsgen.figures.colours import delta_e2000_lab

    # Sharma, Wu and Dalal (2005), pairs 1, 2 and 7 of their test data
    assert round(delta_e2000_lab((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425
    assert round(delta_e2000_lab((50, -1.3802, -84.2814), (50, 0, -82.7485)), 4) == 1.0
    assert round(delta_e2000_lab((50, 2.5, 0), (73, 25, -18)), 4) == 27.1492

"""The README's figures, drawn from the tables by one command (issue 12).

    python -m validate.figures [--check] [--root PATH]

writes `docs/figures/{timeline,network,satellites}.{svg,png}` under the package root; `--check` writes
nothing and exits 1, naming the files, when those on disk differ from what the tables give now.

The bytes must not depend on the run, the machine's fonts or the time: the Agg backend only, DejaVu Sans
(bundled with matplotlib), a fixed SVG hash salt, no date or software in the metadata, a fixed seed for
the network layout, every input sorted. Text in the SVG is drawn as paths so that it looks the same in
every browser. The tables are read as strings (`infer_schema=False`) so that any valid package draws.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import io
import json
import math
import re
import sys
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import polars as pl
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox, ScaledTranslation

from .model import CENTRAL_ASIA

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = Path("docs") / "figures"
NAMES = ("timeline", "network", "satellites")
WIDTH_IN = 8.0  # README width ~800 px; the PNG is drawn at twice that
PNG_DPI = 200
SEED = 2  # chosen, with the spacing below, for a legible drawing of the current tables
CAPTION_CHARS = 132  # characters per caption line at 7.5 pt across 8 in

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "svg.hashsalt": "central-asia-space",
    "svg.fonttype": "path",
    "svg.id": "central-asia-space",
    "path.simplify": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
SVG_METADATA: dict[str, str | None] = {"Date": None, "Creator": None}
PNG_METADATA: dict[str, str | None] = {"Software": None}

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
GREY = "#8c8c8c"
HIGHLIGHT = "#C0392B"
CA_BAND = "#fdf1e3"

Row = dict[str, str]
Tables = dict[str, list[Row]]


# --------------------------------------------------------------------------------------------- reading


def _resource_paths(root: Path) -> dict[str, str]:
    """Resource name -> path from datapackage.json, so a package that moves a table still draws."""
    try:
        package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    paths: dict[str, str] = {}
    for resource in package.get("resources", []) if isinstance(package, dict) else []:
        if isinstance(resource, dict) and isinstance(resource.get("name"), str) and isinstance(resource.get("path"), str):
            paths[resource["name"]] = resource["path"]
    return paths


def read_tables(
    root: Path, names: Iterable[str] = ("countries", "agencies", "events", "agreements", "agreement_parties", "agreement_actions", "memberships", "satellites")
) -> Tables:
    """The tables as lists of rows of strings; an empty cell is "" and a missing table is an empty list."""
    paths = _resource_paths(root)
    tables: Tables = {}
    for name in names:
        path = root / paths.get(name, f"tables/{name}.csv")
        if not path.is_file():
            tables[name] = []
            continue
        frame = pl.read_csv(path, infer_schema=False)
        tables[name] = [{key: (value or "").strip() for key, value in row.items()} for row in frame.iter_rows(named=True)]
    return tables


def _by_id(rows: list[Row], key: str) -> dict[str, Row]:
    return {row[key]: row for row in rows if row.get(key)}


def country_names(tables: Tables) -> dict[str, str]:
    return {row["country_id"]: row.get("name", "") or row["country_id"] for row in tables["countries"] if row.get("country_id")}


# --------------------------------------------------------------------------------------------- dates

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Span:
    """A partial ISO date as the interval it names: 2025 is all of 2025, 2025-09 all of September."""

    start: datetime
    end: datetime  # exclusive
    precision: str  # "year", "month" or "day"

    @property
    def middle(self) -> datetime:
        return self.start + (self.end - self.start) / 2


def parse_span(value: str) -> Span | None:
    """The interval a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` string names; None for anything else."""
    match = DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return Span(datetime(year, 1, 1), datetime(year + 1, 1, 1), "year")
        if day is None:
            days = calendar.monthrange(year, month)[1]
            start = datetime(year, month, 1)
            return Span(start, start + timedelta(days=days), "month")
        start = datetime(year, month, day)
        return Span(start, start + timedelta(days=1), "day")
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------- timeline

KINDS = {  # kind -> (label, table, date column, marker, colour)
    "event": ("event (start_date)", "events", "start_date", "o", OKABE_ITO[0]),
    "agreement": ("agreement (signed_date)", "agreements", "signed_date", "s", OKABE_ITO[1]),
    "treaty act": ("treaty act, e.g. accession (action_date)", "agreement_actions", "action_date", "P", OKABE_ITO[4]),
    "membership": ("membership (start_date)", "memberships", "start_date", "D", OKABE_ITO[2]),
    "launch": ("satellite launch (launch_date)", "satellites", "launch_date", "^", OKABE_ITO[3]),
}
KEY_COLUMNS = {
    "events": "event_id",
    "agreements": "agreement_id",
    "agreement_actions": "agreement_action_id",
    "memberships": "membership_id",
    "satellites": "satellite_id",
}
ROW_NOUNS = {"agreement_actions": "treaty acts"}  # the caption's word for a table's rows, where it is not the table's name
NO_COUNTRY = ""


@dataclass(frozen=True)
class Item:
    kind: str
    key: str
    lane: str  # a country_id, or NO_COUNTRY
    span: Span


@dataclass
class TimelineData:
    items: list[Item]
    total: dict[str, int]  # rows per kind
    left_out: dict[str, int]  # rows per kind with no usable date
    lanes: list[str] = field(default_factory=list)


def _agency_country(agencies: dict[str, Row], agency_id: str) -> str:
    return agencies.get(agency_id, {}).get("country_id", "")


def _row_countries(kind: str, row: Row, tables: Tables, agencies: dict[str, Row], parties: dict[str, list[Row]]) -> list[str]:
    """The lanes a dated row is drawn in: the country it happens in or belongs to (one per party country for an agreement)."""
    if kind == "event":
        found = row.get("country_id") or _agency_country(agencies, row.get("organizer_agency_id", ""))
        return [found or NO_COUNTRY]
    if kind == "agreement":
        found = {p.get("party_country_id") or _agency_country(agencies, p.get("party_agency_id", "")) for p in parties.get(row["agreement_id"], [])}
        return sorted(found - {""}) or [NO_COUNTRY]
    if kind == "treaty act":
        return [row.get("country_id", "") or NO_COUNTRY]
    if kind == "membership":
        found = row.get("member_country_id") or _agency_country(agencies, row.get("member_agency_id", "")) or row.get("represents_country_id", "")
        return [found or NO_COUNTRY]
    found = row.get("country_id") or _agency_country(agencies, row.get("agency_id", "")) or _agency_country(agencies, row.get("operator_agency_id", ""))
    return [found or NO_COUNTRY]


def timeline_data(tables: Tables) -> TimelineData:
    """Every dated row as a point per lane; rows without a usable date are counted, not drawn."""
    agencies = _by_id(tables["agencies"], "agency_id")
    parties: dict[str, list[Row]] = defaultdict(list)
    for party in tables["agreement_parties"]:
        parties[party.get("agreement_id", "")].append(party)
    items: list[Item] = []
    total: dict[str, int] = {}
    left_out: dict[str, int] = {}
    for kind, (_label, table, column, _marker, _colour) in KINDS.items():
        key_column = KEY_COLUMNS[table]
        rows = tables.get(table, [])
        total[kind] = len(rows)
        left_out[kind] = 0
        for row in rows:
            span = parse_span(row.get(column, ""))
            if span is None:
                left_out[kind] += 1
                continue
            for lane in _row_countries(kind, row, tables, agencies, parties):
                items.append(Item(kind, row.get(key_column, ""), lane, span))
    items.sort(key=lambda item: (item.span.start, item.span.end, list(KINDS).index(item.kind), item.key, item.lane))
    present = {item.lane for item in items}
    others = sorted(present - set(CENTRAL_ASIA) - {NO_COUNTRY})
    lanes = [*CENTRAL_ASIA, *others, *([NO_COUNTRY] if NO_COUNTRY in present else [])]
    return TimelineData(items, total, left_out, lanes)


def timeline_caption(data: TimelineData) -> str:
    """What is drawn, how partial dates are placed, and how many rows are left out for want of a date."""
    parts = [f"{data.left_out[kind]} of {data.total[kind]} {ROW_NOUNS.get(KINDS[kind][1], KINDS[kind][1])} ({KINDS[kind][2]})" for kind in KINDS]
    return (
        "A date given only as a year is plotted at mid-year, one given as a year and month at mid-month; the bar behind "
        "such a marker spans the year or month. An agreement is drawn once for each party's country; a treaty act (a state's "
        "signature, ratification, accession, domestic approval or entry into force of a treaty, from agreement_actions.csv) in "
        "the state's lane. Markers of one kind on one date in one lane are drawn once, their number beside them. Central Asian states "
        "come first (shaded). "
        f"Left out for want of a date: {', '.join(parts)}."
    )


def _assign_rows(items: list[Item], gap: timedelta, extra: dict[Item, timedelta] | None = None) -> dict[Item, int]:
    """Sub-rows within a lane, so that no two markers or spans in one lane overlap (first fit, in date order).

    `extra` is room to keep clear right of an item's marker, for the count written beside it.
    """
    ends: list[datetime] = []
    rows: dict[Item, int] = {}
    for item in items:
        left = min(item.span.start, item.span.middle - gap)
        right = max(item.span.end, item.span.middle + gap + (extra or {}).get(item, timedelta(0)))
        for index, end in enumerate(ends):
            if end <= left:
                ends[index] = right
                rows[item] = index
                break
        else:
            rows[item] = len(ends)
            ends.append(right)
    return rows


def timeline_figure(tables: Tables) -> Figure:
    data = timeline_data(tables)
    names = country_names(tables)
    if data.items:
        low = min(item.span.start for item in data.items)
        high = max(item.span.end for item in data.items)
    else:
        low, high = datetime(2020, 1, 1), datetime(2026, 1, 1)
    low = datetime(low.year, 1, 1)
    high = datetime(high.year + (high != datetime(high.year, 1, 1)), 1, 1)
    if (high - low).days < 3 * 366:
        low, high = datetime(low.year - 1, 1, 1), datetime(high.year + 1, 1, 1)
    pad = (high - low) * 0.02
    low, high = low - pad, high + pad
    gap = (high - low) * 0.012  # half a marker's width, in time

    # Items of one kind in one lane on one date (a state's acts on several treaties on one day) are drawn once, counted.
    counts: Counter[tuple[str, str, Span]] = Counter((item.kind, item.lane, item.span) for item in data.items)
    marks: list[Item] = []
    seen: set[tuple[str, str, Span]] = set()
    for item in data.items:
        group = (item.kind, item.lane, item.span)
        if group not in seen:
            seen.add(group)
            marks.append(item)
    room = {item: gap * 3.2 for item in marks if counts[(item.kind, item.lane, item.span)] > 1}
    by_lane: dict[str, list[Item]] = defaultdict(list)
    for item in marks:
        by_lane[item.lane].append(item)
    step = 0.34  # height of a sub-row, in lane units
    positions: dict[Item, float] = {}
    centres: list[float] = []
    y = 0.0
    bounds: list[tuple[float, float]] = []
    for lane in data.lanes:
        sub = _assign_rows(by_lane.get(lane, []), gap, room)
        count = max(sub.values(), default=0) + 1
        height = max(0.75, count * step + 0.3)
        top = y
        centre = top + height / 2
        for item, index in sub.items():
            positions[item] = centre + (index - (count - 1) / 2) * step
        centres.append(centre)
        bounds.append((top, top + height))
        y += height

    height_in = 1.9 + 0.34 * y + 0.16 * len(textwrap.wrap(timeline_caption(data), CAPTION_CHARS))
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for (top, bottom), lane in zip(bounds, data.lanes, strict=True):
        if lane in CENTRAL_ASIA:
            ax.axhspan(top, bottom, color=CA_BAND, zorder=0, linewidth=0)
        ax.axhline(bottom, color="#dddddd", linewidth=0.6, zorder=0.5)
    for item in marks:
        _label, _table, _column, marker, colour = KINDS[item.kind]
        ypos = positions[item]
        if item.span.precision != "day":
            ax.plot([item.span.start, item.span.end], [ypos, ypos], color=colour, alpha=0.35, linewidth=4, solid_capstyle="butt", zorder=2)
        ax.plot([item.span.middle], [ypos], marker=marker, color=colour, markersize=7, markeredgecolor="white", markeredgewidth=0.7, linestyle="none", zorder=3)
        n = counts[(item.kind, item.lane, item.span)]
        if n > 1:
            ax.annotate(
                f"×{n}",
                xy=(mdates.date2num(item.span.middle), ypos),
                xytext=(4.5, 0),
                textcoords="offset points",
                fontsize=7,
                va="center",
                ha="left",
                color="#333333",
                zorder=4,
            )

    labels = [(f"{names[lane]} ({lane})" if lane in names else lane) if lane else "no country" for lane in data.lanes]
    ax.set_yticks(centres, labels)
    for tick, lane in zip(ax.get_yticklabels(), data.lanes, strict=True):
        if lane in CENTRAL_ASIA:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(y, 0)
    ax.set_xlim(low, high)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel("date (UTC)")
    ax.set_ylabel("country")

    drawn = {item.kind for item in data.items}  # a kind with nothing dated is named in the caption, not the legend
    handles = [
        Line2D([], [], marker=marker, color=colour, markeredgecolor="white", linestyle="none", markersize=7, label=label)
        for kind, (label, _t, _c, marker, colour) in KINDS.items()
        if kind in drawn
    ]
    handles.append(Line2D([], [], color=GREY, alpha=0.5, linewidth=4, label="span of a year or month date"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False, columnspacing=1.4, handletextpad=0.6)
    fig.suptitle("Timeline by country: events, agreements, treaty acts, memberships, launches", fontsize=11, fontweight="bold")
    fig.supxlabel("\n".join(textwrap.wrap(timeline_caption(data), CAPTION_CHARS)), fontsize=7.5, ha="left", x=0.01, color="#333333")
    return fig


# --------------------------------------------------------------------------------------------- network

EDGE_KINDS = {  # edge kind -> (legend label, colour)
    "instrument": ("agreement: memorandum or agreement", OKABE_ITO[3]),
    "cooperation": ("agreement: stated cooperation", OKABE_ITO[0]),
    "membership": ("membership", OKABE_ITO[2]),
    "treaty": ("state party to a treaty", "#333333"),
}
NOT_AGREED = {"proposed", "under-discussion", "discussed", "under-negotiation", "planned"}
NODE_KINDS = {  # node kind -> (legend label, colour)
    "country": ("country", "#f5f5f5"),
    "national-space-agency": ("national space agency", OKABE_ITO[5]),
    "government-body": ("government body", OKABE_ITO[1]),
    "international": ("international organisation or body", OKABE_ITO[4]),
    "company": ("company", OKABE_ITO[6]),
    "research": ("research institute or university", OKABE_ITO[2]),
    "other": ("other organisation", "#bbbbbb"),
    "treaty": ("treaty", "white"),
}
NODE_MARKERS = {"country": "s", "treaty": "D"}  # any other kind: "o"


def node_kind(agency: Row) -> str:
    kind = agency.get("agency_type", "")
    if kind in ("national-space-agency", "government-body"):
        return kind
    if kind.startswith("international"):
        return "international"
    if kind.endswith("company"):
        return "company"
    if kind in ("research-institute", "university", "university-unit", "education-centre"):
        return "research"
    return "other"


def short_label(agency: Row, limit: int = 22) -> str:
    """The acronym where there is one; else the name, on two lines if it is long, cut short with '…' if longer still."""
    if agency.get("acronym"):
        return agency["acronym"]
    name = agency.get("name", "") or agency.get("agency_id", "")
    if len(name) <= limit - 4:
        return name
    lines = textwrap.wrap(name, limit)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), limit, placeholder="…")]
    return "\n".join(lines)


def treaty_label(agreement_id: str) -> str:
    """A treaty's short name from its identifier (`outer-space-treaty` -> "Outer Space\nTreaty"): its titles are long."""
    words = [word.capitalize() for word in agreement_id.split("-")]
    return "\n".join(textwrap.wrap(" ".join(words), 14)) or agreement_id


@dataclass
class NetworkData:
    graph: nx.Graph
    edges: dict[tuple[str, str, str], dict[str, int]]  # (a, b, kind) -> {"count": n, "agreed": m}
    not_drawn: dict[str, int]  # why -> rows


def _node(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def network_data(tables: Tables) -> NetworkData:
    """Countries and organisations linked by the agreements they are parties to and the memberships they hold."""
    agencies = _by_id(tables["agencies"], "agency_id")
    countries = {row["country_id"] for row in tables["countries"] if row.get("country_id")}
    agreements = _by_id(tables["agreements"], "agreement_id")
    edges: dict[tuple[str, str, str], dict[str, int]] = {}
    not_drawn: Counter[str] = Counter()

    def party(country_id: str, agency_id: str) -> str | None:
        if country_id:
            return _node("country", country_id)
        if agency_id:
            return _node("agency", agency_id)
        return None

    def link(a: str, b: str, kind: str, agreed: bool) -> None:
        a, b = sorted((a, b))
        entry = edges.setdefault((a, b, kind), {"count": 0, "agreed": 0})
        entry["count"] += 1
        entry["agreed"] += agreed

    members: dict[str, set[str]] = defaultdict(set)
    for row in tables["agreement_parties"]:
        node = party(row.get("party_country_id", ""), row.get("party_agency_id", ""))
        if node:
            members[row.get("agreement_id", "")].add(node)
    for agreement_id in sorted(members):
        agreement = agreements.get(agreement_id, {})
        nodes = sorted(members[agreement_id])
        if agreement.get("agreement_type", "") == "treaty":
            # A treaty is a node of its own, linked to each party: its parties are not linked to one another.
            for node in nodes:
                link(node, _node("treaty", agreement_id), "treaty", agreement.get("status", "") not in NOT_AGREED)
            continue
        if len(nodes) < 2:
            not_drawn["agreements with a single party"] += 1
            continue
        kind = "cooperation" if agreement.get("agreement_type", "").endswith("-cooperation") else "instrument"
        agreed = agreement.get("status", "") not in NOT_AGREED
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                link(a, b, kind, agreed)
    for row in tables["memberships"]:
        member = party(row.get("member_country_id", ""), row.get("member_agency_id", ""))
        body = row.get("body_agency_id", "")
        if not member or not body:
            not_drawn["memberships of a programme, not an organisation"] += 1
            continue
        link(member, _node("agency", body), "membership", row.get("status", "") != "ended")

    graph = nx.Graph()
    for a, b, _kind in sorted(edges):
        for node in (a, b):
            if node not in graph:
                graph.add_node(node)
        graph.add_edge(a, b)
    for node in sorted(graph.nodes):
        kind, ident = node.split(":", 1)
        if kind == "country":
            graph.nodes[node].update(label=ident, kind="country", central=ident in CENTRAL_ASIA, known=ident in countries)
        elif kind == "treaty":
            graph.nodes[node].update(label=treaty_label(ident), kind="treaty", central=False, known=ident in agreements)
        else:
            agency = agencies.get(ident, {"agency_id": ident})
            graph.nodes[node].update(label=short_label(agency), kind=node_kind(agency), central=agency.get("country_id", "") in CENTRAL_ASIA, known=ident in agencies)
    unlinked = sum(1 for agency_id in agencies if _node("agency", agency_id) not in graph)
    if unlinked:
        not_drawn["organisations with no agreement or membership"] = unlinked
    return NetworkData(graph, edges, dict(sorted(not_drawn.items())))


def _sorted_graph(graph: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges inserted in sorted order: the layout depends on insertion order."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    ordered.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges))
    return ordered


def _normalise(points: np.ndarray) -> np.ndarray:
    low, high = points.min(axis=0), points.max(axis=0)
    return (points - low) / np.where(high - low > 0, high - low, 1.0)


def spread(points: np.ndarray, min_distance: float, rounds: int = 400) -> np.ndarray:
    """Push apart, pairwise, points closer than `min_distance` in the unit square, keeping the picture's shape.

    A spring layout packs a clique (the states of one organisation) and the leaves of a star (one agency's many
    partners) so tightly that their markers and labels collide; this moves each point as little as that needs.
    """
    points = _normalise(points.astype(float))
    n = len(points)
    if n < 2:
        return points
    for _ in range(rounds):
        diff = points[:, None, :] - points[None, :, :]
        dist = np.hypot(diff[..., 0], diff[..., 1])
        np.fill_diagonal(dist, np.inf)
        deficit = np.clip(min_distance - dist, 0.0, None)
        if deficit.max() < 1e-4:
            break
        # Coincident points are told apart by a fixed direction that depends only on their order.
        same = dist < 1e-9
        if same.any():
            angle = np.arange(n)[:, None] * 2.399963 - np.arange(n)[None, :] * 2.399963
            diff = np.where(same[..., None], np.stack([np.cos(angle), np.sin(angle)], axis=-1), diff)
            dist = np.where(same, 1.0, dist)
        push = diff / dist[..., None] * (deficit / 2)[..., None]
        points = _normalise(points + push.sum(axis=1))
    return points


def network_layout(graph: nx.Graph, min_distance: float = 0.11) -> dict[str, tuple[float, float]]:
    """Spring layout with a fixed seed (Fruchterman-Reingold in numpy), stretched to the unit square and spread.

    Coordinates are rounded so that the last bits of floating point cannot change the drawing.
    """
    graph = _sorted_graph(graph)
    if graph.number_of_nodes() == 0:
        return {}
    k = 2.2 / math.sqrt(graph.number_of_nodes())  # looser than the default 1/sqrt(n): the leaves of a star spread out
    raw = nx.spring_layout(graph, seed=SEED, k=k, iterations=100)
    nodes = sorted(raw)
    points = spread(np.array([raw[node] for node in nodes]), min_distance)
    return {node: (round(float(x), 5), round(float(y), 5)) for node, (x, y) in zip(nodes, points, strict=True)}


def _overlaps(a: Bbox, b: Bbox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _crosses(start: tuple[float, float], end: tuple[float, float], box: Bbox, samples: int = 24) -> bool:
    """Whether the segment from `start` to `end` passes through `box` (sampled: the boxes are wider than the step)."""
    for i in range(1, samples):
        t = i / samples
        x, y = start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])
        if box.x0 < x < box.x1 and box.y0 < y < box.y1:
            return True
    return False


def _leader(node: tuple[float, float], radius: float, box: Bbox) -> tuple[tuple[float, float], tuple[float, float]]:
    """The leader line, in display pixels, from the edge of a node's marker to the edge of its label's box."""
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    dx, dy = node[0] - cx, node[1] - cy
    length = math.hypot(dx, dy) or 1.0
    t = min(box.width / 2 / abs(dx) if dx else math.inf, box.height / 2 / abs(dy) if dy else math.inf)
    return (node[0] - dx / length * radius, node[1] - dy / length * radius), (cx + dx * t, cy + dy * t)


def place_labels(
    fig: Figure,
    ax: Axes,
    pos: dict[str, tuple[float, float]],
    labels: dict[str, str],
    radius_pt: dict[str, float],
    order: Sequence[str],
    fontsize: float,
    weights: dict[str, str],
    neighbours: dict[str, list[str]],
) -> list[str]:
    """Label the nodes in `order` where a label fits clear of every other label and node; return those that do not fit.

    Each label tries eight directions around its node at growing distances (first fit), starting with the direction
    away from the node's neighbours, where its own edges do not run; a label set away from its node gets a thin
    leader line, drawn apart from the text, that crosses no other label. Boxes are measured with the Agg renderer in
    display pixels.
    """
    renderer = fig.canvas.get_renderer()
    to_px = fig.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    nodes = {node: ax.transData.transform(xy) for node, xy in pos.items()}
    obstacles: list[Bbox] = []
    for node, (x, y) in nodes.items():
        r = radius_pt[node] * to_px + 1
        obstacles.append(Bbox([[x - r, y - r], [x + r, y + r]]))
    pad = 2.0 * to_px
    directions = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
    unplaced: list[str] = []
    labels_boxes: list[Bbox] = []
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for node in order:
        probe = ax.text(0, 0, labels[node], fontsize=fontsize, fontweight=weights[node], ha="center", va="center", linespacing=1.0)
        box = probe.get_window_extent(renderer)
        probe.remove()
        w, h = box.width + 2 * pad, box.height + 2 * pad
        x, y = nodes[node]
        r = radius_pt[node] * to_px
        away = [0.0, 0.0]
        for other in neighbours.get(node, []):
            ox, oy = nodes[other]
            length = math.hypot(ox - x, oy - y) or 1.0
            away[0] -= (ox - x) / length
            away[1] -= (oy - y) / length
        ranked = directions
        if math.hypot(*away) > 0.3:
            ranked = sorted(directions, key=lambda d: -(d[0] * away[0] + d[1] * away[1]) / math.hypot(*d))
        chosen: Bbox | None = None
        distance = 0.0
        for step in (1.0, 6.0, 14.0, 24.0, 36.0, 50.0):
            for dx, dy in ranked:
                norm = math.hypot(dx, dy)
                ux, uy = dx / norm, dy / norm
                gap = r + step * to_px
                cx = x + ux * (gap + w / 2) if dx else x
                cy = y + uy * (gap + h / 2) if dy else y
                if dx and dy:
                    cx, cy = x + ux * gap + dx * w / 2, y + uy * gap + dy * h / 2
                candidate = Bbox([[cx - w / 2, cy - h / 2], [cx + w / 2, cy + h / 2]])
                if not frame.contains(candidate.x0, candidate.y0) or not frame.contains(candidate.x1, candidate.y1):
                    continue
                if any(_overlaps(candidate, other) for other in obstacles):
                    continue
                if step > 1.0:
                    line = _leader((x, y), r, candidate)
                    if any(_crosses(*line, other) for other in labels_boxes):
                        continue
                if any(_crosses(*line, candidate) for line in leaders):
                    continue
                chosen, distance = candidate, step
                break
            if chosen is not None:
                break
        if chosen is None:
            unplaced.append(node)
            continue
        obstacles.append(chosen)
        labels_boxes.append(chosen)
        to_data = ax.transData.inverted()
        cx, cy = (chosen.x0 + chosen.x1) / 2, (chosen.y0 + chosen.y1) / 2
        target = to_data.transform((cx, cy))
        if distance > 1.0:
            line = _leader((x, y), r, chosen)
            leaders.append(line)
            (x0, y0), (x1, y1) = (to_data.transform(point) for point in line)
            ax.add_line(Line2D([float(x0), float(x1)], [float(y0), float(y1)], color=GREY, linewidth=0.6, zorder=4))
        ax.text(
            float(target[0]), float(target[1]), labels[node], fontsize=fontsize, fontweight=weights[node], ha="center", va="center",
            linespacing=1.0, zorder=5, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )  # fmt: skip
    return unplaced


def network_caption(data: NetworkData, unplaced: list[str]) -> str:
    graph = data.graph
    text = (
        f"{graph.number_of_nodes()} countries, organisations and treaties, {len(data.edges)} links. An agreement links each pair "
        "of its parties, except a treaty (the UN space treaties), drawn as a node of its own linked to each state party; a "
        "membership links the member to the organisation. Countries by ISO 3166 code; organisations by acronym "
        "or short name. Central Asian states and their organisations are ringed in red. Layout: networkx spring layout, fixed seed."
    )
    if data.not_drawn:
        text += " Not drawn: " + ", ".join(f"{n} {why}" for why, n in data.not_drawn.items()) + "."
    if unplaced:
        names = ", ".join(sorted(graph.nodes[node]["label"].replace("\n", " ") for node in unplaced))
        text += f" Unlabelled for want of room: {names}."
    return text


def network_figure(tables: Tables) -> Figure:
    data = network_data(tables)
    graph = data.graph
    pos = network_layout(graph)
    fig = Figure(figsize=(WIDTH_IN, 8.6), dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    if pos:
        xs = [x for x, _ in pos.values()]
        ys = [y for _, y in pos.values()]
        margin_x = 0.1 * (max(xs) - min(xs) or 1)
        margin_y = 0.05 * (max(ys) - min(ys) or 1)
        ax.set_xlim(min(xs) - margin_x, max(xs) + margin_x)
        ax.set_ylim(min(ys) - margin_y, max(ys) + margin_y)
    legend_nodes = [
        Line2D([], [], marker=NODE_MARKERS.get(kind, "o"), linestyle="none", markersize=8, markerfacecolor=colour, markeredgecolor="#555555", label=label)
        for kind, (label, colour) in NODE_KINDS.items()
        if any(graph.nodes[n]["kind"] == kind for n in graph.nodes)
    ]
    legend_nodes.append(
        Line2D([], [], marker="o", linestyle="none", markersize=8, markerfacecolor="white", markeredgecolor=HIGHLIGHT, markeredgewidth=2, label="Central Asian")
    )
    legend_edges = [
        Line2D([], [], color=colour, linewidth=1.6, label=label) for kind, (label, colour) in EDGE_KINDS.items() if any(k == kind for _a, _b, k in data.edges)
    ]
    if any(entry["agreed"] < entry["count"] for entry in data.edges.values()):
        legend_edges.append(Line2D([], [], color=GREY, linewidth=1.2, linestyle=(0, (3, 2)), label="proposed or under discussion"))
    ax.legend(handles=legend_nodes + legend_edges, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3, frameon=False, columnspacing=1.2, handletextpad=0.3)
    fig.suptitle("Cooperation network: agreements, treaties and memberships", fontsize=11, fontweight="bold")
    caption = fig.supxlabel("", fontsize=7.5, ha="left", x=0.01, color="#333333")
    # Fix the layout with a provisional caption of the same height, then freeze it before measuring labels.
    caption.set_text("\n".join(textwrap.wrap(network_caption(data, []), CAPTION_CHARS)) + "\n")
    fig.canvas.draw()
    fig.set_layout_engine("none")

    # Edges: parallel links of different kinds between one pair are bent apart.
    kinds_per_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, b, kind in sorted(data.edges):
        kinds_per_pair[(a, b)].append(kind)
    straight: list[tuple[list[tuple[float, float]], str, float, object]] = []
    for (a, b), kinds in sorted(kinds_per_pair.items()):
        for index, kind in enumerate(kinds):
            entry = data.edges[(a, b, kind)]
            bend = 0.0 if len(kinds) == 1 else (index - (len(kinds) - 1) / 2) * 0.3
            style = "-" if entry["agreed"] else (0, (3, 2))
            width = 0.9 + 0.6 * min(entry["count"] - 1, 3)
            if not bend:
                straight.append(([pos[a], pos[b]], EDGE_KINDS[kind][1], width, style))
                continue
            patch = FancyArrowPatch(
                pos[a], pos[b], arrowstyle="-", connectionstyle=f"arc3,rad={bend}", color=EDGE_KINDS[kind][1],
                linewidth=width, linestyle=style, alpha=0.75, zorder=1, shrinkA=0, shrinkB=0,
            )  # fmt: skip
            ax.add_patch(patch)
    if straight:
        segments, colours, widths, styles = zip(*straight, strict=True)
        ax.add_collection(LineCollection(list(segments), colors=list(colours), linewidths=list(widths), linestyles=list(styles), alpha=0.75, zorder=1), autolim=False)

    nodes = sorted(graph.nodes)
    degree = dict(graph.degree)
    size_pt = {node: 5.5 + 1.4 * math.sqrt(degree[node]) for node in nodes}  # marker radius, points
    for marker in sorted({NODE_MARKERS.get(graph.nodes[n]["kind"], "o") for n in nodes}):
        group = [n for n in nodes if NODE_MARKERS.get(graph.nodes[n]["kind"], "o") == marker]
        if not group:
            continue
        central = [graph.nodes[n]["central"] for n in group]
        ax.scatter(
            [pos[n][0] for n in group], [pos[n][1] for n in group], s=[(2 * size_pt[n]) ** 2 for n in group],
            c=[NODE_KINDS[graph.nodes[n]["kind"]][1] for n in group], edgecolors=[HIGHLIGHT if c else "#555555" for c in central],
            linewidths=[2.0 if c else 0.6 for c in central], marker=marker, zorder=3,
        )  # fmt: skip
    labels = {node: graph.nodes[node]["label"] for node in nodes}
    weights = {node: "bold" if graph.nodes[node]["central"] else "normal" for node in nodes}
    order = sorted(nodes, key=lambda node: (-degree[node], labels[node], node))
    neighbours = {node: sorted(graph.neighbors(node)) for node in nodes}
    unplaced = place_labels(fig, ax, pos, labels, size_pt, order, 7.5, weights, neighbours)
    caption.set_text("\n".join(textwrap.wrap(network_caption(data, unplaced), CAPTION_CHARS)))
    return fig


# --------------------------------------------------------------------------------------------- satellites

STATUS_ORDER = ("operating", "in-development", "planned")


def satellite_rows(tables: Tables) -> tuple[list[str], dict[str, Counter[str]], dict[str, Counter[str]]]:
    """(lanes, kind counts per lane, status counts per lane): one count per row (a constellation counts once)."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for row in tables["satellites"]:
        lane = row.get("country_id", "") or NO_COUNTRY
        mission, thing = row.get("mission", "").replace("-", " "), row.get("object_type", "") or "object"
        kinds[lane][f"{mission} {thing}" if mission else f"{thing}, mission not stated"] += 1
        statuses[lane][row.get("status", "") or "status not stated"] += 1
    present = set(kinds)
    lanes = [*CENTRAL_ASIA, *sorted(present - set(CENTRAL_ASIA) - {NO_COUNTRY}), *([NO_COUNTRY] if NO_COUNTRY in present else [])]
    return lanes, kinds, statuses


def _stacked(ax: Axes, lanes: list[str], counts: dict[str, Counter[str]], order: list[str], colours: dict[str, str], hatches: dict[str, str]) -> None:
    for index, lane in enumerate(lanes):
        left = 0
        for category in order:
            n = counts.get(lane, Counter())[category]
            if n:
                ax.barh(index, n, left=left, color=colours[category], edgecolor="white", linewidth=0.8, hatch=hatches.get(category, ""), height=0.66, zorder=2)
                left += n
        ax.text(left + 0.08, index, str(left), va="center", ha="left", fontsize=8, color="#333333")


def satellites_figure(tables: Tables) -> Figure:
    lanes, kinds, statuses = satellite_rows(tables)
    names = country_names(tables)
    kind_order = sorted({k for c in kinds.values() for k in c}, key=lambda k: ("not stated" in k, "constellation" in k, k))
    status_seen = {s for c in statuses.values() for s in c}
    status_order = [s for s in STATUS_ORDER if s in status_seen] + sorted(status_seen - set(STATUS_ORDER))
    palette = ("#0072B2", "#56B4E9", "#332288", "#88CCEE", "#44AA99", "#117733")  # blues: none is a status colour
    kind_colours = {k: palette[i % len(palette)] if "not stated" not in k else "#b3b3b3" for i, k in enumerate(kind_order)}
    kind_hatches = {k: "////" for k in kind_order if "constellation" in k}
    status_palette = {"operating": "#009E73", "in-development": "#E69F00", "planned": "#CC79A7"}
    extra = ("#D55E00", "#999999", "#F0E442", "#000000")
    status_colours = {s: status_palette.get(s, extra[i % len(extra)]) for i, s in enumerate(status_order)}

    fig = Figure(figsize=(WIDTH_IN, 1.8 + 0.3 * len(lanes) + 0.17 * max(len(kind_order), len(status_order), 1)), dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    most = max([sum(c.values()) for c in kinds.values()] or [1])
    for ax, counts, order, colours, hatches, title in (
        (axes[0], kinds, kind_order, kind_colours, kind_hatches, "by kind (mission and object type)"),
        (axes[1], statuses, status_order, status_colours, {}, "by status"),
    ):
        _stacked(ax, lanes, counts, order, colours, hatches)
        ax.set_title(title, fontsize=9.5)
        ax.set_xlim(0, most + max(1, most * 0.12))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("satellites and constellations (rows)")
        ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
        handles = [Patch(facecolor=colours[c], hatch=hatches.get(c, ""), edgecolor="white", label=c) for c in order]
        below = ax.transAxes + ScaledTranslation(0, -0.4, fig.dpi_scale_trans)  # under the axis label, whatever the height
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, ncols=1, frameon=False, fontsize=7.5, handlelength=1.6)
        for index, lane in enumerate(lanes):
            if lane in CENTRAL_ASIA:
                ax.axhspan(index - 0.5, index + 0.5, color=CA_BAND, zorder=0, linewidth=0)
    axes[0].set_yticks(range(len(lanes)), [(f"{names[lane]} ({lane})" if lane in names else lane) if lane else "no country given" for lane in lanes])
    for tick, lane in zip(axes[0].get_yticklabels(), lanes, strict=True):
        if lane in CENTRAL_ASIA:
            tick.set_fontweight("bold")
    axes[0].set_ylim(len(lanes) - 0.5, -0.5)
    axes[0].tick_params(axis="y", length=0)
    axes[1].tick_params(axis="y", length=0)
    total = len(tables["satellites"])
    fig.suptitle("Satellites and satellite projects by country", fontsize=11, fontweight="bold")
    caption = (
        f"{total} rows of satellites.csv: one per satellite, constellation or project, whatever its size (a constellation counts once; "
        "hatched). Country: the one that owns or operates it, where a source gives one. Status: as last known (status_as_of); a plan counts "
        "as planned until a source says otherwise. Central Asian states shaded."
    )
    fig.supxlabel("\n".join(textwrap.wrap(caption, CAPTION_CHARS)), fontsize=7.5, ha="left", x=0.01, color="#333333")
    return fig


# --------------------------------------------------------------------------------------------- output

BUILDERS = {"timeline": timeline_figure, "network": network_figure, "satellites": satellites_figure}


def text_overlaps(fig: Figure, draw: bool = True) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts in the figure whose boxes overlap (there should be none).

    `draw=False` measures the figure as its last draw (a savefig) left it, which is much faster.
    """
    if draw:
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.get_figure(root=True) is fig]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    found = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if _overlaps(box_a, box_b):
                found.append((a, b))
    return found


def style() -> contextlib.AbstractContextManager[None]:
    """The fixed style every figure is drawn in; build and save figures inside it."""
    return matplotlib.rc_context(RC)


def figures(root: Path, names: Sequence[str] = NAMES) -> dict[str, Figure]:
    """The figures as matplotlib objects, for tests that look inside them. Call inside `style()`."""
    tables = read_tables(root)
    return {name: BUILDERS[name](tables) for name in names}


def _save(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    else:
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


def save_all(built: dict[str, Figure]) -> dict[str, bytes]:
    """File name -> bytes, an SVG and a PNG of each figure. Call inside `style()`."""
    return {f"{name}.{fmt}": _save(fig, fmt) for name, fig in sorted(built.items()) for fmt in ("svg", "png")}  # PNG last: its draw, at the figure's dpi, is the one left


def render(root: Path, names: Sequence[str] = NAMES) -> dict[str, bytes]:
    """File name -> bytes of every figure (or of those named), drawn from the tables under `root`; nothing is written."""
    with style():
        return save_all(figures(root, names))


def stale(root: Path, out_dir: Path | None = None, rendered: dict[str, bytes] | None = None) -> list[str]:
    """The check: the figure files under `out_dir` (default root/docs/figures) missing or unlike what render() gives.

    `rendered` is render(root), for a caller that has it already.
    """
    target = out_dir or root / OUT_DIR
    fresh = render(root) if rendered is None else rendered
    return [name for name, data in sorted(fresh.items()) if not (target / name).is_file() or (target / name).read_bytes() != data]


def write(root: Path, out_dir: Path | None = None) -> list[str]:
    """Write the figures that changed; returns their file names."""
    target = out_dir or root / OUT_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in render(root).items():
        path = target / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            written.append(name)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validate.figures", description="Draw the README figures from the tables into docs/figures/.")
    parser.add_argument("--root", type=Path, default=REPO, help="package root (default: this repository)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the figures that are missing or out of date")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.check:
        out_of_date = stale(root)
        for name in out_of_date:
            print(f"stale: {OUT_DIR / name}", file=sys.stderr)
        if out_of_date:
            print("run: python -m validate.figures", file=sys.stderr)
        return 1 if out_of_date else 0
    for name in write(root):
        print(f"wrote {OUT_DIR / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

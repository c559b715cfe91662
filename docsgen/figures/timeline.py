"""The timeline: every dated event, agreement, treaty act, membership and launch, in its country's lane.

A partial date is drawn at the middle of the year or month it names, over a bar that spans it. An event with no
start_date is drawn all the same (issue 19): over the bounds the table gives for its start, or, with none, in a column
of its own; none is left out. Other rows with no usable date are counted in the caption, not drawn.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from validate.model import CENTRAL_ASIA

from .drawing import CA_BAND, CAPTION_CHARS, GREY, OKABE_ITO, PNG_DPI, WIDTH_IN
from .tables import NO_COUNTRY, Row, Span, Tables, by_id, country_names, lanes_of, parse_span

KINDS = {  # kind -> (label, table, date column, marker, colour)
    "event": ("event (start_date, or its bounds)", "events", "start_date", "o", OKABE_ITO[0]),
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
BOUNDED = ("event",)  # the kinds drawn over the bounds of their date when the date itself is not given
STARTED_BY_STATUS = {"held", "in-progress", "ongoing"}  # an event with this status had begun by status_as_of
NOT_STARTED_BY_STATUS = {"planned", "proposed", "under-discussion"}  # one with this status had not begun by then
HOLLOW = {"markersize": 6.5, "markerfacecolor": "white", "markeredgewidth": 1.4}  # the marker of an item with no date
UNDATED = datetime(9000, 1, 1)  # where an undated item sorts and is placed among its lane's rows: apart from every date


@dataclass(frozen=True)
class Item:
    kind: str
    key: str
    lane: str  # a country_id, or NO_COUNTRY
    span: Span | None  # the date as given; None for an item drawn over bounds, or undated
    earliest: datetime | None = None  # for an item with no date: the bounds of its date, either or both may be None
    latest: datetime | None = None  # exclusive, like Span.end

    @property
    def how(self) -> str:
        """How the item is drawn: "date" (to the day, or over its year or month), "bounds", or "undated"."""
        if self.span is not None:
            return "date"
        return "bounds" if self.earliest or self.latest else "undated"

    @property
    def sort_key(self) -> tuple[datetime, datetime]:
        if self.span is not None:
            return self.span.start, self.span.end
        first = self.earliest or self.latest or UNDATED
        return first, self.latest or first


@dataclass
class TimelineData:
    items: list[Item]
    total: dict[str, int]  # rows per kind
    left_out: dict[str, int]  # rows per kind with no usable date (never an event: one is drawn over bounds, or undated)
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


def event_bounds(row: Row) -> tuple[datetime | None, datetime | None]:
    """The bounds (earliest, latest; latest exclusive) of the start of an event whose start_date is empty.

    Not before: earliest_date, series_since, and status_as_of for a planned, proposed or discussed event. Not after:
    latest_date, end_date, and status_as_of for an event held, in progress or ongoing. The tightest of each is kept.
    """
    status, as_of = row.get("status", ""), parse_span(row.get("status_as_of", ""))
    lows = [parse_span(row.get("earliest_date", "")), parse_span(row.get("series_since", ""))]
    highs = [parse_span(row.get("latest_date", "")), parse_span(row.get("end_date", ""))]
    if status in NOT_STARTED_BY_STATUS:
        lows.append(as_of)
    if status in STARTED_BY_STATUS:
        highs.append(as_of)
    earliest = max((span.start for span in lows if span), default=None)
    latest = min((span.end for span in highs if span), default=None)
    return earliest, latest


def timeline_data(tables: Tables) -> TimelineData:
    """Every dated row as a point per lane; every event, dated or not; other rows without a usable date counted."""
    agencies = by_id(tables["agencies"], "agency_id")
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
            earliest = latest = None
            if span is None and kind not in BOUNDED:
                left_out[kind] += 1
                continue
            if span is None:
                earliest, latest = event_bounds(row)
            for lane in _row_countries(kind, row, tables, agencies, parties):
                items.append(Item(kind, row.get(key_column, ""), lane, span, earliest, latest))
    items.sort(key=lambda item: (*item.sort_key, list(KINDS).index(item.kind), item.key, item.lane))
    return TimelineData(items, total, left_out, lanes_of({item.lane for item in items}))


def timeline_caption(data: TimelineData) -> str:
    """What is drawn, how partial dates and bounds are placed, and how many rows are left out for want of a date."""
    parts = [f"{data.left_out[kind]} of {data.total[kind]} {ROW_NOUNS.get(KINDS[kind][1], KINDS[kind][1])} ({KINDS[kind][2]})" for kind in KINDS if kind not in BOUNDED]
    events = {item.key: item.how for item in data.items if item.kind == "event"}
    bounded, undated = sum(how == "bounds" for how in events.values()), sum(how == "undated" for how in events.values())
    return (
        "A date given only as a year is plotted at mid-year, one given as a year and month at mid-month; the bar behind "
        f"such a marker spans the year or month. Every event is drawn: {len(events) - bounded - undated} with a start_date; "
        f"{bounded} without, as an open marker over the bounds of its start (earliest_date, series_since or the date of a "
        "source that reports it planned or proposed: not before; latest_date, end_date or the date of a source that reports "
        "it held or under way: not after), with an arrow where only one is known; "
        f"{undated} with no bound, in the column on the right. An agreement is drawn once for each party's country; a "
        "treaty act (a state's signature, ratification, accession, domestic approval or entry into force of a treaty, from "
        "agreement_actions.csv) in the state's lane. Markers of one kind at one place in one lane are drawn once, their number "
        "beside them. Central Asian states come first (shaded). "
        f"Left out for want of a date: {', '.join(parts)}."
    )


def _assign_rows(extents: dict[Item, tuple[datetime, datetime]]) -> dict[Item, int]:
    """Sub-rows within a lane, so that no two drawn items in one lane overlap (first fit, in the order given)."""
    ends: list[datetime] = []
    rows: dict[Item, int] = {}
    for item, (left, right) in extents.items():
        for index, end in enumerate(ends):
            if end <= left:
                ends[index] = right
                rows[item] = index
                break
        else:
            rows[item] = len(ends)
            ends.append(right)
    return rows


@dataclass(frozen=True)
class Glyph:
    """A legend key drawn like the timeline draws an item with only bounds: "between" two dates or "after" one."""

    shape: str


class GlyphHandler(HandlerBase):
    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):  # type: ignore[no-untyped-def]
        y = height / 2 - ydescent
        x0, x1 = -xdescent, -xdescent + width
        if orig_handle.shape == "between":
            bar = Line2D([x0 + 1, x1 - 1], [y, y], color=GREY, linewidth=1.3, marker="|", markevery=[0, 1], markersize=7)
            marker = Line2D([(x0 + x1) / 2], [y], marker="o", **HOLLOW, markeredgecolor=GREY)
            artists = [bar, marker]
        else:
            arrow = FancyArrowPatch((x0 + 3, y), (x1, y), arrowstyle="-|>", mutation_scale=8, color=GREY, linewidth=1.3, shrinkA=0, shrinkB=0)
            marker = Line2D([x0 + 3], [y], marker="o", **HOLLOW, markeredgecolor=GREY)
            artists = [arrow, marker]
        for artist in artists:
            artist.set_transform(trans)
        return artists


@dataclass
class Mark:
    """One glyph on the timeline, standing for one or more items (of one kind, in one lane, placed alike)."""

    items: list[Item]
    x: datetime  # the marker
    left: datetime  # the glyph's extent, marker, bar and arrow included
    right: datetime
    bar: tuple[datetime, datetime] | None = None  # the span of a year or month, or the bounds of an item with two
    arrow: tuple[datetime, datetime] | None = None  # from the one bound known, outward


def _marks(items: list[Item], gap: timedelta, arrow: timedelta) -> list[Mark]:
    groups: dict[tuple[object, ...], list[Item]] = defaultdict(list)
    for item in items:
        groups[(item.kind, item.lane, item.span, item.earliest, item.latest)].append(item)
    marks = []
    for members in groups.values():
        item = members[0]
        if item.span is not None:
            x = item.span.middle
            bar = (item.span.start, item.span.end) if item.span.precision != "day" else None
            marks.append(Mark(members, x, min(item.span.start, x - gap), max(item.span.end, x + gap), bar=bar))
        elif item.earliest and item.latest:
            x = item.earliest + (item.latest - item.earliest) / 2
            marks.append(Mark(members, x, min(item.earliest, x - gap), max(item.latest, x + gap), bar=(item.earliest, item.latest)))
        elif item.earliest:
            marks.append(Mark(members, item.earliest, item.earliest - gap, item.earliest + arrow, arrow=(item.earliest, item.earliest + arrow)))
        elif item.latest:
            marks.append(Mark(members, item.latest, item.latest - arrow, item.latest + gap, arrow=(item.latest, item.latest - arrow)))
        else:
            marks.append(Mark(members, UNDATED, UNDATED - gap, UNDATED + gap))
    return marks


def _draw_mark(ax: Axes, mark: Mark, y: float) -> None:
    item = mark.items[0]
    _label, _table, _column, marker, colour = KINDS[item.kind]
    hollow = item.how != "date"
    if mark.bar and not hollow:
        ax.plot(list(mark.bar), [y, y], color=colour, alpha=0.35, linewidth=4, solid_capstyle="butt", zorder=2)
    if mark.bar and hollow:
        ax.plot(list(mark.bar), [y, y], color=colour, linewidth=1.3, marker="|", markersize=7, zorder=2)
    if mark.arrow:
        start, end = (mdates.date2num(point) for point in mark.arrow)
        arrowprops = {"arrowstyle": "-|>", "color": colour, "linewidth": 1.3, "shrinkA": 0, "shrinkB": 0, "mutation_scale": 8}
        ax.annotate("", xy=(end, y), xytext=(start, y), arrowprops=arrowprops, zorder=2)
    x = 0.5 if item.how == "undated" else mark.x
    look = {**HOLLOW, "markeredgecolor": colour} if hollow else {"markersize": 7, "markerfacecolor": colour, "markeredgecolor": "white", "markeredgewidth": 0.7}
    ax.plot([x], [y], marker=marker, linestyle="none", zorder=3, **look)
    if len(mark.items) > 1:
        at = 0.5 if item.how == "undated" else mdates.date2num(max(mark.x, mark.arrow[1] if mark.arrow else mark.x, mark.bar[1] if mark.bar else mark.x))
        ax.annotate(f"×{len(mark.items)}", xy=(at, y), xytext=(4.5, 0), textcoords="offset points", fontsize=7, va="center", ha="left", color="#333333", zorder=4)


def timeline_figure(tables: Tables) -> Figure:
    return timeline_drawing(tables)[0]


def timeline_drawing(tables: Tables) -> tuple[Figure, list[Item]]:
    """The timeline, and the items it draws (one per row and lane; those of a mark counted "×n" all listed)."""
    data = timeline_data(tables)
    names = country_names(tables)
    placed = [item for item in data.items if item.how != "undated"]
    points = [p for item in placed for p in ((item.span.start, item.span.end) if item.span else (item.earliest, item.latest)) if p]
    low, high = (min(points), max(points)) if points else (datetime(2020, 1, 1), datetime(2026, 1, 1))
    low = datetime(low.year, 1, 1)
    high = datetime(high.year + (high != datetime(high.year, 1, 1)), 1, 1)
    if (high - low).days < 3 * 366:
        low, high = datetime(low.year - 1, 1, 1), datetime(high.year + 1, 1, 1)
    arrow = (high - low) * 0.035  # the length of the arrow from a single bound
    low = min([low, *(item.latest - arrow for item in placed if item.latest and not item.earliest)])
    high = max([high, *(item.earliest + arrow for item in placed if item.earliest and not item.latest)])
    pad = (high - low) * 0.02
    low, high = low - pad, high + pad
    gap = (high - low) * 0.012  # half a marker's width, in time

    marks = _marks(data.items, gap, arrow)
    by_lane: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_lane[mark.items[0].lane].append(mark)
    step = 0.34  # height of a sub-row, in lane units
    positions: dict[int, float] = {}
    centres: list[float] = []
    y = 0.0
    bounds: list[tuple[float, float]] = []
    for lane in data.lanes:
        lane_marks = sorted(by_lane.get(lane, []), key=lambda m: (m.left, m.right, list(KINDS).index(m.items[0].kind), m.items[0].key))
        room = {id(m): gap * 3.2 if len(m.items) > 1 else timedelta(0) for m in lane_marks}  # for the count beside the mark
        sub = _assign_rows({m.items[0]: (m.left, m.right + room[id(m)]) for m in lane_marks})
        count = max(sub.values(), default=0) + 1
        height = max(0.75, count * step + 0.3)
        top = y
        centre = top + height / 2
        for m in lane_marks:
            positions[id(m)] = centre + (sub[m.items[0]] - (count - 1) / 2) * step
        centres.append(centre)
        bounds.append((top, top + height))
        y += height

    undated = any(item.how == "undated" for item in data.items)
    height_in = 1.9 + 0.34 * y + 0.16 * len(textwrap.wrap(timeline_caption(data), CAPTION_CHARS))
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    side = ax.inset_axes((1.015, 0.0, 0.06, 1.0), sharey=ax) if undated else None  # the column of undated items
    for axes in (ax, side) if side else (ax,):
        for (top, bottom), lane in zip(bounds, data.lanes, strict=True):
            if lane in CENTRAL_ASIA:
                axes.axhspan(top, bottom, color=CA_BAND, zorder=0, linewidth=0)
            axes.axhline(bottom, color="#dddddd", linewidth=0.6, zorder=0.5)
    drawn: list[Item] = []
    for mark in marks:
        target = side if mark.items[0].how == "undated" else ax
        assert target is not None
        _draw_mark(target, mark, positions[id(mark)])
        drawn.extend(mark.items)

    labels = [(f"{names[lane]} ({lane})" if lane in names else lane) if lane else "no country" for lane in data.lanes]
    ax.set_yticks(centres, labels)
    for tick, lane in zip(ax.get_yticklabels(), data.lanes, strict=True):
        if lane in CENTRAL_ASIA:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(y, 0)
    ax.set_xlim(low, high)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    ax.set_xticks([tick for tick in locator.tick_values(low, high) if mdates.date2num(low) <= tick <= mdates.date2num(high)])
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel("date (UTC)")
    ax.set_ylabel("country")
    if side is not None:
        side.set_xlim(0, 1)
        side.set_xticks([0.5], ["no\ndate"])
        side.tick_params(axis="y", length=0, labelleft=False)
        side.spines["left"].set_linestyle((0, (2, 2)))

    shapes = {"between" if item.earliest and item.latest else "one" for item in data.items if item.how == "bounds"}
    drawn_kinds = {item.kind for item in data.items}  # a kind with nothing dated is named in the caption, not the legend
    keys: list[tuple[object, str]] = [
        (Line2D([], [], marker=marker, color=colour, markeredgecolor="white", linestyle="none", markersize=7), label)
        for kind, (label, _t, _c, marker, colour) in KINDS.items()
        if kind in drawn_kinds
    ]
    keys.append((Line2D([], [], color=GREY, alpha=0.5, linewidth=4), "span of a year or month date"))
    if "between" in shapes:
        keys.append((Glyph("between"), "no date: start between bounds"))
    if "one" in shapes:
        keys.append((Glyph("after"), "no date: start after → or before ←"))
    if side is not None:
        keys.append((Line2D([], [], marker="o", linestyle="none", **HOLLOW, markeredgecolor=GREY), "no date, no bound (at right)"))
    handles, texts = zip(*keys, strict=True)
    ax.legend(
        handles=list(handles), labels=list(texts), handler_map={Glyph: GlyphHandler()}, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3,
        frameon=False, columnspacing=1.4, handletextpad=0.6,
    )  # fmt: skip
    fig.suptitle("Timeline by country: events, agreements, treaty acts, memberships, launches", fontsize=11, fontweight="bold")
    fig.supxlabel("\n".join(textwrap.wrap(timeline_caption(data), CAPTION_CHARS)), fontsize=7.5, ha="left", x=0.01, color="#333333")
    return fig, drawn

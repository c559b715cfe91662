"""The timeline: every dated event, agreement, treaty act, membership and launch, in its country's lane.

A partial date is drawn at the middle of the year or month it names, over a bar that spans it; a row with no usable
date is counted in the caption, not drawn.
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from validate.model import CENTRAL_ASIA

from .drawing import CA_BAND, CAPTION_CHARS, GREY, OKABE_ITO, PNG_DPI, WIDTH_IN
from .tables import NO_COUNTRY, Row, Span, Tables, by_id, country_names, lanes_of, parse_span

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
            if span is None:
                left_out[kind] += 1
                continue
            for lane in _row_countries(kind, row, tables, agencies, parties):
                items.append(Item(kind, row.get(key_column, ""), lane, span))
    items.sort(key=lambda item: (item.span.start, item.span.end, list(KINDS).index(item.kind), item.key, item.lane))
    return TimelineData(items, total, left_out, lanes_of({item.lane for item in items}))


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

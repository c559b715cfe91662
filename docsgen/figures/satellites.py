"""The satellites figure: each country's satellites and satellite projects, counted by kind and by status."""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import ScaledTranslation

from validate.model import CENTRAL_ASIA

from .drawing import CA_BAND, CAPTION_CHARS, PNG_DPI, WIDTH_IN
from .tables import NO_COUNTRY, Tables, country_names, lanes_of

# Status colours (issue 19): Okabe-Ito and Paul Tol colours, chosen so that every pair differs by a CIEDE2000 of more
# than 20, and by more than 12 as seen with protanopia or deuteranopia (tests/test_figures.py measures them).
STATUS_COLOURS = {
    "operating": "#228833",  # green
    "launched": "#66CCEE",  # cyan
    "in-development": "#F0E442",  # yellow
    "planned": "#332288",  # indigo
    "failed": "#000000",  # black
    "retired": "#555555",  # dark grey
}
STATUS_OTHER = "#BBBBBB"  # light grey: a status not stated, or one outside the list above
STATUS_ORDER = tuple(STATUS_COLOURS)


def satellite_rows(tables: Tables) -> tuple[list[str], dict[str, Counter[str]], dict[str, Counter[str]]]:
    """(lanes, kind counts per lane, status counts per lane): one count per row (a constellation counts once)."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for row in tables["satellites"]:
        lane = row.get("country_id", "") or NO_COUNTRY
        mission, thing = row.get("mission", "").replace("-", " "), row.get("object_type", "") or "object"
        kinds[lane][f"{mission} {thing}" if mission else f"{thing}, mission not stated"] += 1
        statuses[lane][row.get("status", "") or "status not stated"] += 1
    return lanes_of(set(kinds)), kinds, statuses


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
    status_colours = {s: STATUS_COLOURS.get(s, STATUS_OTHER) for s in status_order}

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

"""The cooperation network: countries, organisations and treaties, linked by agreements and memberships.

A treaty is a node of its own linked to each state party; any other agreement links each pair of its parties. A link
that rests on a party or membership row the compilers inferred (`basis` = inferred) is dotted, one only proposed or
under discussion dashed (issue 19); every abbreviation in the drawing is spelt out in a key below it.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.text import Text

from validate.model import CENTRAL_ASIA

from .drawing import CAPTION_CHARS, GREY, HIGHLIGHT, OKABE_ITO, PNG_DPI, WIDTH_IN
from .layout import network_layout, place_labels
from .tables import Row, Tables, by_id, country_names

EDGE_KINDS = {  # edge kind -> (legend label, colour)
    "instrument": ("agreement: memorandum or agreement", OKABE_ITO[3]),
    "cooperation": ("agreement: stated cooperation", OKABE_ITO[0]),
    "membership": ("membership", OKABE_ITO[2]),
    "treaty": ("state party to a treaty", "#333333"),
}
LINK_STYLES = {  # how a link is drawn -> (legend label, line style); solid is a link the source states
    "stated": ("stated by the source", "-"),
    "inferred": ("inferred by the compilers (basis: inferred)", (0, (1.2, 1.6))),
    "proposed": ("proposed or under discussion", (0, (4, 2))),
    "proposed-inferred": ("proposed, and inferred by the compilers", (0, (4, 1.5, 1.2, 1.5))),
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


def short_label(agency: Row, limit: int = 22, most_lines: int = 4) -> str:
    """The acronym where there is one (spelt out in the key); else the whole name, wrapped, never cut short.

    A name longer than `most_lines` lines of `limit` characters is wrapped on wider lines instead.
    """
    if agency.get("acronym"):
        return agency["acronym"]
    name = agency.get("name", "") or agency.get("agency_id", "")
    if len(name) <= limit - 4:
        return name
    lines = textwrap.wrap(name, limit)
    if len(lines) > most_lines:
        lines = textwrap.wrap(name, max(limit, math.ceil(len(name) / most_lines) + 6))
    return "\n".join(lines)


def treaty_label(agreement_id: str) -> str:
    """A treaty's short name from its identifier (`outer-space-treaty` -> "Outer Space\nTreaty"): its titles are long."""
    words = [word.capitalize() for word in agreement_id.split("-")]
    return "\n".join(textwrap.wrap(" ".join(words), 14)) or agreement_id


def spelt_out(agency: Row) -> str:
    """What the key says of an organisation drawn by its acronym: its name and country; "" when it is drawn by name."""
    acronym, name, country = agency.get("acronym", ""), agency.get("name", ""), agency.get("country_id", "")
    if not acronym:
        return ""
    if not name or name == acronym:  # the sources give only the acronym
        return f"{NODE_KINDS[node_kind(agency)][0]}{f' ({country})' if country else ''}, acronym only"
    return f"{name} ({country})" if country else name


def link_style(entry: dict[str, int]) -> str:
    """How a link is drawn (a key of LINK_STYLES): as the firmest of the agreements or memberships behind it."""
    return next(style for style in LINK_STYLES if entry.get(style))


def key_entries(graph: nx.Graph) -> list[tuple[str, str]]:
    """(abbreviation, what it stands for) for every node drawn by a code or acronym: countries first, then organisations."""
    found = {(graph.nodes[n]["kind"] != "country", graph.nodes[n]["label"], graph.nodes[n]["full"]) for n in graph.nodes if graph.nodes[n]["full"]}
    return [(label, full) for _org, label, full in sorted(found, key=lambda e: (e[0], e[1].casefold(), e[2]))]


@dataclass(frozen=True)
class Abbreviation:
    """A key entry's handle: the abbreviation itself, in bold."""

    text: str


class AbbreviationHandler(HandlerBase):
    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):  # type: ignore[no-untyped-def]
        text = Text(-xdescent, height / 2 - ydescent, orig_handle.text, fontsize=fontsize, fontweight="bold", ha="left", va="center")
        text.set_transform(trans)
        return [text]


@dataclass
class NetworkData:
    graph: nx.Graph
    edges: dict[tuple[str, str, str], dict[str, int]]  # (a, b, kind) -> {"count": n, "agreed": m, "stated": k, style: links drawn so}
    not_drawn: dict[str, int]  # why -> rows


def _node(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def network_data(tables: Tables) -> NetworkData:
    """Countries and organisations linked by the agreements they are parties to and the memberships they hold."""
    agencies = by_id(tables["agencies"], "agency_id")
    countries = {row["country_id"] for row in tables["countries"] if row.get("country_id")}
    agreements = by_id(tables["agreements"], "agreement_id")
    edges: dict[tuple[str, str, str], dict[str, int]] = {}
    not_drawn: Counter[str] = Counter()

    def party(country_id: str, agency_id: str) -> str | None:
        if country_id:
            return _node("country", country_id)
        if agency_id:
            return _node("agency", agency_id)
        return None

    def link(a: str, b: str, kind: str, agreed: bool, stated: bool) -> None:
        a, b = sorted((a, b))
        entry = edges.setdefault((a, b, kind), {"count": 0, "agreed": 0, "stated": 0})
        entry["count"] += 1
        entry["agreed"] += agreed
        entry["stated"] += stated
        style = ("stated" if stated else "inferred") if agreed else ("proposed" if stated else "proposed-inferred")
        entry[style] = entry.get(style, 0) + 1

    # party -> whether a party row that names it is stated (not inferred by the compilers), per agreement
    members: dict[str, dict[str, bool]] = defaultdict(dict)
    for row in tables["agreement_parties"]:
        node = party(row.get("party_country_id", ""), row.get("party_agency_id", ""))
        if node:
            stated = members[row.get("agreement_id", "")]
            stated[node] = stated.get(node, False) or row.get("basis", "") != "inferred"
    for agreement_id in sorted(members):
        agreement = agreements.get(agreement_id, {})
        stated = members[agreement_id]
        nodes = sorted(stated)
        if agreement.get("agreement_type", "") == "treaty":
            # A treaty is a node of its own, linked to each party: its parties are not linked to one another.
            for node in nodes:
                link(node, _node("treaty", agreement_id), "treaty", agreement.get("status", "") not in NOT_AGREED, stated[node])
            continue
        if len(nodes) < 2:
            not_drawn["agreements with a single party"] += 1
            continue
        kind = "cooperation" if agreement.get("agreement_type", "").endswith("-cooperation") else "instrument"
        agreed = agreement.get("status", "") not in NOT_AGREED
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                link(a, b, kind, agreed, stated[a] and stated[b])
    for row in tables["memberships"]:
        member = party(row.get("member_country_id", ""), row.get("member_agency_id", ""))
        body = row.get("body_agency_id", "")
        if not member or not body:
            not_drawn["memberships of a programme, not an organisation"] += 1
            continue
        link(member, _node("agency", body), "membership", row.get("status", "") != "ended", row.get("basis", "") != "inferred")

    names = country_names(tables)
    graph = nx.Graph()
    for a, b, _kind in sorted(edges):
        for node in (a, b):
            if node not in graph:
                graph.add_node(node)
        graph.add_edge(a, b)
    for node in sorted(graph.nodes):
        kind, ident = node.split(":", 1)
        if kind == "country":
            graph.nodes[node].update(label=ident, kind="country", central=ident in CENTRAL_ASIA, known=ident in countries, full=names.get(ident, ident))
        elif kind == "treaty":
            graph.nodes[node].update(label=treaty_label(ident), kind="treaty", central=False, known=ident in agreements, full="")
        else:
            agency = agencies.get(ident, {"agency_id": ident})
            graph.nodes[node].update(
                label=short_label(agency), kind=node_kind(agency), central=agency.get("country_id", "") in CENTRAL_ASIA, known=ident in agencies,
                full=spelt_out(agency),
            )  # fmt: skip
    unlinked = sum(1 for agency_id in agencies if _node("agency", agency_id) not in graph)
    if unlinked:
        not_drawn["organisations with no agreement or membership"] = unlinked
    return NetworkData(graph, edges, dict(sorted(not_drawn.items())))


def network_caption(data: NetworkData, unplaced: list[str]) -> str:
    graph = data.graph
    text = (
        f"{graph.number_of_nodes()} countries, organisations and treaties, {len(data.edges)} links. An agreement links each pair "
        "of its parties, except a treaty (the UN space treaties), drawn as a node of its own linked to each state party; a "
        "membership links the member to the organisation. Countries by ISO 3166 code; organisations by acronym "
        "or name; the key spells out every code and acronym. A solid line is a link the source states; a dotted one rests on a "
        "party or membership the compilers inferred (basis: inferred in agreement_parties.csv or memberships.csv); a dashed one "
        "is an agreement only proposed or under discussion. Central Asian states and their organisations are ringed in red. "
        "Layout: networkx spring layout, fixed seed."
    )
    if data.not_drawn:
        text += " Not drawn: " + ", ".join(f"{n} {why}" for why, n in data.not_drawn.items()) + "."
    if unplaced:
        names = ", ".join(sorted(graph.nodes[node]["label"].replace("\n", " ") for node in unplaced))
        text += f" Unlabelled for want of room: {names}."
    return text


def _arc(start: tuple[float, float], end: tuple[float, float], bend: float, samples: int = 24) -> list[tuple[float, float]]:
    """The points of a link bent like matplotlib's arc3 connection (a quadratic Bezier), for a line collection."""
    (x1, y1), (x2, y2) = start, end
    cx, cy = (x1 + x2) / 2 + bend * (y2 - y1), (y1 + y2) / 2 - bend * (x2 - x1)
    t = np.linspace(0.0, 1.0, samples)
    xs = (1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t**2 * x2
    ys = (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t**2 * y2
    return [(round(float(x), 6), round(float(y), 6)) for x, y in zip(xs, ys, strict=True)]


KEY_CHARS = 42  # characters per line of a key entry, three columns across the figure
KEY_FONT = 7.0


def network_figure(tables: Tables) -> Figure:
    data = network_data(tables)
    graph = data.graph
    pos = network_layout(graph)
    key = [(label.replace("\n", " "), "\n".join(textwrap.wrap(full, KEY_CHARS))) for label, full in key_entries(graph)]
    key_lines = math.ceil(sum(full.count("\n") + 1 for _label, full in key) / 3) + 2
    key_height = 0.15 * key_lines if key else 0.0
    caption_lines = len(textwrap.wrap(network_caption(data, []), CAPTION_CHARS))
    fig = Figure(figsize=(WIDTH_IN, 7.9 + key_height + 0.16 * caption_lines), dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    if key:
        ax, key_ax = fig.subplots(2, 1, height_ratios=[8.6 - 2.6, 0.02])
        key_ax.set_axis_off()
    else:
        ax, key_ax = fig.add_subplot(), None
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
    styles = {link_style(entry) for entry in data.edges.values()}
    if styles - {"stated"}:  # line styles keyed only where more than one is drawn
        legend_edges += [Line2D([], [], color=GREY, linewidth=1.3, linestyle=dash, label=label) for name, (label, dash) in LINK_STYLES.items() if name in styles]
    ax.legend(handles=legend_nodes + legend_edges, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3, frameon=False, columnspacing=1.2, handletextpad=0.3)
    if key_ax is not None:
        longest = max(len(label) for label, _full in key)
        key_ax.legend(
            handles=[Abbreviation(label) for label, _full in key], labels=[full for _label, full in key], handler_map={Abbreviation: AbbreviationHandler()},
            loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False, fontsize=KEY_FONT, handlelength=0.62 * longest + 0.4,
            handletextpad=0.4, columnspacing=1.0, labelspacing=0.35, title="Key to the country codes and acronyms", title_fontsize=8, alignment="left",
        )  # fmt: skip
    fig.suptitle("Cooperation network: agreements, treaties and memberships", fontsize=11, fontweight="bold")
    caption = fig.supxlabel("", fontsize=7.5, ha="left", x=0.01, color="#333333")
    # Fix the layout with a provisional caption of the same height, then freeze it before measuring labels.
    caption.set_text("\n".join(textwrap.wrap(network_caption(data, []), CAPTION_CHARS)) + "\n")
    fig.canvas.draw()
    fig.set_layout_engine("none")

    # Edges: parallel links of different kinds between one pair are bent apart; one collection per line style.
    kinds_per_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, b, kind in sorted(data.edges):
        kinds_per_pair[(a, b)].append(kind)
    lines: dict[str, list[tuple[list[tuple[float, float]], str, float]]] = {name: [] for name in LINK_STYLES}
    for (a, b), kinds in sorted(kinds_per_pair.items()):
        for index, kind in enumerate(kinds):
            entry = data.edges[(a, b, kind)]
            bend = 0.0 if len(kinds) == 1 else (index - (len(kinds) - 1) / 2) * 0.3
            width = 0.9 + 0.6 * min(entry["count"] - 1, 3)
            points = [pos[a], pos[b]] if not bend else _arc(pos[a], pos[b], bend)
            lines[link_style(entry)].append((points, EDGE_KINDS[kind][1], width))
    for name, drawn in lines.items():
        if drawn:
            segments, colours, widths = zip(*drawn, strict=True)
            collection = LineCollection(
                list(segments), colors=list(colours), linewidths=list(widths), linestyles=LINK_STYLES[name][1], alpha=0.75, zorder=1, gid=f"links-{name}",
            )  # fmt: skip
            ax.add_collection(collection, autolim=False)
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

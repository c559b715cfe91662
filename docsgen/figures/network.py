"""The cooperation network: countries, organisations and treaties, linked by agreements and memberships.

A treaty is a node of its own linked to each state party; any other agreement links each pair of its parties.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from validate.model import CENTRAL_ASIA

from .drawing import CAPTION_CHARS, GREY, HIGHLIGHT, OKABE_ITO, PNG_DPI, WIDTH_IN
from .layout import network_layout, place_labels
from .tables import Row, Tables, by_id

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

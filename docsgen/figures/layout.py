"""Where the network's nodes and labels go: a seeded spring layout spread apart, and labels placed clear of each other.

Coordinates are sorted and rounded, so the same graph gives the same drawing on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from .drawing import GREY, overlaps

SEED = 2  # chosen, with the spacing below, for a legible drawing of the current tables


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
                if any(overlaps(candidate, other) for other in obstacles):
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

"""What every figure shares: the fixed style and palette, reproducible bytes, and the check that no two texts overlap.

The bytes must not depend on the run, the machine's fonts or the time: the Agg backend only, DejaVu Sans (bundled
with matplotlib), a fixed SVG hash salt, no date or software in the metadata. Text in the SVG is drawn as paths so
that it looks the same in every browser.
"""

from __future__ import annotations

import contextlib
import io

import matplotlib
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

matplotlib.use("Agg")

WIDTH_IN = 8.0  # README width ~800 px; the PNG is drawn at twice that
PNG_DPI = 200
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


def style() -> contextlib.AbstractContextManager[None]:
    """The fixed style every figure is drawn in; build and save figures inside it."""
    return matplotlib.rc_context(RC)


def save(fig: Figure, fmt: str) -> bytes:
    """The figure's bytes as SVG or PNG, with no date or software in them. Call inside `style()`."""
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    else:
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


def overlaps(a: Bbox, b: Bbox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def drawn_texts(fig: Figure) -> list[Text]:
    """The visible, non-empty texts of the figure that a draw puts on it: not the labels of ticks outside an axis's view."""
    hidden: set[int] = set()
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - slack <= tick.get_loc() <= high + slack:
                    hidden.update((id(tick.label1), id(tick.label2)))
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.get_figure(root=True) is fig and id(t) not in hidden]


def texts_outside(fig: Figure, draw: bool = True) -> list[str]:
    """The texts that reach beyond the edge of the figure, as the renderer measures them (there should be none)."""
    if draw:
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    found = []
    for text in drawn_texts(fig):
        box = text.get_window_extent(renderer)
        if box.x0 < frame.x0 - 0.5 or box.y0 < frame.y0 - 0.5 or box.x1 > frame.x1 + 0.5 or box.y1 > frame.y1 + 0.5:
            found.append(text.get_text())
    return found


def text_overlaps(fig: Figure, draw: bool = True) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts in the figure whose boxes overlap (there should be none).

    `draw=False` measures the figure as its last draw (a savefig) left it, which is much faster.
    """
    if draw:
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in drawn_texts(fig)]
    found = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if overlaps(box_a, box_b):
                found.append((a, b))
    return found

"""The README's figures, drawn from the tables (issue 12): `docs/figures/{timeline,network,satellites}.{svg,png}`.

`python -m docsgen` writes them with the other generated files, and `--check` names them when the files on disk
differ from what the tables give now. The bytes must not depend on the run, the machine or the time (drawing.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from .drawing import save, style
from .network import network_figure
from .satellites import satellites_figure
from .tables import read_tables
from .timeline import timeline_figure

OUT_DIR = Path("docs") / "figures"
NAMES = ("timeline", "network", "satellites")
BUILDERS = {"timeline": timeline_figure, "network": network_figure, "satellites": satellites_figure}


def figures(root: Path, names: Sequence[str] = NAMES) -> dict[str, Figure]:
    """The figures as matplotlib objects, for tests that look inside them. Call inside `style()`."""
    tables = read_tables(root)
    return {name: BUILDERS[name](tables) for name in names}


def save_all(built: dict[str, Figure]) -> dict[str, bytes]:
    """File name -> bytes, an SVG and a PNG of each figure. Call inside `style()`."""
    return {f"{name}.{fmt}": save(fig, fmt) for name, fig in sorted(built.items()) for fmt in ("svg", "png")}  # PNG last: its draw, at the figure's dpi, is the one left


def render(root: Path, names: Sequence[str] = NAMES) -> dict[str, bytes]:
    """File name -> bytes of every figure (or of those named), drawn from the tables under `root`; nothing is written."""
    with style():
        return save_all(figures(root, names))


def stale(root: Path, out_dir: Path | None = None, rendered: dict[str, bytes] | None = None) -> list[str]:
    """The figure files under `out_dir` (default root/docs/figures) missing or unlike what render() gives.

    `rendered` is render(root), for a caller that has it already.
    """
    target = out_dir or root / OUT_DIR
    fresh = render(root) if rendered is None else rendered
    return [name for name, data in sorted(fresh.items()) if not (target / name).is_file() or (target / name).read_bytes() != data]

"""The benchmark's numbers as the docs show them: docs/performance.md's results table and its table of issue 17's
targets, and the README's speed summary, all from docs/performance.json (which `bench/run.py --docs` writes).

The measurements cannot be taken again by `python -m docsgen` (they take many minutes and a quiet machine), so the
JSON is the record and every number the docs give is rendered from it: no table or sentence copies a measurement.
"""

from __future__ import annotations

import json
from pathlib import Path

from .markdown import replace_block

RESULTS = Path("docs") / "performance.json"
# issue 17's targets: frictionless/ours at least, ours/polars at most, ours MB / CSV MB at most (at 1M rows)
REAL_VS_FRICTIONLESS, BIG_VS_FRICTIONLESS, BIG_VS_POLARS, MEMORY = 2.0, 12.0, 6.0, 3.5
BIG = 1_000_000


def read(root: Path) -> dict:
    return json.loads((root / RESULTS).read_text("utf-8"))


def results_table(results: list[dict]) -> str:
    """One row per scale: rows, CSV size, time and peak memory of ours, frictionless and a bare polars read."""
    head = ["scale", "rows", "CSV MB", "ours s", "ours MB", "frictionless s", "frictionless MB", "polars read s", "polars read MB",
            "frictionless/ours", "ours/polars", "ours MB / CSV MB", "caught: ours", "caught: frictionless"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    for r in results:
        ours, fr, floor, planted = r["ours"], r["frictionless"], r["polars"], r["planted"]
        cells = [r["scale"], f"{r['rows']:,}", f"{r['csv_mb']:.1f}", f"{ours['seconds']:.2f}", f"{ours['peak_mb']:.0f}",
                 f"{fr['seconds']:.2f}" if fr else "skipped", f"{fr['peak_mb']:.0f}" if fr else "skipped",
                 f"{floor['seconds']:.2f}", f"{floor['peak_mb']:.0f}",
                 f"{fr['seconds'] / ours['seconds']:.1f}x" if fr else "-", f"{ours['seconds'] / floor['seconds']:.1f}x",
                 f"{ours['peak_mb'] / r['csv_mb']:.1f}",
                 f"{len(r['caught_ours'])}/{planted}" if planted else "-",
                 (f"{len(r['caught_frictionless'])}/{planted}" if r["caught_frictionless"] is not None else "skipped") if planted else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def bench_block(record: dict) -> str:
    return f"Measured on {record['date']} ({record['machine']}), wall-clock seconds, interpreter start included:\n\n{results_table(record['results'])}"


def verdict(measured: float, target: float, larger_is_better: bool) -> str:
    """'met', or by what factor the measurement misses the target."""
    if (measured >= target) if larger_is_better else (measured < target):
        return "met"
    factor = target / measured if larger_is_better else measured / target
    return f"**missed** by a factor of {factor:.1f}" if factor >= 1.1 else f"**missed** by {100 * (factor - 1):.1f}%"  # "1.0" would hide it


def target_rows(record: dict) -> list[tuple[str, str, str]]:
    """(target, what was measured, met or by how much it was missed) for each of issue 17's targets the record has."""
    rows = []
    for r in record["results"]:
        ours, fr, floor = r["ours"], r["frictionless"], r["polars"]
        if r["scale"] == "real package" and fr:
            ratio = fr["seconds"] / ours["seconds"]
            rows.append(("the real package at least 2x faster than `frictionless validate`, interpreter included",
                         f"{ratio:.1f}x ({ours['seconds']:.2f} s against {fr['seconds']:.2f} s)", verdict(ratio, REAL_VS_FRICTIONLESS, True)))
        if r["rows"] < 0.9 * BIG or r["rows"] > 1.1 * BIG:
            continue
        model = r["scale"].split("(")[-1].rstrip(")") if "(" in r["scale"] else "replicated"
        if fr:
            ratio = fr["seconds"] / ours["seconds"]
            rows.append((f"1M rows ({model}): at least 12x faster than `frictionless validate`",
                         f"{ratio:.1f}x ({ours['seconds']:.2f} s against {fr['seconds']:.2f} s)", verdict(ratio, BIG_VS_FRICTIONLESS, True)))
        ratio = ours["seconds"] / floor["seconds"]
        rows.append((f"1M rows ({model}): within 6x of a bare typed polars read", f"{ratio:.1f}x ({ours['seconds']:.2f} s against {floor['seconds']:.2f} s)",
                     verdict(ratio, BIG_VS_POLARS, False)))
        ratio = ours["peak_mb"] / r["csv_mb"]
        rows.append((f"1M rows ({model}): peak memory under 3.5x the CSV size", f"{ratio:.1f}x ({ours['peak_mb']:,.0f} MB for {r['csv_mb']:.0f} MB)",
                     verdict(ratio, MEMORY, False)))
    gate = "growth linear, gated by `bench/run.py` (at most 1.1x the growth of the rows)"
    rows += [(gate, line, "met") for line in record.get("growth", [])]
    rows += [(gate, line, "**missed**") for line in record.get("growth_missed", [])]
    return rows


def targets_block(record: dict) -> str:
    return "\n".join(["| target | measured | |", "|---|---|---|"] + [f"| {t} | {m} | {v} |" for t, m, v in target_rows(record)])


def speed_block(record: dict) -> str:
    """The README's summary: each target, met or by how much it is missed."""
    missed = [(t, m, v) for t, m, v in target_rows(record) if v != "met"]
    met = [t for t, _, v in target_rows(record) if v == "met"]
    lines = [f"Measured on {record['date']} by `bench/run.py` ([docs/performance.md](docs/performance.md), which says why "
             f"and gives the profile): {len(met)} of {len(met) + len(missed)} of issue 17's targets met."]
    lines += [f"- {t}: {m}, {v}." for t, m, v in missed]
    return "\n".join(lines)


def performance_page(root: Path, text: str) -> str:
    record = read(root)
    return replace_block(replace_block(text, "bench", bench_block(record), "docs/performance.md"), "targets", targets_block(record),
                         "docs/performance.md")

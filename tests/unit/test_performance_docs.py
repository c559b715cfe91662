"""The docs' speed numbers are rendered from the benchmark's record (docs/performance.json), never copied."""

from __future__ import annotations

from docsgen import performance


def run(seconds: float, mb: float) -> dict:
    return {"seconds": seconds, "peak_mb": mb}


RECORD = {"date": "2026-12-04", "machine": "test", "growth": ["time 6.5x from 100,000 to 1,000,000 rows (at most 11.0x)"], "results": [
    {"scale": "real package", "rows": 2000, "csv_mb": 1.0, "ours": run(1.0, 100), "frictionless": run(2.5, 50), "polars": run(0.2, 60),
     "caught_ours": [], "caught_frictionless": None, "planted": 0},
    {"scale": "1,000,000 (distinct)", "rows": 998_000, "csv_mb": 400.0, "ours": run(30.0, 2000), "frictionless": run(90.0, 400),
     "polars": run(1.0, 500), "caught_ours": ["a"], "caught_frictionless": ["a"], "planted": 1}]}


def test_each_target_is_met_or_missed_by_its_factor():
    rows = {t: (m, v) for t, m, v in performance.target_rows(RECORD)}
    assert rows["the real package at least 2x faster than `frictionless validate`, interpreter included"] == ("2.5x (1.00 s against 2.50 s)", "met")
    assert rows["1M rows (distinct): at least 12x faster than `frictionless validate`"][1] == "**missed** by a factor of 4.0"
    assert rows["1M rows (distinct): within 6x of a bare typed polars read"][1] == "**missed** by a factor of 5.0"
    assert rows["1M rows (distinct): peak memory under 3.5x the CSV size"] == ("5.0x (2,000 MB for 400 MB)", "**missed** by a factor of 1.4")


def test_the_readme_summary_lists_only_what_is_missed():
    block = performance.speed_block(RECORD)
    assert "2 of 5 of issue 17's targets met" in block
    assert block.count("\n- ") == 3 and "real package" not in block


def test_a_failed_growth_gate_is_shown_as_missed():
    """bench/run.py records the gate's failures beside its passes: a failure is never left out of the table (as it was)."""
    failed = "time grew 11.6x from 100,000 (distinct) to 1,000,000 (distinct) rows, more than 11.0x (linear growth)"
    rows = performance.target_rows(RECORD | {"growth_missed": [failed]})
    assert [(m, v) for t, m, v in rows if t.startswith("growth linear")] == [(RECORD["growth"][0], "met"), (failed, "**missed**")]
    assert failed in performance.speed_block(RECORD | {"growth_missed": [failed]})


def test_a_narrow_miss_says_by_how_much():
    """A factor under 1.1 printed to one decimal reads "1.0": a narrow miss is given in per cent instead."""
    assert performance.verdict(1.99, 2.0, True) == "**missed** by 0.5%"
    assert performance.verdict(2.0, 2.0, True) == "met"
    assert performance.verdict(3.6, 3.5, False) == "**missed** by 2.9%"

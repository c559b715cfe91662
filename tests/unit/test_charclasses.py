"""The character-class constants are what Python's Unicode database gives (generated, never copied)."""

from __future__ import annotations

from pathlib import Path

import validate.charclasses as charclasses


def test_constants_are_current():
    assert Path(charclasses.__file__).read_text("utf-8") == charclasses.render(), "run: python -m docsgen"


def test_invisible_covers_format_characters_separators_and_noncharacters():
    import polars as pl

    cells = ["a\u00adb", "a\u200db", "a\u2028b", "a\u2029b", "a\ufdd0b", "a\U0010fffeb", "a\U000e0001b", "plain é text"]
    hits = pl.DataFrame({"c": cells}).select(pl.col("c").str.contains(f"[{charclasses.INVISIBLE}]")).to_series().to_list()
    assert hits == [True] * 7 + [False]

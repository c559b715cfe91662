"""The UN region constants are what the installed country_converter ships (generated, never copied)."""

from __future__ import annotations

from pathlib import Path

import validate.regions as regions


def test_constants_are_current():
    assert Path(regions.__file__).read_text("utf-8") == regions.render(), "run: python -m docsgen"


def test_the_five_central_asian_states_are_central_asia():
    assert {regions.UN_REGIONS[c] for c in ("KAZ", "KGZ", "TJK", "TKM", "UZB")} == {"Central Asia"}

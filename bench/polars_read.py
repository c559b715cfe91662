"""The practical floor: read every CSV of a package with polars, with the types its Table Schemas give.

Run as a child process (`python bench/polars_read.py PACKAGE_DIR`) so that the time includes interpreter start.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

TYPES = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean}


def read_all(root: Path) -> int:
    rows = 0
    for res in json.loads((root / "datapackage.json").read_text("utf-8"))["resources"]:
        schema = json.loads((root / res["schema"]).read_text("utf-8"))
        types = {f["name"]: TYPES.get(f.get("type", "string"), pl.String) for f in schema["fields"]}
        rows += pl.read_csv(root / res["path"], schema=types).height
    return rows


if __name__ == "__main__":
    print(read_all(Path(sys.argv[1])))

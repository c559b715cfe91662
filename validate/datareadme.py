"""The README a release's zip carries: a data README, not the repository's. It says what the package is, its version and
release date, how to cite it, the licences, what each table holds, and how to load and validate it, and every link
in it names a file of the zip (the data dictionary, the coverage report and the figures go in beside it: DOCS)."""

from __future__ import annotations

import polars as pl

from . import citation
from .model import Package
from .text import first_sentence

# the pages and figures of docs/ a release's zip carries, each linked from its README
DOCS = ("docs/data-dictionary.md", "docs/coverage.md", "docs/figures/timeline.png", "docs/figures/network.png",
        "docs/figures/satellites.png")


def text(package: Package) -> str:
    cite = citation.of(package.root)
    descriptor = package.descriptor
    licences = "\n".join(f"- {lic.get('title', lic.get('name'))}: {lic.get('name')} ({lic.get('path', '')})" for lic in descriptor.get("licenses", []))
    rows = "\n".join(f"| `tables/{t.name}.csv` | {first_sentence(t.description)} | "
                     f"{pl.read_csv(t.path, infer_schema=False).height} |" for t in package.tables.values())
    return f"""# {descriptor.get("title", "central-asia-space")}

Version **{cite.version}**, released {cite.date} ([CHANGELOG.md](CHANGELOG.md)).

{descriptor.get("description", "")}

## Cite it

> {cite.text()}

Cite the version you used; [CITATION.cff](CITATION.cff) holds the same for reference managers. IDs are stable across
releases and never reused; a retired ID is listed in the CHANGELOG and in `tables/retired_ids.csv`.

## Licences

{licences}

The data is in [LICENSE-DATA](LICENSE-DATA), the code licence in [LICENSE](LICENSE). The archived documents and
excerpts in `sources/` remain their publishers'; they are kept so that every quote can be checked.

## What it holds

The package is a [Frictionless Data Package](datapackage.json): each table is a CSV file (UTF-8, comma-separated, one
header row) described by a Table Schema in `schemas/`. What each column holds is in the
[data dictionary](docs/data-dictionary.md); how much of each table is filled and where sources disagree, in the
[coverage report](docs/coverage.md).

| file | one row is | rows |
|---|---|---:|
{rows}

Every fact row is cited in `tables/citations.csv` by a verbatim quote of an archived source (`tables/sources.csv`, the
files under `sources/`). Dates are ISO 8601 at the precision the source gives (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).

![Timeline of the events, agreements and memberships](docs/figures/timeline.png)

![Who cooperates with whom](docs/figures/network.png)

![Satellites by state and status](docs/figures/satellites.png)

## Load it

Read every column as text (IDs and partial dates must stay as written); the Table Schemas give the types.

```python
import polars as pl
agencies = pl.read_csv("tables/agencies.csv", infer_schema=False)
```

```python
import pandas as pd
agencies = pd.read_csv("tables/agencies.csv", dtype=str, keep_default_na=False, na_values=[""])
```

```r
agencies <- readr::read_csv("tables/agencies.csv", col_types = readr::cols(.default = "c"), na = "")
```

```sql
-- DuckDB
SELECT * FROM read_csv('tables/agencies.csv', all_varchar = true);
```

## Validate it

With [frictionless](https://framework.frictionlessdata.io/) (`pip install frictionless`), in this folder:

```sh
frictionless validate datapackage.json
```

The package's own validator, which also checks every quote against its archived source, lives in the repository the
release was built from (`python -m validate`).
"""

"""Coverage: how much of each table is filled, what is still missing, and where sources disagree.

`python -m validate.coverage` prints the report as Markdown; `python -m docsgen` writes it to docs/coverage.md
and its summary into README.md, so both follow the data. Read from the CSVs as text: the report needs no valid package
beyond the schemas loading.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import polars as pl

from . import gcat
from .model import CENTRAL_ASIA, CITATIONS, SOURCES, Package, load
from .quotes import CLAIM_COLUMN, CLAIM_VALUE
from .text import explained

# The columns a researcher expects of a satellite or an organisation (GCAT, UCS), reported row by row where empty.
EXPECTED = {
    "satellites": ["launch_date", "launch_vehicle", "launch_site", "cospar_id", "norad_id", "operator_agency_id", "manufacturer_agency_id",
                   "orbit_class", "status"],
    "agencies": ["founded_date", "country_id", "parent_agency_id"],
}
# The bodies the five states' standing is reported in (with the treaties): "not found" marks a gap to fill.
BODIES = ["copuos", "organization-of-turkic-states", "cis-interstate-space-council"]
# Why a satellite may rightly have no launch date: it has not flown.
NOT_LAUNCHED = ["planned", "in-development"]
DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def frames_of(package: Package) -> dict[str, pl.DataFrame]:
    return {name: pl.read_csv(t.path, infer_schema=False) for name, t in package.tables.items()}


def optional_fields(package: Package, name: str) -> list[str]:
    table = package.tables[name]
    return [f.name for f in table.fields if not f.required and f.name not in table.primary_key and f.name != "note"]


def fill_table(package: Package, frames: dict[str, pl.DataFrame], name: str) -> list[str]:
    frame = frames[name]
    fields = optional_fields(package, name)
    out = [f"### {name} ({frame.height} rows)", "", "| column | filled | share |", "|---|---:|---:|"]
    for f in fields:
        n = frame.get_column(f).is_not_null().sum()
        out.append(f"| `{f}` | {n} | {n / frame.height:.0%} |" if frame.height else f"| `{f}` | 0 | – |")
    return out


def missing_rows(frames: dict[str, pl.DataFrame], name: str) -> list[str]:
    """The rows that lack an expected value; a satellite that has not flown is not missing a launch date."""
    frame, columns = frames[name], EXPECTED[name]
    key = frame.columns[0]
    out = [f"| {key} | lacks |", "|---|---|"]
    for row in frame.iter_rows(named=True):
        lacks = [c for c in columns if row.get(c) is None
                 and not (name == "satellites" and row.get("status") in NOT_LAUNCHED and c in columns[:5])]
        if lacks:
            out.append(f"| `{row[key]}` | {', '.join(f'`{c}`' for c in lacks)} |")
    return out if len(out) > 2 else ["Every row has every expected value."]


def disagreements(package: Package, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per (table, record, column) whose claims give more than one value: the preferred value and the others."""
    citations = frames[CITATIONS]
    if CLAIM_COLUMN not in citations.columns:
        return pl.DataFrame()
    parts = []
    for table, cited_as in package.cited_tables().items():
        if table not in frames:
            continue
        claims = citations.filter(pl.col(cited_as).is_not_null() & pl.col(CLAIM_COLUMN).is_not_null())
        if claims.height == 0:
            continue
        key = package.tables[table].primary_key[0]
        per_value = (claims.group_by(pl.col(cited_as).alias("record"), pl.col(CLAIM_COLUMN).alias("column"), pl.col(CLAIM_VALUE).alias("value"))
                     .agg(pl.col("source_id").unique().sort().str.join(", ").alias("by")).sort("value"))
        grouped = (per_value.group_by("record", "column")
                   .agg(pl.col("value").alias("values"), pl.format("{} ({})", "value", "by").alias("claims"))
                   .filter(pl.col("values").list.len() > 1))
        frame = frames[table]
        preferred = []
        for record, column in grouped.select("record", "column").iter_rows():
            row = frame.filter(pl.col(key) == record)
            preferred.append(row.get_column(column).item() if row.height and column in row.columns else None)
        parts.append(grouped.with_columns(pl.lit(table).alias("table"), pl.Series("preferred", preferred, dtype=pl.String)))
    if not parts:
        return pl.DataFrame()
    split = pl.concat(parts).select("table", "record", "column", "preferred", "values", "claims").sort("table", "record", "column")
    # a date given at a coarser precision ('2014', '2014-04') does not conflict with '2014-04-30'; any other difference does
    kinds = ["precision" if preferred and all(DATE.match(v) and preferred.startswith(v) for v in values) else "conflict"
             for preferred, values in split.select("preferred", "values").iter_rows()]
    return split.with_columns(pl.Series("kind", kinds, dtype=pl.String))


# How much a value can rest on, best first (sources.source_type): a referee weighs a value by the best source behind it.
SOURCE_RANK = ["depositary", "official-register", "body", "catalogue", "press", "secondary", "encyclopedia", "mirror"]


def best_sources(package: Package, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per claimed value a row holds (table, record, column, value): the best kind of source that claims it."""
    citations, sources = frames[CITATIONS], frames[SOURCES]
    if CLAIM_COLUMN not in citations.columns or "source_type" not in sources.columns:
        return pl.DataFrame(schema={"table": pl.String, "record": pl.String, "column": pl.String, "value": pl.String, "best": pl.String})
    rank = sources.select("source_id", pl.col("source_type").replace_strict(SOURCE_RANK, list(range(len(SOURCE_RANK))), default=len(SOURCE_RANK),
                                                                            return_dtype=pl.Int32).alias("rank"))
    parts = []
    for table, cited_as in package.cited_tables().items():
        if table not in frames:
            continue
        key = package.tables[table].primary_key[0]
        claims = citations.filter(pl.col(cited_as).is_not_null() & pl.col(CLAIM_COLUMN).is_not_null()).join(rank, on="source_id", how="left")
        held = frames[table].unpivot(index=key, variable_name="column", value_name="value").drop_nulls("value").rename({key: "record"})
        best = (claims.rename({cited_as: "record", CLAIM_COLUMN: "column", CLAIM_VALUE: "value"})
                .join(held, on=["record", "column", "value"], how="inner")
                .group_by("record", "column", "value").agg(pl.col("rank").min()))
        parts.append(best.with_columns(pl.lit(table).alias("table")))
    if not parts:
        return pl.DataFrame()
    labels = [*SOURCE_RANK, "untyped"]
    return (pl.concat(parts).with_columns(pl.col("rank").fill_null(len(SOURCE_RANK)).map_elements(lambda r: labels[r], return_dtype=pl.String).alias("best"))
            .select("table", "record", "column", "value", "best").sort("table", "record", "column"))


def source_kinds(package: Package, frames: dict[str, pl.DataFrame]) -> list[str]:
    """The claimed values rows hold, counted by the best kind of source behind each; those that rest only on an encyclopedia or a mirror listed."""
    best = best_sources(package, frames)
    if best.height == 0:
        return ["No claimed value, or the sources are not typed."]
    counts = best.group_by("table", "best").len().pivot(on="best", index="table", values="len").fill_null(0).sort("table")
    kinds = [k for k in [*SOURCE_RANK, "untyped"] if k in counts.columns]
    out = ["| table | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    out += [f"| {row['table']} | " + " | ".join(str(row[k]) for k in kinds) + " |" for row in counts.iter_rows(named=True)]
    weak = best.filter(pl.col("best").is_in(["encyclopedia", "mirror"]))
    out += ["", f"{weak.height} values rest only on an encyclopedia or a mirror copy: a primary, official or catalogue source is still to be found for them."]
    if weak.height:
        out += ["", "| table | record | column | value | best source |", "|---|---|---|---|---|"]
        out += [f"| {t} | `{r}` | `{c}` | {cell(v)} | {b} |" for t, r, c, v, b in weak.iter_rows()]
    return out


def standing(frames: dict[str, pl.DataFrame]) -> list[str]:
    """One row per Central Asian state: its role and start in each body, and its acts on each treaty, or 'not found'."""
    memberships = frames["memberships"].filter(pl.col("member_country_id").is_in(list(CENTRAL_ASIA)))
    treaties = frames["agreements"].filter(pl.col("agreement_type") == "treaty").get_column("agreement_id").sort().to_list()
    acts = frames["agreement_actions"] if "agreement_actions" in frames else pl.DataFrame(schema={c: pl.String for c in
                                                                                                  ("agreement_id", "country_id", "action", "action_date")})
    out = ["| state | " + " | ".join(f"`{c}`" for c in BODIES + treaties) + " |", "|---|" + "---|" * (len(BODIES) + len(treaties))]
    for state in CENTRAL_ASIA:
        cells = []
        for body in BODIES:
            rows = memberships.filter((pl.col("member_country_id") == state) & (pl.col("body_agency_id") == body))
            cells.append("; ".join(f"{role} since {start}" if start else role for role, start in rows.select("role", "start_date").iter_rows())
                         or "not found")
        for treaty in treaties:
            rows = acts.filter((pl.col("country_id") == state) & (pl.col("agreement_id") == treaty)).sort("action_date")
            cells.append("; ".join(f"{action} {date or '(undated)'}" for action, date in rows.select("action", "action_date").iter_rows())
                         or "not found")
        out.append(f"| {state} | " + " | ".join(cells) + " |")
    return out


def summary(package: Package, frames: dict[str, pl.DataFrame]) -> str:
    """The short version for README: the satellites' and organisations' catalogue fields, and the disagreements kept."""
    out = ["| table | rows | " + " | ".join(f"`{c}`" for c in EXPECTED["satellites"][:6]) + " |", "|---|---:|" + "---:|" * 6]
    frame = frames["satellites"]
    flown = frame.filter(~pl.col("status").is_in(NOT_LAUNCHED))
    cells = [f"{flown.get_column(c).is_not_null().sum()} of {flown.height}" for c in EXPECTED["satellites"][:6]]
    out.append(f"| satellites launched | {flown.height} | " + " | ".join(cells) + " |")
    agencies = frames["agencies"]
    sourced = citations_with_claims(frames)
    out += ["", f"{frame.height} satellites and projects ({flown.height} launched), {agencies.height} organisations; "
            f"{sourced} values tied to the quote that states them (claims), {derived_claims(frames)} of them worked out from it (a "
            f"time-zone conversion, a translation, a vocabulary term) with the citation's note saying how; {conflicts(package, frames)} fields on "
            "which sources conflict, each value kept with its sources (docs/coverage.md lists them, and the dates sources give at different "
            "precisions)."]
    return "\n".join(out)


def conflicts(package: Package, frames: dict[str, pl.DataFrame]) -> int:
    split = disagreements(package, frames)
    return split.filter(pl.col("kind") == "conflict").height if split.height else 0


def derived_claims(frames: dict[str, pl.DataFrame]) -> int:
    """Claims whose value is not written as such in the quote: claim-in-quote accepts them on the note's 'claim_value:' clause."""
    citations = frames[CITATIONS]
    if CLAIM_COLUMN not in citations.columns:
        return 0
    return int(citations.filter(pl.col(CLAIM_COLUMN).is_not_null() & explained(pl.col("note").fill_null(""), CLAIM_VALUE)).height)


def citations_with_claims(frames: dict[str, pl.DataFrame]) -> int:
    citations = frames[CITATIONS]
    return int(citations.get_column(CLAIM_COLUMN).is_not_null().sum()) if CLAIM_COLUMN in citations.columns else 0


def archived_release(package: Package, frames: dict[str, pl.DataFrame], prefix: str) -> Path | None:
    """The newest archived excerpt of a GCAT release file (source IDs `gcat-satcat-DATE`, `gcat-psatcat-DATE`)."""
    sources = frames[SOURCES].filter(pl.col("source_id").str.starts_with(prefix)).sort("published_date")
    return package.root / sources.get_column("path")[-1] if sources.height else None


def gcat_section(package: Package, frames: dict[str, pl.DataFrame], satcat: Path | None, payloads: Path | None) -> list[str]:
    satcat = satcat or archived_release(package, frames, "gcat-satcat-")
    if satcat is None:
        return ["No GCAT release is archived or given (`--gcat`)."]
    if payloads is None and satcat == archived_release(package, frames, "gcat-satcat-"):
        payloads = archived_release(package, frames, "gcat-psatcat-")
    return gcat.section(frames["satellites"], satcat, payloads)


def report(package: Package, satcat: Path | None = None, payloads: Path | None = None) -> str:
    frames = frames_of(package)
    out = ["# Coverage", "", "Generated from the tables by `python -m docsgen` (or print it: `python -m validate.coverage`); do not edit by hand.",
           "", "## Disagreements kept", "",
           "Where citations claim different values for one column of one record, every value stays in `citations` with its source; "
           "the row holds the preferred value and its note says why (the `preferred-value` rule checks both).", ""]
    split = disagreements(package, frames)
    if split.height:
        conflicts = split.filter(pl.col("kind") == "conflict").height
        out += [f"{split.height} fields have more than one claimed value: {conflicts} conflict, {split.height - conflicts} differ only in the "
                "precision of a date (a year or month where another source gives the day).", "",
                "| table | record | column | preferred | kind | every claimed value (its sources) |", "|---|---|---|---|---|---|"]
        out += [f"| {t} | `{r}` | `{c}` | {p} | {k} | {cell('; '.join(claims))} |"
                for t, r, c, p, claims, k in split.select("table", "record", "column", "preferred", "claims", "kind").iter_rows()]
    else:
        out.append("No source disagrees with another.")
    out += ["", "## The best source behind each value", "",
            "Each value a row holds that citations claim, counted by the best kind of source that claims it (`sources.source_type`: "
            + ", ".join(SOURCE_RANK) + ", best first).", "", *source_kinds(package, frames)]
    out += ["", "## Satellites against GCAT", "",
            "Each satellite GCAT lists for the five states (and each whose JCAT the package records), field by field: `agrees`, "
            "`disagrees` (both values; the citations keep both as claims), `missing in package` or `not in package`. Without "
            "`--gcat`, the release excerpts archived in `sources/` are read; `python -m validate.coverage --gcat satcat.tsv "
            "--gcat-payloads psatcat.tsv` checks the package against a newer release.", "",
            *gcat_section(package, frames, satcat, payloads)]
    out += ["", "## The five states: memberships and treaty acts found", "",
            "'not found' means no source archived in the package states it, not that the state is not a member or party.", "",
            *standing(frames)]
    for name in EXPECTED:
        out += ["", f"## {name}: rows still lacking an expected value", "", *missing_rows(frames, name)]
    out += ["", "## Share of rows with each optional column filled", ""]
    for name in package.tables:
        if optional_fields(package, name):
            out += [*fill_table(package, frames, name), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validate.coverage", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", default=".", type=Path)
    parser.add_argument("--gcat", type=Path, help="a GCAT satcat.tsv release file to reconcile the satellites with")
    parser.add_argument("--gcat-payloads", type=Path, help="the matching GCAT psatcat.tsv (UN registration, end of operations)")
    args = parser.parse_args(argv)
    for given in (args.gcat, args.gcat_payloads):
        if given is not None and not given.is_file():
            print(f"{given}: no such file", file=sys.stderr)
            return 2
    package, findings = load(args.root)
    if findings:
        print("the package's schemas do not load; run python -m validate first", file=sys.stderr)
        return 2
    sys.stdout.write(report(package, args.gcat, args.gcat_payloads))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Names: each alias picks out one record, and each country is named as ISO 3166 names it.

Every rule here is `fn(package, frames) -> findings`, like the rules of integrity.py. Names are compared as the
provenance rules match them in quotes: case-insensitively, with white space and typographic quotes folded
(`text.fold_expr`), so that two names that differ only in case are one name to the validator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import polars as pl

from .boundary import PACKAGE, run_registered
from .findings import Finding, listed
from .lazy import collect_all
from .model import COUNTRIES, Package
from .quotes import clause_of, named_in
from .registry import rule
from .text import fold_expr, note_text

Frames = dict[str, pl.DataFrame]


def folded(expr: pl.Expr) -> pl.Expr:
    """A name as the rules here compare it: white space and quotes folded, lower case."""
    return fold_expr(expr.cast(pl.String)).str.to_lowercase()


def alias_rows(package: Package, frames: Frames) -> dict[str, tuple[pl.LazyFrame, list[str]]]:
    """For each table of aliases (x-aliases): a query of one row per alias row and the named table it points into, with
    __row, __table (the named table), __key (the record), __alias, __low (folded), __source and __clause (the note's
    clauses for the record's column); and those named tables that can be compared (in frames, with a one-column key)."""
    out: dict[str, tuple[pl.LazyFrame, list[str]]] = {}
    for table in package.tables.values():
        if not table.aliases or table.name not in frames:
            continue
        frame = frames[table.name].lazy().with_row_index("__row")
        columns = table.field_names
        note = note_text(columns)
        parts, targets = [], set()
        for fk in table.foreign_keys:
            named = package.tables.get(fk.resource)
            if len(fk.fields) != 1 or named is None or not named.names or fk.fields[0] == table.aliases["source"]:
                continue
            parts.append(frame.select("__row", pl.lit(fk.resource).alias("__table"), pl.col(fk.fields[0]).cast(pl.String).alias("__key"),
                                      pl.col(table.aliases["alias"]).cast(pl.String).alias("__alias"),
                                      pl.col(table.aliases["source"]).cast(pl.String).alias("__source"),
                                      clause_of(note, fk.fields[0], columns).alias("__clause")))
            if fk.resource in frames and len(named.primary_key) == 1:
                targets.add(fk.resource)
        if parts:
            rows = pl.concat(parts).drop_nulls(["__key", "__alias"])
            out[table.name] = rows.with_columns(__low=folded(pl.col("__alias"))), sorted(targets)
    return out


def record_names(package: Package, frames: Frames, name: str) -> pl.LazyFrame:
    """(__key, __name, __low, __field), as a query, for every x-names value of every record of one table."""
    table = package.tables[name]
    pk = table.primary_key[0]
    parts = [frames[name].lazy().select(pl.col(pk).cast(pl.String).alias("__key"), pl.col(n).cast(pl.String).alias("__name"),
                                        pl.lit(n).alias("__field")) for n in table.names]
    return pl.concat(parts).drop_nulls().with_columns(__low=folded(pl.col("__name")))


def each_alias_table(package: Package, frames: Frames, failing: Callable[[pl.LazyFrame, list[str]], pl.LazyFrame]) -> list[tuple[str, str, pl.DataFrame]]:
    """(alias table, its alias column, the rows `failing` selects from its alias_rows): every table's query run at once."""
    tables = alias_rows(package, frames)
    results = collect_all([failing(rows, targets) for rows, targets in tables.values()])
    return [(name, package.tables[name].aliases["alias"], bad) for name, bad in zip(tables, results, strict=True)]


@rule("alias-ambiguous", "integrity")
def alias_ambiguous(package: Package, frames: Frames) -> list[Finding]:
    """One alias of one source names one record: no two rows of aliases give the same alias (compared case-insensitively,
    white space folded) from the same source for two records of one table. Such an alias would support a reference to
    either record in that source's quotes. The later row is reported, naming the earlier one's record."""

    def later(rows: pl.LazyFrame, targets: list[str]) -> pl.LazyFrame:
        group = ["__table", "__source", "__low"]
        first = rows.sort("__row").group_by(group, maintain_order=True).agg(pl.col("__key").first().alias("earlier"))
        return (rows.join(first, on=group).filter(pl.col("__key") != pl.col("earlier")).sort("__row")
                .select("__row", "__alias", "__key", "earlier", "__source"))

    found: list[Finding] = []
    for name, column, bad in each_alias_table(package, frames, later):
        found += listed(name, "alias-ambiguous", column, bad,
                        "{value!r} names {__key!r} here and {earlier!r} in an earlier row, both from {__source!r}",
                        hint="an alias that names two records supports neither: keep it for the record the source means, or drop it")
    return found


@rule("alias-is-a-name", "integrity")
def alias_is_a_name(package: Package, frames: Frames) -> list[Finding]:
    """An alias is never the name of another record of the same table (any of its x-names fields: name, acronym, local
    name), compared case-insensitively with white space folded: it would let a quote naming one record support a
    reference to the other. Unless the alias row's note explains it: a clause for the record's column (`country_id:
    ...`) that names both the alias and one of the record's own names says why this source means this record."""

    def clashes(rows: pl.LazyFrame, targets: list[str]) -> pl.LazyFrame:
        parts = []
        for target in targets:
            own = record_names(package, frames, target)
            names = own.select(pl.col("__key").alias("other"), "__low", "__field")
            clash = rows.filter(pl.col("__table") == target).join(names, on="__low").filter(pl.col("__key") != pl.col("other"))
            clash = clash.join(named_in(clash.unique("__row"), "__clause", own.select("__key", "__name"), "__alias"), on="__row", how="anti")
            parts.append(clash.group_by("__row").agg(pl.col("__alias", "__key", "__table").first(), pl.col("other").sort().first(),
                                                     pl.col("__field").sort().first()))
        schema = {"__row": pl.UInt32, "__alias": pl.String, "__key": pl.String, "other": pl.String, "__field": pl.String, "__table": pl.String}
        return pl.concat(parts).sort("__row").select(*schema) if parts else pl.LazyFrame(schema=schema)

    found: list[Finding] = []
    for name, column, bad in each_alias_table(package, frames, clashes):
        found += listed(name, "alias-is-a-name", column, bad,
                        "{value!r}, an alias of {__key!r}, is the {__field} of {other!r} in {__table}",
                        hint="a name of one record is no alias of another: drop the alias, or correct the record it names")
    return found


@rule("alias-case-variant", "integrity")
def alias_case_variant(package: Package, frames: Frames) -> list[Finding]:
    """An alias is another name: never one of its own record's names (x-names: name, acronym, local name) again, equal or
    differing only in case or white space, nor a case variant of another alias of the same record from the same source.
    Names and aliases are matched case-insensitively, so such a row adds nothing (docs/conventions.md, 'Aliases are
    source-scoped')."""

    def variants(rows: pl.LazyFrame, targets: list[str]) -> pl.LazyFrame:
        parts = []
        for target in targets:
            names = record_names(package, frames, target).select("__key", "__low", pl.col("__field").alias("what"), pl.col("__name").alias("same"))
            parts.append(rows.filter(pl.col("__table") == target).join(names, on=["__key", "__low"])
                         .select("__row", "__alias", pl.concat_str([pl.lit("its record's "), pl.col("what")]).alias("what"), "same"))
        first = rows.sort("__row").group_by(["__table", "__key", "__source", "__low"], maintain_order=True).agg(pl.col("__alias").first().alias("same"))
        parts.append(rows.join(first, on=["__table", "__key", "__source", "__low"]).filter(pl.col("__alias") != pl.col("same"))
                     .select("__row", "__alias", pl.lit("an earlier alias of its record from the same source").alias("what"), "same"))
        return (pl.concat(parts).group_by("__row").agg(pl.all().first()).sort("__row")
                .with_columns(how=pl.when(pl.col("__alias") == pl.col("same")).then(pl.lit("is")).otherwise(pl.lit("is a case variant of")))
                .select("__row", "__alias", "how", "what", "same"))

    found: list[Finding] = []
    for name, column, bad in each_alias_table(package, frames, variants):
        found += listed(name, "alias-case-variant", column, bad, "{value!r} {how} {what} {same!r}: not another name",
                        hint="names and aliases match quotes case-insensitively: drop the row")
    return found


def differences(name: str, iso: str) -> str:
    """Where a name of ISO's length differs from it character by character (a look-alike letter), those characters."""
    if len(name) != len(iso):
        return ""
    diffs = [f"{unicodedata.name(a, hex(ord(a)))} for {b!r}" for a, b in zip(name, iso, strict=True) if a != b]
    return f" ({'; '.join(diffs[:3])})" if diffs else ""


@rule("country-name", "integrity")
def country_name(package: Package, frames: Frames) -> list[Finding]:
    """A country's name is its English short name in ISO 3166-1 (pycountry's list: 'Korea, Republic of', 'Türkiye'),
    exactly: not the official or common name, and no look-alike letter (a Cyrillic 'а' in 'Kazakhstаn'). A code that is
    not in ISO 3166-1 is the country-code rule's finding."""
    import pycountry

    countries = frames.get(COUNTRIES)
    if countries is None or not {"country_id", "name"} <= set(countries.columns):
        return []
    bad = []
    for row, (code, name) in enumerate(countries.select(pl.col("country_id").cast(pl.String), pl.col("name").cast(pl.String)).iter_rows()):
        iso = pycountry.countries.get(alpha_3=code) if code else None
        if iso is not None and name is not None and name != iso.name:
            bad.append((row, name, iso.name, differences(name, iso.name)))
    failing = pl.DataFrame(bad, schema={"__row": pl.UInt32, "name": pl.String, "iso": pl.String, "diff": pl.String}, orient="row")
    return listed(COUNTRIES, "country-name", "name", failing, "{value!r} is not ISO 3166-1's name {iso!r}{diff}",
                  hint="write the ISO short name; other names of the country go to aliases, with their source")


def check(package: Package, frames: Frames) -> list[Finding]:
    """Every rule registered here, in the order they are defined, each through the error boundary."""
    return run_registered(__name__, PACKAGE, package=package, frames=frames)

"""Synthetic packages for the benchmark: the real package grown to N rows, and a copy with planted defects.

Growth is by replication of the real rows, which is what keeps every rule of the package true:
replica 0 is the real package, and replica r >= 1 is a copy of every table but `countries` in
which every key (primary keys and foreign keys to tables other than `countries`, self-references
included) gets the suffix `-s<r>`. Each replica has its own copies of the archived source files
(`sources/<stem>-s<r>.txt`, byte-identical to the original, so the SHA-256 in `sources.csv` holds),
so quotes stay verbatim substrings of their sources, and names, years and numbers stay in the
quotes (or explained by the real notes). `countries` grows too, up to the 249 ISO 3166-1 codes that
pycountry knows: replica r shifts the 28 real country codes onto the list of all codes, so that every
country is referred to and every code is a real one. Every table grows in proportion to its size in
the real package; the total row count is N rounded to a whole number of replicas.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

COUNTRIES, SOURCES = "countries", "sources"
SUFFIX = "-s"


@dataclass(frozen=True)
class Generated:
    root: Path
    replicas: int
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class Defect:
    id: str
    table: str
    line: int  # CSV line (header is line 1)
    column: str
    value: str
    ours: frozenset[str]  # rule ids of `python -m validate` that report it
    frictionless: frozenset[str]  # frictionless error types that report it (empty: frictionless cannot know)
    lines: frozenset[int] = frozenset()  # other lines at which a report also counts (a duplicate names both rows)

    def at(self, line: int | None) -> bool:
        return line == self.line or line in self.lines


def resources(root: Path) -> list[dict]:
    return json.loads((root / "datapackage.json").read_text("utf-8"))["resources"]


def schemas(root: Path) -> dict[str, dict]:
    return {r["name"]: json.loads((root / r["schema"]).read_text("utf-8")) for r in resources(root)}


def read_strings(path: Path) -> pl.DataFrame:
    """Every cell as a string, empty cells as null: written back with write_csv the real files are byte-identical."""
    return pl.read_csv(path, infer_schema=False)


def write(df: pl.DataFrame, path: Path) -> None:
    # polars' defaults are the package's style: UTF-8, LF, header, comma, quoting only where needed, null as empty
    df.write_csv(path, include_header=True, separator=",", line_terminator="\n", quote_style="necessary", null_value="")


def style_check(real: Path) -> list[str]:
    """Tables of the real package that read_strings + write do not reproduce byte for byte (should be none)."""
    return [r["path"] for r in resources(real)
            if read_strings(real / r["path"]).write_csv().encode("utf-8") != (real / r["path"]).read_bytes()]


def key_columns(name: str, schema: dict) -> tuple[list[str], list[str]]:
    """(columns holding keys of replicated tables, columns holding country codes)."""
    keys = list(schema.get("primaryKey", []))
    countries = []
    for fk in schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        target = fk["reference"].get("resource") or name
        (countries if target == COUNTRIES else keys).extend(fields)
    return list(dict.fromkeys(keys)), list(dict.fromkeys(countries))


def plan(real_rows: dict[str, int], target: int, iso_count: int) -> tuple[int, int]:
    """(replicas, country rows) for a total of about `target` rows, each table in proportion to the real one."""
    real_total = sum(real_rows.values())
    per_replica = real_total - real_rows[COUNTRIES]
    countries = max(real_rows[COUNTRIES], min(iso_count, round(real_rows[COUNTRIES] * target / real_total)))
    replicas = max(1, round((target - countries) / per_replica))
    # replica r refers to the codes at offsets 28 r ...: more countries than 28 * replicas would go unreferenced
    return replicas, min(countries, real_rows[COUNTRIES] * replicas)


def country_table(real: pl.DataFrame, count: int) -> tuple[pl.DataFrame, list[str]]:
    import pycountry

    codes = real.get_column("country_id").to_list()
    extra = sorted((c.alpha_3, getattr(c, "common_name", None) or c.name) for c in pycountry.countries if c.alpha_3 not in set(codes))
    extra = extra[: max(0, count - len(codes))]
    table = pl.concat([real, pl.DataFrame({"country_id": [c for c, _ in extra], "name": [n for _, n in extra]})])
    return table, codes + [c for c, _ in extra]


def grow(frame: pl.DataFrame, replicas: int, keys: list[str], country_cols: list[str], real_codes: list[str],
         all_codes: list[str], homonym_of: str | None = None) -> pl.DataFrame:
    """Replicate the rows. With `homonym_of` (the primary key of a table with a distinct-records rule), a replica's note
    names the row it copies, as a note explains a true homonym, so that replicas are not reported as duplicates."""
    rep = pl.col("__rep")
    grown = pl.DataFrame({"__rep": pl.arange(0, replicas, eager=True).cast(pl.Int32)}).join(frame, how="cross")
    suffix = pl.lit(SUFFIX) + rep.cast(pl.String)
    exprs = [pl.when(rep == 0).then(pl.col(c)).otherwise(pl.col(c) + suffix).alias(c) for c in keys]
    if homonym_of:
        # replica r shares its country codes with replica r - period (the shift wraps around the list of all codes)
        period = len(all_codes) // math.gcd(len(real_codes), len(all_codes))
        twin = pl.when(rep > period).then(pl.lit(" and of ") + pl.col(homonym_of) + pl.lit(SUFFIX) + (rep - period).cast(pl.String))
        copy = pl.concat_str([pl.lit("Replica of ") + pl.col(homonym_of), twin, pl.lit(".")], ignore_nulls=True)
        exprs.append(pl.when(rep == 0).then(pl.col("note")).otherwise(pl.concat_str([pl.col("note") + pl.lit(" "), copy], ignore_nulls=True))
                     .alias("note"))
    n_real, n_all = len(real_codes), len(all_codes)
    for c in country_cols:
        idx = pl.col(c).replace_strict(real_codes, list(range(n_real)), default=None, return_dtype=pl.Int64)
        shifted = (idx + rep.cast(pl.Int64) * n_real) % n_all
        exprs.append(shifted.replace_strict(list(range(n_all)), all_codes, default=None, return_dtype=pl.String).alias(c))
    return grown.with_columns(exprs).drop("__rep")


def generate(real: Path, out: Path, target: int) -> Generated:
    """Write a package of about `target` rows to `out` (replaced if it exists)."""
    import pycountry

    if out.exists():
        shutil.rmtree(out)
    (out / "tables").mkdir(parents=True)
    shutil.copytree(real / "schemas", out / "schemas")
    shutil.copytree(real / "sources", out / "sources")
    for name in ("datapackage.json", "CHANGELOG.md"):
        shutil.copyfile(real / name, out / name)
    res = resources(real)
    schema_of = schemas(real)
    frames = {r["name"]: read_strings(real / r["path"]) for r in res}
    replicas, n_countries = plan({k: v.height for k, v in frames.items()}, target, len(pycountry.countries))
    countries, all_codes = country_table(frames[COUNTRIES], n_countries)
    real_codes = frames[COUNTRIES].get_column("country_id").to_list()
    rows: dict[str, int] = {}
    for r in res:
        name = r["name"]
        if name == COUNTRIES:
            table = countries
        else:
            keys, country_cols = key_columns(name, schema_of[name])
            distinct = any(r.get("rule") == "distinct-records" for r in schema_of[name].get("x-rules", []))
            homonym_of = schema_of[name]["primaryKey"][0] if distinct and "note" in frames[name].columns else None
            table = grow(frames[name], replicas, keys, country_cols, real_codes, all_codes, homonym_of)
        if name == SOURCES:
            table = copy_sources(real, out, frames[SOURCES], table, replicas)
        write(table, out / r["path"])
        rows[name] = table.height
    return Generated(out, replicas, rows)


def copy_sources(real: Path, out: Path, real_sources: pl.DataFrame, grown: pl.DataFrame, replicas: int) -> pl.DataFrame:
    """New file names for replicas >= 1, and their archived files (hard links to the copied originals where possible)."""
    n = real_sources.height
    names = real_sources.get_column("file_name").to_list()
    stems = [Path(f).stem for f in names]
    exts = [Path(f).suffix for f in names]
    new_names = [names[i] if rep == 0 else f"{stems[i]}{SUFFIX}{rep}{exts[i]}" for rep in range(replicas) for i in range(n)]
    grown = grown.with_columns(file_name=pl.Series(new_names), path=pl.lit("sources/") + pl.Series(new_names))
    originals = [out / p for p in real_sources.get_column("path").to_list()]
    for rep in range(1, replicas):
        for i in range(n):
            target = out / "sources" / new_names[rep * n + i]
            try:
                os.link(originals[i], target)
            except OSError:
                shutil.copyfile(originals[i], target)
    return grown


def copy_package(clean: Path, out: Path) -> None:
    """A copy to damage: tables are copied, archived sources hard-linked (they are never edited)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(clean, out, ignore=shutil.ignore_patterns("sources"))
    (out / "sources").mkdir()
    for f in (clean / "sources").iterdir():
        try:
            os.link(f, out / "sources" / f.name)
        except OSError:
            shutil.copyfile(f, out / "sources" / f.name)


def table_path(root: Path, table: str) -> Path:
    return root / next(r["path"] for r in resources(root) if r["name"] == table)


def pick_row(df: pl.DataFrame, condition: pl.Expr, after: int) -> int:
    """Index of the first row at or after `after` that meets `condition` (rows in the middle of the file)."""
    hits = df.with_row_index("__i").filter(condition & (pl.col("__i") >= after)).get_column("__i")
    if hits.len() == 0:
        hits = df.with_row_index("__i").filter(condition).get_column("__i")
    return int(hits[0])


def set_cell(df: pl.DataFrame, row: int, column: str, value: str) -> pl.DataFrame:
    return df.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value)).otherwise(pl.col(column)).alias(column))


def plant_defects(root: Path) -> list[Defect]:
    """Damage the package at `root` in place, eight ways, at rows in the middle of the tables; return where."""
    defects: list[Defect] = []
    edits: dict[str, pl.DataFrame] = {}

    def frame(table: str) -> pl.DataFrame:
        if table not in edits:
            edits[table] = read_strings(table_path(root, table))
        return edits[table]

    def plant(id_: str, table: str, condition: pl.Expr, column: str, value: Callable[[pl.Series, int], str], ours: set[str],
              fr: set[str], at: float = 0.5, duplicate: bool = False) -> None:
        df = frame(table)
        i = max(1, pick_row(df, condition, int(df.height * at)))
        value_ = value(df.get_column(column), i)
        edits[table] = set_cell(df, i, column, value_)
        others = frozenset({i + 1}) if duplicate else frozenset()
        defects.append(Defect(id_, table, i + 2, column, value_, frozenset(ours), frozenset(fr), others))

    def const(text: str) -> Callable[[pl.Series, int], str]:
        return lambda _col, _i: text

    plant("dangling-self-fk", "agencies", pl.col("parent_agency_id").is_not_null(), "parent_agency_id", const("no-such-agency"),
          {"foreign-key"}, {"foreign-key"})
    # the previous row's primary key again
    plant("duplicate-pk", "citations", pl.lit(True), "citation_id", lambda col, i: str(col[i - 1]), {"unique"},
          {"primary-key", "unique-error"}, duplicate=True)
    # the year is kept, so that the year is still in the quotes and only calendar-date is at stake
    # frictionless cannot know: the Table Schema types partial dates as patterned strings
    plant("impossible-date", "memberships", pl.col("start_date").str.len_chars() == 4, "start_date", lambda col, i: f"{col[i]}-02-30",
          {"calendar-date"}, set())
    plant("enum-unknown", "agencies", pl.col("agency_type").is_not_null(), "agency_type", const("space-company"),
          {"enum"}, {"constraint-error"}, at=0.3)
    plant("required-empty", "events", pl.lit(True), "name", const(""), {"required"}, {"constraint-error"})
    plant("pattern", "agreements", pl.lit(True), "signed_date", const("2025-9-1"), {"pattern"}, {"constraint-error"})
    plant("quote-not-in-source", "citations", pl.lit(True), "quote",
          const("the agencies agreed to build a lunar base on the far side of the Moon"), {"quote-not-in-source"}, set(), at=0.6)
    plant("formula-cell", "people", pl.lit(True), "note", const('=HYPERLINK("https://example.org","details")'), {"formula-cell"}, set())
    for table, df in edits.items():
        write(df, table_path(root, table))
    return defects

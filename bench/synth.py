"""Synthetic packages for the benchmark: the real package grown to N rows, and a copy with planted defects.

Growth is by replication of the real rows, which is what keeps every rule of the package true:
replica 0 is the real package, and replica r >= 1 is a copy of every table but `countries` in
which every key (primary keys and foreign keys to tables other than `countries`, self-references
included) gets the suffix `-s<r>`. Each replica has its own copies of the archived source files
(`sources/<stem>-s<r>.txt`) and its own addresses: the URL gets the query parameter
`benchmark-replica=<r>`, an excerpt's `Address:` line says so and any other file gets a last line naming the
replica, so that no two sources share a file (SHA-256, recorded anew) or an address (duplicate-source), while
quotes stay verbatim substrings of their sources, and names, years and numbers stay in the
quotes (or explained by the real notes). `countries` grows too, up to the 249 ISO 3166-1 codes that
pycountry knows: replica r shifts the 28 real country codes onto the list of all codes, so that every
country is referred to and every code is a real one. Every table grows in proportion to its size in
the real package; the total row count is N rounded to a whole number of replicas.

What a plain copy would break, each replica puts right: a claim (`citations.claim_value`) of a key
column gets the replica's suffix and one of a country column the replica's shift; every optional unique
column (`unique` in its Table Schema and no key: `satellites.cospar_id`, `norad_id`, `gcat_jcat`,
`agencies.gcat_code`) gets values of the replica's own, valid in the column (an integer moved on by a
step above every real one, a text a suffix or a tail in the alphabet its pattern ends with: `distinct_values`),
and the citations claiming them say so in a `claim_value:` note clause; a country that stands in for a real one gets,
from the replica's copy of each source whose quotes name the real country for a record that refers
to it, an alias row with the real country's name (one row per source, as the alias rules ask), so
that relations, claims and quotes still find their country's name; the successors in `retired_ids`
get the suffix, and the replica's retired IDs are added to the CHANGELOG's Retired list of the release
that retired the original; a replica row with the same name, type and country as an earlier row names
that row's ID in its note, as a note explains a true homonym (distinct-records; the synthetic package's notes may run
TWIN_ROOM characters beyond the real limit for it, which its copy of the Table Schema says); and a replica of a
dated event is placed by its (shifted) country rather than its city, naming any earlier event of the
same date and country in its note (duplicate-event).

Two models (`MODELS`): in `replicated`, every replica quotes the real quotes (in its own copy of each source), so the
distinct quotes, and with them the (value, quote) pairs the provenance rules search, stay those of the real package at
every scale; in `distinct`, every replica's quotes are words of its own (each ends with the replica's marker, and the
replica's copy of the source holds them), as a large real package's would be, so that the quote work grows with it.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

COUNTRIES, SOURCES, CITATIONS, ALIASES = "countries", "sources", "citations", "aliases"
EVENTS = "events"  # the table duplicate-event reads (its columns are the rule's: start_date, city, country_id, name)
CLAIM_COLUMN, CLAIM_VALUE, SOURCE_ID = "claim_column", "claim_value", "source_id"
SUFFIX = "-s"
TWIN_ROOM = 200  # characters a synthetic package's notes may run beyond the real limit, to name a replica's twin
MODELS = ("replicated", "distinct")  # how a replica quotes its sources: the real quotes, or words of its own (`distinct_quotes`)
REP = "__rep"  # the replica a grown row belongs to, while the package is generated


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


def plan(real_rows: dict[str, int], target: int, iso_count: int, extra: int = 0) -> tuple[int, int]:
    """(replicas, country rows) for a total of about `target` rows, each table in proportion to the real one; each
    replica after the first also has `extra` rows (the aliases of the countries it stands in for)."""
    real_total = sum(real_rows.values())
    per_replica = real_total - real_rows[COUNTRIES] + extra
    countries = max(real_rows[COUNTRIES], min(iso_count, round(real_rows[COUNTRIES] * target / real_total)))
    replicas = max(1, round((target - countries) / per_replica))
    # replica r refers to the codes at offsets 28 r ...: more countries than 28 * replicas would go unreferenced
    return replicas, min(countries, real_rows[COUNTRIES] * replicas)


def country_table(real: pl.DataFrame, count: int) -> tuple[pl.DataFrame, list[str]]:
    import pycountry

    codes = real.get_column("country_id").to_list()
    extra = sorted((c.alpha_3, c.name) for c in pycountry.countries if c.alpha_3 not in set(codes))  # ISO's short name (country-name)
    extra = extra[: max(0, count - len(codes))]
    from validate.regions import UN_REGIONS

    added = pl.DataFrame({"country_id": [c for c, _ in extra], "name": [n for _, n in extra]})
    if "region" in real.columns:  # the region a country has is checked against the UN M49 list
        added = added.with_columns(pl.col("country_id").replace_strict(UN_REGIONS, default=None, return_dtype=pl.String).alias("region"))
    # a stand-in states nothing from sources (its date of coming into being is left empty, and so needs no citation)
    table = pl.concat([real, added.select([pl.col(c) if c in added.columns else pl.lit(None, dtype=pl.String).alias(c) for c in real.columns])])
    return table, codes + [c for c, _ in extra]


def shift_countries(codes: pl.Expr, rep: pl.Expr, real_codes: list[str], all_codes: list[str]) -> pl.Expr:
    """Replica `rep`'s code for each real country code: its index on the list of all codes, moved on by 28 `rep`."""
    n_real, n_all = len(real_codes), len(all_codes)
    idx = codes.replace_strict(real_codes, list(range(n_real)), default=None, return_dtype=pl.Int64)
    shifted = (idx + rep.cast(pl.Int64) * n_real) % n_all
    return shifted.replace_strict(list(range(n_all)), all_codes, default=None, return_dtype=pl.String)


def grow(frame: pl.DataFrame, replicas: int, keys: list[str], country_cols: list[str], real_codes: list[str],
         all_codes: list[str]) -> pl.DataFrame:
    """Replicate the rows (replica 0 first), keeping the replica number in `__rep` for the steps that follow."""
    rep = pl.col(REP)
    grown = pl.DataFrame({REP: pl.arange(0, replicas, eager=True).cast(pl.Int32)}).join(frame, how="cross")
    exprs = [renamed(pl.col(c)).alias(c) for c in keys]
    exprs += [shift_countries(pl.col(c), rep, real_codes, all_codes).alias(c) for c in country_cols]
    return grown.with_columns(exprs)


def renamed(key: pl.Expr) -> pl.Expr:
    """A key of replica `__rep`: unchanged in replica 0, with the suffix -s<r> in replica r."""
    rep = pl.col(REP)
    return pl.when(rep == 0).then(key).otherwise(key + pl.lit(SUFFIX) + rep.cast(pl.String))


def unique_columns(name: str, schema: dict) -> dict[str, dict]:
    """Optional unique columns that are not keys (satellites' COSPAR, NORAD and JCAT IDs, agencies' GCAT codes, whatever
    the Table Schemas mark `unique`): replicas need values of their own. The sources' unique path is copy_sources'."""
    keys, countries = key_columns(name, schema)
    return {f["name"]: f for f in schema["fields"]
            if f.get("constraints", {}).get("unique") and f["name"] not in keys + countries and name != SOURCES}


def final_class(pattern: str) -> tuple[str, int, int] | None:
    """(alphabet, least, most) of the character class a pattern ends with: `^[A-Z][0-9]{5,6}$` -> ('0123...9', 5, 6);
    None where the pattern does not end with a plain character class. The alphabet is in code-point order."""
    m = re.search(r"\[([^\]^\\][^\]\\]*)\](\{(\d+)(?:(,)(\d*))?\}|\+|\*)?\$?$", pattern)
    if not m:
        return None
    body, chars, i = m.group(1), set(), 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            chars.update(chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            chars.add(body[i])
            i += 1
    quant = m.group(2) or ""
    if quant.startswith("{"):
        least = int(m.group(3))
        most = int(m.group(5)) if m.group(5) else (10**6 if m.group(4) else least)
    else:
        least, most = {"+": (1, 10**6), "*": (0, 10**6), "": (1, 1)}[quant]
    return "".join(sorted(chars)), least, most


def code(k: int, alphabet: str, width: int) -> str:
    """k written in base len(alphabet) with `width` digits of the alphabet: code(1, 'AB..Z', 3) = 'AAB'."""
    if k >= len(alphabet) ** width:
        raise ValueError(f"{k} does not fit in {width} characters of {alphabet!r}")
    out = ""
    for _ in range(width):
        k, d = divmod(k, len(alphabet))
        out = alphabet[d] + out
    return out


def width_for(count: int, base: int) -> int:
    """The fewest characters that write `count` distinct codes in a base."""
    width = 1
    while base**width < count:
        width += 1
    return width


def text_schemes(values: list[str], replicas: int, pattern: str) -> list[Callable[[str, int], str]]:
    """The ways to give text value v of replica r >= 1 a value of its own that still matches the column's pattern, in
    the order they are tried. Both write in the alphabet of the character class the pattern ends with:
    - a suffix of the replica's code: GCAT `SSIM` -> `SSIM01`; COSPAR `2011-035B` -> `2011-035BB` (few replicas);
    - where the suffix does not fit the class's length, the value's tail in that class replaced by a code one longer
      than any real tail, numbered by (replica, the tail among the real ones with the same head): COSPAR `2018-099AB`
      -> `2018-099AAB`, JCAT `S29230` -> `S000000`, every value of the replica distinct from the real ones."""
    found = final_class(pattern)
    if found is None:
        return []
    alphabet, least, most = found
    width = width_for(replicas, len(alphabet))

    def split(v: str) -> tuple[str, str]:
        n = 0
        while n < min(len(v), most) and v[len(v) - 1 - n] in alphabet:
            n += 1
        return v[: len(v) - n], v[len(v) - n:]

    tails: dict[str, list[str]] = {}
    for v in values:
        head, tail = split(v)
        tails.setdefault(head, []).append(tail)
    index = {v: i for head, ts in tails.items() for i, v in enumerate(head + t for t in sorted(set(ts)))}
    per_head = max((len(set(ts)) for ts in tails.values()), default=1)
    longest = max((len(split(v)[1]) for v in values), default=0)
    wide = max(least, longest + 1, width_for((replicas - 1) * per_head, len(alphabet)))

    def suffix(v: str, r: int) -> str:
        if len(split(v)[1]) + width > most:
            raise ValueError(f"{v!r} has no room for a suffix of {width} characters")
        return v + code(r, alphabet, width)

    def retail(v: str, r: int) -> str:
        if wide > most:
            raise ValueError(f"{(replicas - 1) * per_head:,} codes do not fit in {most} characters of {alphabet!r}")
        return split(v)[0] + code((r - 1) * per_head + index[v], alphabet, wide)

    return [suffix, retail]


def numbered(values: list[str]) -> Callable[[str, int], str]:
    """The last scheme tried for a text: its trailing number replaced by one a digit longer, starting with 1 (GCAT JCAT
    `S29230` -> `S100000`, where the pattern ends in an alternation `text_schemes` cannot read), numbered by (replica,
    value); `valid` then tests each against the column's full pattern."""
    index = {v: i for i, v in enumerate(values)}

    def scheme(v: str, r: int) -> str:
        head = v.rstrip("0123456789")
        digits = len(v) - len(head)
        if digits == 0:
            raise ValueError(f"{v!r} does not end in a number")
        return head + str(10**digits + (r - 1) * len(values) + index[v])

    return scheme


def distinct_values(frame: pl.DataFrame, replicas: int, fields: dict[str, dict]) -> dict[str, pl.DataFrame]:
    """For each unique optional column (`unique` in its Table Schema, not a key): (real value, __rep, replica's value) for
    replicas >= 1, each value distinct from every other and from the real ones and valid in the column (its pattern,
    its length, its maximum). An integer is moved on by r steps of a power of ten above every real value (NORAD
    `29230` -> `129230`); a text gets the first of `text_schemes` whose values are all distinct and valid."""
    out = {}
    for column, field in fields.items():
        values = frame.get_column(column).drop_nulls().unique().sort().to_list()
        constraints = field.get("constraints", {})
        if field["type"] == "integer":
            step = 10 ** len(str(max((int(v) for v in values), default=0)))
            schemes: list[Callable[[str, int], str]] = [lambda v, r, step=step: str(int(v) + r * step)]
        else:
            schemes = [*text_schemes(values, replicas, constraints.get("pattern", ".*")), numbered(values)]
        why = "no scheme for a text without a pattern that ends in a character class"
        for scheme in schemes:
            try:
                rows = [(v, r, scheme(v, r)) for v in values for r in range(1, replicas)]
            except ValueError as exc:
                why = str(exc)
                continue
            new = [n for _, _, n in rows]
            bad = [n for n in new if not valid(n, field)]
            if bad:
                why = f"{bad[0]!r} is not a valid value of the column"
            elif len(set(new)) != len(new) or set(new) & set(values):
                why = "the replicas' values are not distinct from each other and from the real ones"
            else:
                out[column] = pl.DataFrame(rows, schema={"__old": pl.String, REP: pl.Int32, "__new": pl.String}, orient="row")
                break
        else:
            raise ValueError(f"{column}: no distinct replica values ({why})")
    return out


def valid(value: str, field: dict) -> bool:
    """A replica's value keeps the column's constraints: its pattern, length and range."""
    c = field.get("constraints", {})
    if field["type"] == "integer":
        return c.get("minimum", int(value)) <= int(value) <= c.get("maximum", int(value))
    return (re.fullmatch(c.get("pattern", ".*"), value) is not None and len(value) <= c.get("maxLength", len(value))
            and len(value) >= c.get("minLength", 0))


def replace_values(frame: pl.DataFrame, column: str, mapping: pl.DataFrame) -> pl.DataFrame:
    """`column` replaced by mapping's __new where (value, __rep) is in mapping."""
    joined = frame.join(mapping.rename({"__old": column}), on=[column, REP], how="left", maintain_order="left")
    return joined.with_columns(pl.coalesce("__new", column).alias(column)).drop("__new")


def name_twins(frame: pl.DataFrame, pk: str, specs: list[list[str]], max_len: int,
               every: list[tuple[list[pl.Expr], pl.Expr]] = ()) -> pl.DataFrame:
    """distinct-records: replica rows with the same values as an earlier row (the same name, type and country, where the
    country code wrapped round or is empty) name that earlier row's ID in their note, as a note explains a true homonym.
    A rule that excuses a pair of rows only where one names the other (duplicate-event) gives `every` (group, which rows
    take part): a replica row names every earlier row of its group. The real rows (replica 0) are left as they are:
    their own notes explain their homonyms."""
    rep = pl.col(REP)
    firsts = []
    for fields in specs:
        group = [pl.col(f).cast(pl.String) for f in fields]
        first = pl.col(pk).first().over(group)
        firsts.append(pl.when((rep > 0) & (pl.len().over(group) > 1) & (first != pl.col(pk))).then(first))
    lists = []
    for group, member in every:
        keys = [*group, member]  # rows that do not take part are a group of their own, and name no one
        earlier = pl.col(pk).over(keys, mapping_strategy="join").list.head(pl.int_range(pl.len()).over(keys))
        lists.append(pl.when(member & (rep > 0)).then(earlier).otherwise(pl.lit([], dtype=pl.List(pl.String))))
    names = pl.concat_list([*firsts, *lists]).list.drop_nulls().list.unique(maintain_order=True)
    note = pl.col("note")
    long = pl.concat_str([pl.lit("Replica of "), names.list.join(" and of "), pl.lit(".")])
    short = names.list.join(", ")  # where the note has no room for the words: the IDs alone still name the twin
    with_long = pl.concat_str([note + pl.lit(" "), long], ignore_nulls=True)
    with_short = pl.concat_str([note + pl.lit(" "), short], ignore_nulls=True)
    new = (pl.when(names.list.len() == 0).then(note).when(with_long.str.len_chars() <= max_len).then(with_long)
           .otherwise(with_short))
    out = frame.with_columns(new.alias("note"))
    if (too_long := out.filter(pl.col("note").str.len_chars() > max_len)).height:
        raise ValueError(f"the note of {too_long.item(0, pk)} has no room to name its twin within {max_len} characters")
    return out


def distinct_events(table: pl.DataFrame, pk: str) -> tuple[pl.DataFrame, list[tuple[list[pl.Expr], pl.Expr]], pl.DataFrame]:
    """duplicate-event: events with the same start_date, place (the city, else the country) and a name in common are one
    event unless a note of one names the other. Every replica of a dated event in a city would be one event, and
    replica r would have to name the r before it; so a replica's event leaves its city empty (city is a quoted column,
    never a relation, and the quotes still have the event's name) and is placed by its country, which the replica
    shifts. Where the country wraps round the list of codes, the (date, country) group `name_twins` gets makes the
    replica name its earlier twins, as for a homonym. Returns the (event, city) pairs whose city was left empty, for
    `drop_city_citations`."""
    from validate.text import fold_expr

    if not {"start_date", "city", "country_id", "name"} <= set(table.columns):
        return table, [], pl.DataFrame()
    dated = pl.col("start_date").is_not_null()
    cleared = (table.filter((pl.col(REP) > 0) & dated & pl.col("city").is_not_null())
               .select(pl.col(pk).alias("event_id"), "city", pl.col("name").alias("event_name")))
    table = table.with_columns(pl.when((pl.col(REP) > 0) & dated).then(None).otherwise(pl.col("city")).alias("city"))
    city = fold_expr(pl.col("city")).str.to_lowercase()
    place = (pl.when(pl.col("city").is_not_null()).then(pl.concat_str([pl.lit("city "), city]))
             .otherwise(pl.concat_str([pl.lit("country "), pl.col("country_id")])))
    return table, [([pl.col("start_date"), place], dated & place.is_not_null())], cleared


def referenced_sources(grown: dict[str, pl.DataFrame], schema_of: dict[str, dict]) -> pl.DataFrame:
    """(source_id) of the sources some row still refers to (sources are `x-must-be-referenced`): a replica's copy of a
    source that only a dropped citation (`drop_city_citations`) or an alias it did not need cited is left out, with its
    archived file (`file-unrecorded`)."""
    used = [grown[name].select(pl.col(fields[0]).alias(SOURCE_ID)) for name, spec in schema_of.items() if name in grown and name != SOURCES
            for fk in spec.get("foreignKeys", []) if fk["reference"]["resource"] == SOURCES
            and len(fields := fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]) == 1]
    return pl.concat(used).drop_nulls().unique()


def drop_city_citations(citations: pl.DataFrame, cleared: pl.DataFrame) -> pl.DataFrame:
    """The citations of a replica event whose city was left empty that stand only for the city: a claim of the city
    (preferred-value would see the empty city contradict it) and a plain quote that names the city but not the event
    (quote-supports-row would find nothing of the row in it). Each such event keeps the citations that state its name
    and date."""
    if cleared.height == 0 or not {"event_id", CLAIM_COLUMN, "quote"} <= set(citations.columns):
        return citations
    claim = pl.col(CLAIM_COLUMN)
    for_city = (citations.join(cleared, on="event_id")
                .filter((claim == "city") | (claim.is_null() & pl.col("quote").str.contains(pl.col("city"), literal=True)
                                             & ~pl.col("quote").str.contains(pl.col("event_name"), literal=True))))
    return citations.join(for_city.select("citation_id"), on="citation_id", how="anti")


def claim_renames(citations: pl.DataFrame, schema_of: dict[str, dict], real_codes: list[str], all_codes: list[str],
                  unique_maps: dict[str, dict[str, pl.DataFrame]]) -> pl.DataFrame:
    """A claim states a value of a column of the cited record: in a replica, a claimed key gets the replica's suffix, a
    claimed country code the replica's shift, and a claimed unique identifier the replica's value (a claim_value the
    quote no longer has verbatim, which the citation's note then explains, as claim-in-quote asks)."""
    from validate.text import explained

    cited = [(fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"], fk["reference"]["resource"])
             for fk in schema_of[CITATIONS].get("foreignKeys", [])]
    cited = [(field, target) for field, target in cited if target not in (SOURCES, COUNTRIES)]  # the quote's source is no cited record
    column, value = pl.col(CLAIM_COLUMN), pl.col(CLAIM_VALUE)
    is_key, is_country = pl.lit(False), pl.lit(False)
    for field, target in cited:
        keys, countries = key_columns(target, schema_of[target])
        is_key = is_key | (pl.col(field).is_not_null() & column.is_in(keys))
        is_country = is_country | (pl.col(field).is_not_null() & column.is_in(countries))
    rep = pl.col(REP)
    out = citations.with_columns(pl.when((rep > 0) & is_key).then(renamed(value))
                                 .when((rep > 0) & is_country).then(shift_countries(value, rep, real_codes, all_codes))
                                 .otherwise(value).alias(CLAIM_VALUE))
    for field, target in cited:
        for col, mapping in unique_maps.get(target, {}).items():
            out = replace_claim(out, mapping, pl.col(field).is_not_null() & (column == col))
    if "__changed" in out.columns:
        note = pl.col("note")
        clause = pl.lit("claim_value: the benchmark replica's own identifier, in place of the quote's ") + pl.col("__was") + pl.lit(".")
        out = out.with_columns(pl.when(pl.col("__changed") & ~explained(note.fill_null(""), CLAIM_VALUE))
                               .then(pl.concat_str([clause, pl.lit(" ") + note], ignore_nulls=True)).otherwise(note).alias("note"))
        out = out.drop("__changed", "__was")
    return out


def replace_claim(citations: pl.DataFrame, mapping: pl.DataFrame, when: pl.Expr) -> pl.DataFrame:
    """claim_value replaced by the replica's value where `when` holds; __was keeps the quote's value for the note."""
    joined = citations.join(mapping.rename({"__old": CLAIM_VALUE}), on=[CLAIM_VALUE, REP], how="left", maintain_order="left")
    hit = pl.col("__new").is_not_null() & when
    was = pl.when(hit).then(pl.col(CLAIM_VALUE))
    if "__was" in citations.columns:
        was = pl.coalesce(pl.col("__was"), was)
    changed = (pl.col("__changed") | hit) if "__changed" in citations.columns else hit
    return joined.with_columns(pl.when(hit).then(pl.col("__new")).otherwise(pl.col(CLAIM_VALUE)).alias(CLAIM_VALUE),
                               was.alias("__was"), changed.alias("__changed")).drop("__new")


def country_aliases(real: dict[str, pl.DataFrame], schema_of: dict[str, dict]) -> pl.DataFrame:
    """(real country code, its name, source) wherever a record refers to the country (in its row, a link row or a claim)
    and a quote of the record from that source has the country's name, as whole words.

    A replica refers to country AUS where the real row refers to KAZ, and its quotes say 'Kazakhstan': each replica
    gets an alias row naming its stand-in by the real name, from its copy of the source, so that the references still
    have their name in the quotes (relation-not-in-quote, quote-supports-row, claim-in-quote), through the same aliases
    join the real aliases go through. Only the (country, source) pairs some quote needs are added."""
    from validate.text import phrase, text_in_words

    refers = []  # (citation column, record key, country code)
    for fk in schema_of[CITATIONS].get("foreignKeys", []):
        field = fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]
        target = fk["reference"]["resource"]
        if target in (SOURCES, COUNTRIES):
            continue
        pk = schema_of[target]["primaryKey"][0]
        links = [(target, pk)] + [(name, s["x-cited-via"]) for name, s in schema_of.items() if s.get("x-cited-via")
                                  and any(f["reference"].get("resource") == target and f["fields"] in (s["x-cited-via"], [s["x-cited-via"]])
                                          for f in s.get("foreignKeys", []))]
        for name, via in links:
            for col in key_columns(name, schema_of[name])[1]:
                refers.append(real[name].select(pl.lit(field).alias("__field"), pl.col(via).alias("__rec"), pl.col(col).alias("country_id")))
        _, countries_of_target = key_columns(target, schema_of[target])
        claims = real[CITATIONS].filter(pl.col(field).is_not_null() & pl.col(CLAIM_COLUMN).is_in(countries_of_target)) \
            if CLAIM_COLUMN in real[CITATIONS].columns else real[CITATIONS].clear()
        refers.append(claims.select(pl.lit(field).alias("__field"), pl.col(field).alias("__rec"), pl.col(CLAIM_VALUE).alias("country_id")))
    refers_df = pl.concat(refers).drop_nulls().unique()
    fields = refers_df.get_column("__field").unique().to_list()
    cites = (real[CITATIONS].unpivot(on=fields, index=[SOURCE_ID, "quote"], variable_name="__field", value_name="__rec").drop_nulls("__rec")
             .select("__field", "__rec", SOURCE_ID, "quote").unique())
    names = schema_of[COUNTRIES].get("x-names", ["name"])
    countries = pl.concat([real[COUNTRIES].select("country_id", pl.col(n).alias("__name")) for n in names]).drop_nulls().unique()
    found = (cites.join(refers_df, on=["__field", "__rec"]).join(countries, on="country_id")
             .with_columns(words=phrase(pl.col("quote")))
             .filter(text_in_words(pl.col("__name"))).select("country_id", "__name", SOURCE_ID).unique().sort("country_id", "__name", SOURCE_ID))
    already = real[ALIASES].select("country_id", pl.col("alias").alias("__name"), SOURCE_ID)
    return found.join(already, on=["country_id", "__name", SOURCE_ID], how="anti")


def alias_rows(pairs: pl.DataFrame, columns: list[str], replicas: int, real_codes: list[str], all_codes: list[str]) -> pl.DataFrame:
    """The alias rows of `country_aliases` for replicas >= 1, in the aliases table's columns."""
    import unicodedata

    slug = {n: re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode().lower()).strip("-")
            for n in pairs.get_column("__name").unique().to_list()}
    rep = pl.col(REP)
    grown = pl.DataFrame({REP: pl.arange(1, max(1, replicas), eager=True).cast(pl.Int32)}).join(pairs, how="cross")
    stand_in = shift_countries(pl.col("country_id"), rep, real_codes, all_codes)
    grown = grown.filter(stand_in != pl.col("country_id"))  # where the codes wrap round to the real one, its own name is no alias
    made = grown.with_columns(
        pl.concat_str([stand_in.str.to_lowercase(), pl.col("__name").replace_strict(slug), pl.col(SOURCE_ID)], separator="-")
        .pipe(renamed).alias("alias_id"),
        stand_in.alias("country_id"), pl.col("__name").alias("alias"), pl.lit("source-spelling").alias("kind"), pl.lit("en").alias("language"),
        renamed(pl.col(SOURCE_ID)).alias(SOURCE_ID),
        pl.concat_str([pl.lit("Benchmark replica: the real name of "), pl.col("country_id"),
                       pl.lit(", whose references this country takes in the replica.")]).alias("note"))
    return made.select(REP, *[pl.col(c) if c in made.columns else pl.lit(None, dtype=pl.String).alias(c) for c in columns])


def stand_in_clauses(aliases: pl.DataFrame, countries: pl.DataFrame) -> pl.DataFrame:
    """alias-not-stated and alias-is-a-name: a replica's alias of a country names the real country ('Kazakhstan'), while
    its record is the stand-in (another ISO country), so its note gets a clause for `country_id` that names both, as a
    note explains an alias no quote states."""
    if "country_id" not in aliases.columns or "note" not in aliases.columns:
        return aliases
    names = countries.select("country_id", pl.col("name").alias("__stand_in"))
    clause = pl.concat_str([pl.lit("country_id: Benchmark replica: '"), pl.col("alias"), pl.lit("' stands for "), pl.col("__stand_in"), pl.lit(".")])
    return (aliases.join(names, on="country_id", how="left", maintain_order="left")
            .with_columns(pl.when((pl.col(REP) > 0) & pl.col("__stand_in").is_not_null())
                          .then(pl.concat_str([pl.col("note") + pl.when(pl.col("note").str.ends_with(".")).then(pl.lit(" ")).otherwise(pl.lit(". ")),
                                               clause], ignore_nulls=True))  # a clause starts the note or follows '. '
                          .otherwise(pl.col("note")).alias("note"))
            .drop("__stand_in"))


def retire_replicas(changelog: str, retired: pl.DataFrame, spec: dict, replicas: int) -> str:
    """The CHANGELOG's Retired lists also retire each replica's copy of a retired ID, under the release that retired the
    original (retired-id-map wants the versions equal): after the last retired ID of that release's list."""
    lines = changelog.split("\n")
    old = set(retired.get_column(spec["old"]).to_list())
    release, section, at, last = -1, "", {}, {}
    for i, line in enumerate(lines):  # as validate.changelog reads it: bullets of a `### Retired` section of a release
        if line.startswith("## "):
            release, section = i, ""
        elif line.startswith("### "):
            section = line[4:].strip().lower()
        parts = line.split("`")
        if section == "retired" and line.lstrip().startswith(("- ", "* ")) and len(parts) >= 3 and parts[1] in old:
            at[parts[1]] = release
            last[release] = i
    after: dict[int, list[str]] = {}
    for r in range(1, replicas):
        for o in at:
            after.setdefault(last[at[o]], []).append(f"- `{o}{SUFFIX}{r}`: the benchmark replica's copy of `{o}`")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        out.extend(after.get(i, []))
    return "\n".join(out)


def marker(r: int) -> str:
    """A word of letters only that names replica r (no digits: a number in a quote would count as a stated number)."""
    word = ""
    while True:
        word = "abcdefghijklmnopqrstuvwxyz"[r % 26] + word
        r //= 26
        if r == 0:
            return f"replica{word}"


def distinct_quotes(citations: pl.DataFrame, replicas: int) -> pl.DataFrame:
    """The distinct-quotes model: replica r >= 1 quotes its own words (each quote ends with `(replica<letters>)`), which
    its copy of the source holds in lines added at its end (`copy_sources`), so that the quote work grows with the
    package instead of staying at the real package's distinct quotes."""
    words = [marker(r) for r in range(replicas)]
    tag = pl.col(REP).replace_strict(list(range(replicas)), words, return_dtype=pl.String)
    return citations.with_columns(pl.when(pl.col(REP) == 0).then(pl.col("quote"))
                                  .otherwise(pl.concat_str([pl.col("quote"), pl.lit(" ("), tag, pl.lit(")")])).alias("quote"))


def generate(real: Path, out: Path, target: int, model: str = "replicated") -> Generated:
    """Write a package of about `target` rows to `out` (replaced if it exists). `model` is `replicated` (every replica
    quotes the real quotes, in its own copy of each source) or `distinct` (every replica's quotes are its own words too:
    `distinct_quotes`)."""
    import pycountry

    if out.exists():
        shutil.rmtree(out)
    (out / "tables").mkdir(parents=True)
    shutil.copytree(real / "schemas", out / "schemas")
    shutil.copytree(real / "sources", out / "sources")
    shutil.copyfile(real / "datapackage.json", out / "datapackage.json")
    res = resources(real)
    schema_of = schemas(real)
    frames = {r["name"]: read_strings(real / r["path"]) for r in res}
    pairs = country_aliases(frames, schema_of)
    replicas, n_countries = plan({k: v.height for k, v in frames.items()}, target, len(pycountry.countries), pairs.height)
    countries, all_codes = country_table(frames[COUNTRIES], n_countries)
    real_codes = frames[COUNTRIES].get_column("country_id").to_list()
    unique_maps = {name: distinct_values(frames[name], replicas, fields)
                   for name in frames if name != COUNTRIES and (fields := unique_columns(name, schema_of[name]))}
    grown: dict[str, pl.DataFrame] = {}
    for r in res:
        name = r["name"]
        if name == COUNTRIES:
            continue
        keys, country_cols = key_columns(name, schema_of[name])
        table = grow(frames[name], replicas, keys, country_cols, real_codes, all_codes)
        for column, mapping in unique_maps.get(name, {}).items():
            table = replace_values(table, column, mapping)
        if retired := schema_of[name].get("x-retired-ids"):  # the successor is an ID of any table: no foreign key renames it
            table = table.with_columns(renamed(pl.col(retired["new"])).alias(retired["new"]))
        if name == ALIASES:
            table = pl.concat([table, alias_rows(pairs, frames[name].columns, replicas, real_codes, all_codes)]).sort(REP, maintain_order=True)
            table = stand_in_clauses(table, countries)
        if name == CITATIONS and CLAIM_COLUMN in table.columns:
            table = claim_renames(table, schema_of, real_codes, all_codes, unique_maps)
        if name == CITATIONS and COUNTRIES in {fk["reference"]["resource"] for fk in schema_of[name].get("foreignKeys", [])}:
            # a country's own citations (its date of coming into being) stay with the real country: a stand-in has none
            column = next(fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]
                          for fk in schema_of[name]["foreignKeys"] if fk["reference"]["resource"] == COUNTRIES)
            table = table.filter(pl.col(column).is_null() | (pl.col(REP) == 0))
        if name == CITATIONS and model == "distinct":
            table = distinct_quotes(table, replicas)
        # a record compared with its link rows (`children`: an agreement and its parties) repeats where the replica's
        # country codes wrap round to an earlier replica's: such rows name that replica's row, grouped by `__wrap`
        rules = [s for s in schema_of[name].get("x-rules", []) if s.get("rule") == "distinct-records"]
        specs = [s["fields"] for s in rules if not s.get("children")]
        period = len(all_codes) // math.gcd(len(real_codes), len(all_codes))
        table = table.with_columns((pl.col(REP) % period).alias("__wrap"))
        every: list[tuple[list[pl.Expr], pl.Expr]] = [([*(pl.col(f) for f in s["fields"]), pl.col("__wrap")], pl.lit(True))
                                                      for s in rules if s.get("children")]
        if name == EVENTS:
            table, more, cleared = distinct_events(table, schema_of[name]["primaryKey"][0])
            every += more
        if (specs or every) and "note" in table.columns:
            note = next(f for f in schema_of[name]["fields"] if f["name"] == "note")
            limit = note.get("constraints", {}).get("maxLength")
            if limit is not None:  # room for the clause that names the twin: a real note may already be near its limit
                note["constraints"]["maxLength"] = limit + TWIN_ROOM
                write_schema(out, name, schema_of[name])
            table = name_twins(table, schema_of[name]["primaryKey"][0], specs, limit + TWIN_ROOM if limit is not None else 10**9, every)
        grown[name] = table.drop(REP, "__wrap")
    if CITATIONS in grown and EVENTS in grown:
        grown[CITATIONS] = drop_city_citations(grown[CITATIONS], cleared)
    referenced = referenced_sources(grown, schema_of)
    changelog = (real / "CHANGELOG.md").read_text("utf-8")
    for name in grown:
        if retired := schema_of[name].get("x-retired-ids"):
            changelog = retire_replicas(changelog, frames[name], retired, replicas)
    (out / "CHANGELOG.md").write_text(changelog, "utf-8")
    rows: dict[str, int] = {}
    for r in res:
        name = r["name"]
        table = countries if name == COUNTRIES else grown[name]
        if name == SOURCES:
            added: dict[str, list[str]] = {}
            if model == "distinct":  # each replica source holds the quotes its citations now make
                quoted = grown[CITATIONS].select(SOURCE_ID, "quote").unique().sort(SOURCE_ID, "quote")
                added = {k: v for k, v in quoted.group_by(SOURCE_ID).agg("quote").iter_rows()}
            table = copy_sources(real, out, frames[SOURCES], table, replicas, added)
            for path in table.join(referenced, on=SOURCE_ID, how="anti").get_column("path").to_list():
                (out / path).unlink()
            table = table.join(referenced, on=SOURCE_ID, how="semi", maintain_order="left")
        write(table, out / r["path"])
        rows[name] = table.height
    return Generated(out, replicas, rows)


def replica_url(url: str | None, r: int) -> str | None:
    """Replica r's address of a source: the query parameter `benchmark-replica=r` added (before any fragment), so that
    no two sources share an address once normalised (duplicate-source)."""
    if url is None:
        return None
    base, hash_, fragment = url.partition("#")
    return f"{base}{'&' if '?' in base else '?'}benchmark-replica={r}{hash_}{fragment}"


def replica_file(data: bytes, url: str | None, new_url: str | None, r: int) -> bytes:
    """Replica r's copy of an archived file, whose bytes differ from every other copy (duplicate-source compares
    SHA-256): an excerpt that opens with its `Address:` line gets the replica's address there (excerpt-header asks
    for it); any other file gets a last line naming the replica (quotes are found anywhere in the text)."""
    header = f"Address: {url}".encode()
    if url is not None and new_url is not None and data.startswith(header) and data[len(header):len(header) + 1] in (b"\n", b"\r"):
        return f"Address: {new_url}".encode() + data[len(header):]
    return data + (b"" if data.endswith(b"\n") or not data else b"\n") + f"[Benchmark replica {r} of this file.]\n".encode()


def copy_sources(real: Path, out: Path, real_sources: pl.DataFrame, grown: pl.DataFrame, replicas: int,
                 added: dict[str, list[str]] | None = None) -> pl.DataFrame:
    """Replicas >= 1 get new file names, addresses of their own (`replica_url`) and archived files of their own, each
    one's bytes distinct (`replica_file`), with their SHA-256: one document is never recorded twice. `added` gives, by
    source ID, lines a replica's copy holds at its end (the distinct-quotes model's quotes)."""
    import hashlib

    n = real_sources.height
    names = real_sources.get_column("file_name").to_list()
    stems = [Path(f).stem for f in names]
    exts = [Path(f).suffix for f in names]
    new_names = [names[i] if rep == 0 else f"{stems[i]}{SUFFIX}{rep}{exts[i]}" for rep in range(replicas) for i in range(n)]
    paths = real_sources.get_column("path").to_list()  # replica 0 keeps its path (an excerpt stays under sources/outside/)
    new_paths = [paths[i] if rep == 0 else f"sources/{new_names[rep * n + i]}" for rep in range(replicas) for i in range(n)]
    urls = real_sources.get_column("url").to_list() if "url" in real_sources.columns else [None] * n
    new_urls = [urls[i] if rep == 0 else replica_url(urls[i], rep) for rep in range(replicas) for i in range(n)]
    digests = real_sources.get_column("sha256").to_list()
    ids = grown.get_column(SOURCE_ID).to_list()
    originals = [(out / p).read_bytes() for p in paths]
    for rep in range(1, replicas):
        for i in range(n):
            data = replica_file(originals[i], urls[i], new_urls[rep * n + i], rep)
            if lines := (added or {}).get(ids[rep * n + i]):
                data += ("" if data.endswith(b"\n") else "\n").encode() + "".join(f"{line}\n" for line in lines if line).encode()
            (out / new_paths[rep * n + i]).write_bytes(data)
            digests.append(hashlib.sha256(data).hexdigest())
    columns = {"file_name": new_names, "path": new_paths, "sha256": digests} | ({"url": new_urls} if "url" in real_sources.columns else {})
    return grown.with_columns(**{c: pl.Series(v, dtype=pl.String) for c, v in columns.items()})


def write_schema(out: Path, table: str, schema: dict) -> None:
    """Write a table's (changed) Table Schema into the synthetic package, where its resource says it is."""
    path = next(r["schema"] for r in resources(out) if r["name"] == table)
    (out / path).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", "utf-8")


def copy_package(clean: Path, out: Path) -> None:
    """A copy to damage: tables are copied, archived sources hard-linked (they are never edited)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(clean, out, ignore=shutil.ignore_patterns("sources"))
    for f in (clean / "sources").rglob("*"):
        if f.is_dir():
            continue
        target = out / f.relative_to(clean)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(f, target)
        except OSError:
            shutil.copyfile(f, target)


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

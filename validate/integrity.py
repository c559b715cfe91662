"""Cross-table rules: foreign keys, citation coverage, records nothing refers to, minimum children, cycles in
self-references, and the same record under two IDs.

Every rule here is `fn(package, frames) -> findings`, where frames are the typed tables that could be read.
Each is declared in the Table Schemas (foreignKeys, `x-must-be-referenced`, `x-rules`) and read from the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import polars as pl

from .boundary import PACKAGE, run_registered
from .findings import LIMIT, Finding, listed
from .lazy import collect_all
from .model import CITATIONS, EVENTS, REQUIRED_RESOURCES, SOURCES, Package, Table
from .quotes import names_of
from .registry import rule
from .text import closest, fold_expr, note_text
from .types import typed_values

Frames = dict[str, pl.DataFrame]
ID_PATTERN = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
MAX_SUGGEST = 20_000  # parent keys beyond which no 'did you mean' is computed


@rule("foreign-key", "integrity")
def foreign_key(package: Package, frames: Frames) -> list[Finding]:
    """Every declared foreign key resolves, self-references included."""
    checks, queries = [], []
    for name, frame in frames.items():
        for fk in package.tables[name].foreign_keys:
            parent = frames.get(fk.resource)
            if parent is None:
                continue  # the parent table could not be read; its own findings say why
            keys = parent.lazy().select([pl.col(r).alias(c) for r, c in zip(fk.reference, fk.fields, strict=True)]).unique()
            child = frame.lazy().with_row_index("__row").filter(pl.all_horizontal([pl.col(c).is_not_null() for c in fk.fields]))
            checks.append((name, fk, parent))
            queries.append(child.join(keys, on=fk.fields, how="anti").select("__row", pl.concat_str(fk.fields, separator=",").alias("v")).sort("__row"))
    found: list[Finding] = []
    for (name, fk, parent), dangling in zip(checks, collect_all(queries), strict=True):  # every key of the package in one call
        more = listed(name, "foreign-key", ",".join(fk.fields), dangling, f"{{value!r}} matches no {'/'.join(fk.reference)} of {fk.resource}")
        if more and len(fk.fields) == 1:
            keys = parent.get_column(fk.reference[0]).unique()
            if keys.len() <= MAX_SUGGEST:
                candidates = keys.cast(pl.String).drop_nulls().to_list()
                more = [replace(f, hint=f"did you mean {close[0]!r}?") if (close := closest(str(f.value), candidates)) else f for f in more]
        found += more
    return found


@rule("uncited", "integrity")
def uncited(package: Package, frames: Frames) -> list[Finding]:
    """Every record of a fact table has at least one citation. A table of reference data marked `x-cited-where-stated`
    (the ISO countries) needs one only for a row that fills a column its sources state (an `x-quoted` column)."""
    citations = frames.get(CITATIONS)
    if citations is None:
        return []
    checks, queries = [], []
    for table, column in package.cited_tables().items():
        frame = frames.get(table)
        if frame is None:
            continue
        pk = package.tables[table].primary_key[0]
        cited = citations.lazy().select(pl.col(column).alias(pk)).drop_nulls().unique()
        rows = frame.lazy().with_row_index("__row")
        if package.tables[table].schema.get("x-cited-where-stated") is True:
            stated = [pl.col(f.name).is_not_null() for f in package.tables[table].fields if f.quoted and f.name in frame.columns]
            rows = rows.filter(pl.any_horizontal(stated) if stated else pl.lit(False))
        checks.append((table, pk))
        queries.append(rows.join(cited, on=pk, how="anti").select("__row", pk).sort("__row"))
    found: list[Finding] = []
    for (table, pk), missing in zip(checks, collect_all(queries), strict=True):  # every table's check in one call
        found += listed(table, "uncited", pk, missing, "{value!r} has no citation in citations: add one with its source and verbatim quote")
    return found


@rule("unreferenced", "integrity")
def unreferenced(package: Package, frames: Frames) -> list[Finding]:
    """Every row of a table marked `x-must-be-referenced` (sources, countries) is referred to by some other row."""
    found: list[Finding] = []
    if any(name not in frames for name in REQUIRED_RESOURCES):
        return found  # without citations (or another base table) nothing can be said of what refers to what
    for table in package.tables.values():
        if not table.must_be_referenced or table.name not in frames:
            continue
        referrers = package.references_to(table.name)
        unread = set(package.declared) - set(frames)
        if any(child not in package.tables or child in {c for c, _ in referrers} for child in unread):
            continue  # a table that may refer to this one could not be read: its own findings say why
        pk = table.primary_key[0]
        used = [frames[child].select(pl.col(fk.fields[0]).alias(pk)) for child, fk in referrers if child in frames and child != table.name]
        refs = pl.concat(used).drop_nulls().unique() if used else pl.DataFrame({pk: []}, schema={pk: pl.String})
        lonely = frames[table.name].with_row_index("__row").join(refs, on=pk, how="anti").select("__row", pk).sort("__row")
        found += listed(table.name, "unreferenced", pk, lonely, "{value!r} is not referred to by any row of the package")
    return found


@rule("min-children", "integrity")
def min_children(package: Package, frames: Frames) -> list[Finding]:
    """Every record has at least `min` rows in a child table (an agreement at least two parties), unless a child row
    has one of the `unless` values."""
    found: list[Finding] = []
    for table in package.tables.values():
        for spec in table.rules_of("min-children"):
            if table.name not in frames or spec["table"] not in frames:
                continue
            pk, key = table.primary_key[0], spec["field"]
            exempt = pl.lit(False)
            for col, values in spec.get("unless", {}).items():
                exempt = exempt | pl.col(col).is_in(typed_values(package.tables[spec["table"]].field(col).raw, values)).fill_null(False)
            counts = frames[spec["table"]].group_by(key).agg(n=pl.len(), exempt=exempt.any()).rename({key: pk})
            short = (frames[table.name].with_row_index("__row").join(counts, on=pk, how="left")
                     .filter((pl.col("n").fill_null(0) < spec["min"]) & ~pl.col("exempt").fill_null(False))
                     .select("__row", pk).sort("__row"))
            found += listed(table.name, "min-children", pk, short, f"{{value!r}} has fewer than {spec['min']} rows in {spec['table']}")
    return found


def keyed_tables(package: Package, frames: Frames) -> Iterator[tuple[Table, pl.DataFrame, str]]:
    """(table, frame, primary key) for each table that was read and has a one-column primary key."""
    for table in package.tables.values():
        if table.name in frames and len(table.primary_key) == 1:
            yield table, frames[table.name], table.primary_key[0]


@rule("no-cycle", "integrity")
def no_cycle(package: Package, frames: Frames) -> list[Finding]:
    """A self-reference (a parent organisation, a parent event) never loops back: no record is its own ancestor,
    at any distance."""
    found: list[Finding] = []
    for table, frame, pk in keyed_tables(package, frames):
        for fk in table.foreign_keys:
            if fk.resource != table.name or len(fk.fields) != 1:
                continue
            pairs = frame.select(pl.col(pk).cast(pl.String), pl.col(fk.fields[0]).cast(pl.String)).drop_nulls()
            parent = dict(pairs.iter_rows())
            cycles = cycles_of(parent)
            if not cycles:
                continue
            rows = {key: i for i, key in enumerate(frame.get_column(pk).cast(pl.String).to_list())}
            failing = pl.DataFrame([(rows[key], " → ".join([*cycle[cycle.index(key):], *cycle[:cycle.index(key)], key]))
                                    for cycle in cycles for key in cycle],
                                   schema={"__row": pl.UInt32, "v": pl.String}, orient="row").sort("__row")
            found += listed(table.name, "no-cycle", fk.fields[0], failing, f"{fk.fields[0]} loops back: {{value}}")
    return found


def cycles_of(parent: dict[str, str]) -> list[list[str]]:
    """The cycles of a child -> parent map, each once, in walk order. Linear: every key is walked at most once."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    cycles = []
    for start in parent:
        walk = []
        key: str | None = start
        while key is not None and key in parent and state.get(key) is None:
            state[key] = 1
            walk.append(key)
            key = parent[key]
        if key is not None and state.get(key) == 1:
            cycles.append(walk[walk.index(key):])
        for k in walk:
            state[k] = 2
    return cycles


@rule("distinct-records", "integrity")
def distinct_records(package: Package, frames: Frames) -> list[Finding]:
    """No two rows are the same record under two IDs (the same values in `fields`, for instance name, type and
    country; with `children`, also the same set of rows in a link table, for instance an agreement's parties), unless a
    note of one of them names the other's ID to say why they differ (a true homonym)."""
    found: list[Finding] = []
    for table, frame, pk in keyed_tables(package, frames):
        note = note_text(frame.columns)
        for spec in table.rules_of("distinct-records"):
            fields = list(spec["fields"])
            same = [pl.col(f).cast(pl.String).alias(f"__{i}") for i, f in enumerate(fields)]
            group = [f"__{i}" for i in range(len(fields))]
            rows = frame
            if "children" in spec:
                children = frames.get(spec["children"]["table"])
                if children is None:
                    continue  # the link table could not be read: its own findings say why
                rows = frame.with_columns(child_sets(frame, pk, children, spec["children"]).alias("__children"))
                same.append(pl.col("__children"))
                group.append("__children")
                fields.append(spec["children"]["table"])
            twins = (rows.with_row_index("__row").select("__row", pl.col(pk).cast(pl.String).alias("__id"), note.alias("__note"), *same)
                     .filter(pl.struct(group).is_duplicated()))
            if twins.height == 0:
                continue
            # (naming row, named row) pairs inside a group, by the IDs each note names: linear in the notes' size
            tokens = twins.select("__row", *group, pl.col("__note").str.extract_all(ID_PATTERN).alias("__id")).explode("__id").drop_nulls("__id")
            named = tokens.join(twins.select(*group, "__id", pl.col("__row").alias("__named")), on=[*group, "__id"], nulls_equal=True)
            named = named.filter(pl.col("__row") != pl.col("__named"))
            explained = pl.concat([named.get_column("__row"), named.get_column("__named")]).unique()
            bad = twins.filter(~pl.col("__row").is_in(explained.implode())).sort("__row")
            listed_rows = bad.head(LIMIT)
            others = [twins.join(row.select(group), on=group, nulls_equal=True).filter(pl.col("__id") != row.item(0, "__id"))
                      .get_column("__id").head(3).to_list() for row in listed_rows.iter_slices(1)]
            failing = pl.DataFrame({"__row": bad.get_column("__row"),
                                    "v": [f"{key}: same {', '.join(fields)} as {ids}" for key, ids in zip(listed_rows.get_column("__id"), others, strict=True)]
                                    + [""] * (bad.height - listed_rows.height)})
            found += listed(table.name, "distinct-records", pk, failing,
                            "{value}: the same record under two IDs? Merge them, or name the other ID in the note to explain a homonym")
    return found


def child_sets(frame: pl.DataFrame, pk: str, children: pl.DataFrame, spec: dict) -> pl.Series:
    """For each row of frame, the set of its rows in a link table (`spec`: table, the `field` naming the parent, the `fields`
    compared), as one string: sorted, so that the order of the link rows does not matter; null for a record without any."""
    row = pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in spec["fields"]], separator="\x1f")
    sets = (children.select(pl.col(spec["field"]).cast(pl.String).alias("__k"), row.alias("__set")).drop_nulls("__k")
            .group_by("__k").agg(pl.col("__set").unique().sort().str.join("\x1e")))
    return frame.select(pl.col(pk).cast(pl.String).alias("__k")).join(sets, on="__k", how="left", maintain_order="left").get_column("__set")


def normal_url(url: pl.Expr) -> pl.Expr:
    """A URL as duplicate-source compares it: scheme and host lowercased, http and https alike, `www.` and a trailing dot of
    the host dropped, trailing slashes dropped. An address that is not scheme://host... only loses its trailing slashes."""
    parts = url.str.extract_groups(r"^([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)(.*)$")
    scheme = parts.struct.field("1").str.to_lowercase().str.replace(r"^https$", "http")
    host = (parts.struct.field("2").str.to_lowercase().str.replace(r"^([^@]*@)?www\.", "${1}")
            .str.replace(r"\.(:[0-9]*)?$", "${1}"))
    whole = pl.when(scheme.is_not_null()).then(pl.concat_str([scheme, pl.lit("://"), host, parts.struct.field("3")])).otherwise(url)
    return whole.str.strip_chars_end("/")


@rule("duplicate-source", "integrity")
def duplicate_source(package: Package, frames: Frames) -> list[Finding]:
    """No two rows of sources record one document: the same `sha256`, or the same `url` once normalised (scheme and host
    in lower case, http and https alike, `www.` and a trailing dot of the host ignored, no trailing slash). The later row
    is reported, naming the earlier one."""
    sources = frames.get(SOURCES)
    if sources is None or "source_id" not in sources.columns:
        return []
    found: list[Finding] = []
    for column, key in (("sha256", pl.col("sha256")), ("url", normal_url(pl.col("url")))):
        if column not in sources.columns:
            continue
        rows = sources.with_row_index("__row").select("__row", pl.col(column).cast(pl.String), key.cast(pl.String).alias("__key"),
                                                      pl.col("source_id").cast(pl.String))
        rows = rows.filter(pl.col("__key").is_not_null() & (pl.col("__key") != ""))
        later = (rows.with_columns(earlier=pl.col("source_id").first().over("__key"))
                 .filter(pl.col("__row") != pl.col("__row").min().over("__key")).sort("__row"))
        what = "file (the same SHA-256)" if column == "sha256" else "address"
        found += listed(SOURCES, "duplicate-source", column, later.select("__row", column, "earlier"),
                        f"{{value!r}}: the same {what} as the earlier source {{earlier!r}}",
                        hint="one document is one row of sources: cite the earlier row and drop this one")
    return found


@rule("duplicate-event", "integrity")
def duplicate_event(package: Package, frames: Frames) -> list[Finding]:
    """No two rows of events are one event: the same `start_date` (equal as written), the same `city` (or both without a
    city and in the same `country_id`), and a name in common (the events' names, and any alias the aliases table gives an
    event, compared case-insensitively with white space folded), unless a note of one of them names the other's
    event_id (a true homonym). The later row is reported, naming the earlier one."""
    table, frame = package.tables.get(EVENTS), frames.get(EVENTS)
    if table is None or frame is None or len(table.primary_key) != 1 or not {"start_date", "city", "country_id"} <= set(frame.columns):
        return []
    pk = table.primary_key[0]
    names = names_of(package, frames).get(EVENTS)
    if names is None:
        return []
    city = fold_expr(pl.col("city").cast(pl.String)).str.to_lowercase()
    place = pl.when(pl.col("city").is_not_null()).then(pl.concat_str([pl.lit("city "), city])).otherwise(
        pl.concat_str([pl.lit("country "), pl.col("country_id").cast(pl.String)]))
    note = note_text(frame.columns)
    events = (frame.with_row_index("__row").select("__row", pl.col(pk).cast(pl.String).alias("__key"), pl.col("start_date").cast(pl.String).alias("__date"),
                                                   place.alias("__place"), note.alias("__note"))
              .filter(pl.col("__date").is_not_null() & pl.col("__place").is_not_null())
              .filter(pl.len().over("__date", "__place") > 1))
    group = ["__date", "__place", "__name"]
    members = (events.join(names.select("__key", fold_expr(pl.col("__name")).str.to_lowercase().alias("__name")), on="__key")
               .select("__row", "__key", *group).unique().filter(pl.len().over(group) > 1))
    if members.height == 0:
        return []
    # the pairs a note excuses (a homonym), either way round: (earlier row, later row), by the IDs each note names
    rows = members.select("__row", "__key").unique()
    tokens = (events.join(rows, on="__row", how="semi").select("__row", pl.col("__note").str.extract_all(ID_PATTERN).alias("__key"))
              .explode("__key").drop_nulls("__key"))
    named = tokens.join(rows.rename({"__row": "__named"}), on="__key").filter(pl.col("__row") != pl.col("__named"))
    excused = named.select(pl.min_horizontal("__row", "__named").alias("__earlier"), pl.max_horizontal("__row", "__named").alias("__row")).unique()
    # a row is a duplicate where, in one of its groups, more rows come before it than its note pairs excuse
    ranked = members.with_columns(__before=pl.col("__row").rank("ordinal").over(group) - 1)
    excuses = (ranked.select("__row", *group).join(excused, on="__row")
               .join(members.select(pl.col("__row").alias("__earlier"), *group), on=["__earlier", *group], how="semi")
               .group_by("__row", *group).agg(__excused=pl.len()))
    late = (ranked.join(excuses, on=["__row", *group], how="left").filter(pl.col("__before") > pl.col("__excused").fill_null(0))
            .group_by("__row").agg(pl.col("__key", "__date", "__place").first(), pl.col("__name").min()).sort("__row"))  # one row: one key, date, place
    # the earlier row each listed row duplicates: the first one its note does not excuse (bounded by LIMIT rows)
    shown = late.head(LIMIT)
    earlier = (shown.select("__row", "__date", "__place", "__name").join(members.select(pl.col("__row").alias("__earlier"), pl.col("__key").alias("earlier"), *group),
                                                                         on=group)
               .filter(pl.col("__earlier") < pl.col("__row")).join(excused, on=["__earlier", "__row"], how="anti")
               .group_by("__row").agg(pl.col("earlier").sort_by("__earlier").first()))
    failing = late.join(earlier, on="__row", how="left").sort("__row").select("__row", "__key", "earlier", pl.col("__name").alias("name"))
    return listed(EVENTS, "duplicate-event", pk, failing,
                  "{value!r}: the same start_date, place and name ({name!r}) as the earlier event {earlier!r}",
                  hint="merge the two rows, or name the other event_id in the note to explain a homonym")


def check(package: Package, frames: Frames) -> list[Finding]:
    """Every rule registered here, in the order they are defined, each through the error boundary."""
    return run_registered(__name__, PACKAGE, package=package, frames=frames)


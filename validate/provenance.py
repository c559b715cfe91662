"""Consistency with the cited sources: archived files, hashes, verbatim quotes, the facts rows state, dates.

No source is fetched: only the archived copies under sources/ are read (archive.py). Each distinct quote is folded, split
into words and its numbers extracted once (`Quotes`); the rules then search distinct (value, quote) pairs,
never a full-length copy of the citations. Every rule here is `fn(package, frames, quotes) -> findings`.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from .archive import read_sources
from .boundary import PACKAGE, attempt, rule_error, run_registered
from .findings import Finding, listed, shorten
from .model import CITATIONS, COUNTRIES, SOURCES, Field, Package, Table
from .quotes import CLAIM_COLUMN, CLAIM_VALUE, Frames, Quotes, clause_of, meaningful, named_in, names_of, note_names, prepare
from .registry import registered, rule
from .text import WELL_FORMED_DATE, as_words, explained, has_number, precision_prefix, text_in_words, value_in_words
from .types import parse, typed_values


@rule("quote-not-in-source", "provenance")
def quote_not_in_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each quote occurs verbatim in its source (white space, typographic quotes and Unicode normalisation folded)."""
    pairs = quotes.cites.select("source_id", "__q").unique().join(quotes.digests, on="source_id").select("digest", "__q").unique()
    # one vectorised search over (text, quote) pairs: never one polars call per archived text
    texts = pl.DataFrame({"digest": list(quotes.texts), "__text": list(quotes.texts.values())}, schema={"digest": pl.String, "__text": pl.String})
    bad = (pairs.join(texts, on="digest").join(quotes.distinct.select("__q", "folded"), on="__q")
           .filter(~pl.col("__text").str.contains(pl.col("folded"), literal=True)).select("digest", "__q"))
    if bad.height == 0:
        return []
    failing = (quotes.cites.join(quotes.digests, on="source_id").join(bad, on=["digest", "__q"], how="semi")
               .join(quotes.distinct.select("__q", "quote", "folded"), on="__q").sort("__row"))
    found = listed(CITATIONS, "quote-not-in-source", "quote", failing.select("__row", "quote"), "quote not found verbatim in its source: {value!r}")
    paths = dict(frames[SOURCES].select("source_id", "path").iter_rows())
    for i, (source_id, digest, folded) in enumerate(failing.head(len(found)).select("source_id", "digest", "folded").iter_rows()):
        found[i] = Finding(found[i].rule, f"{found[i].message} (in {paths.get(source_id)})", found[i].table, found[i].line, found[i].column,
                           found[i].value, found[i].more, found[i].row, closest_passage(folded, quotes.texts[digest]))
    return found


def closest_passage(quote: str, text: str) -> str:
    """Where a quote stops matching its source: the longest matching prefix (by words, found by bisection), and the
    source's text from there. Linear in the source's size for each step of the bisection."""
    words = quote.split(" ")
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if " ".join(words[:mid]) in text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "no word of the quote's beginning occurs in the source: is it cited to the right source?"
    prefix = " ".join(words[:lo])
    at = text.index(prefix)
    return f"the source has {shorten(text[at:at + len(quote) + 20], 160)!r}; the quote differs after {shorten(prefix, 60)!r}"


@rule("fact-not-in-quote", "provenance")
def fact_not_in_quote(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """The names, dates (year, and month and day where given) and numbers a row states (columns marked `x-quoted`) are
    in its record's quotes, or its note explains them in a clause that starts with the column name (`column: ...`)."""
    direct = package.cited_tables()
    longs, cited, claimed, order = [], [], [], []
    for name, frame in frames.items():
        table = package.tables[name]
        fields = [f for f in table.fields if f.quoted]
        if not fields or (quoted := quoted_by(package, table)) is None:
            continue
        key, cited_as = quoted
        order += [(name, f.name) for f in fields]
        longs.append(stated_facts(name, frame, key, fields))
        cited.append(quotes.cites.select(pl.lit(name).alias("__table"), pl.col(cited_as).cast(pl.String).alias("__rec"), "__q").drop_nulls().unique())
        if name in direct:  # claims are about the cited record's own columns
            claimed.append(claimed_values(quotes, cited_as, table, frame).select(pl.lit(name).alias("__table"), "__rec", "__column", "__v"))
    if not longs:
        return []
    long = pl.concat(longs)
    # each distinct (value, quote) pair is searched once, every quoted column of every table together; a row passes where
    # one of its record's quotes has its value, or where a citation claims that value for that column
    pairs = long.select("__table", "__rec", "__column", "__v", "__kind").unique().join(pl.concat(cited), on=["__table", "__rec"], how="left")
    values = (pairs.select("__column", "__v", "__kind", "__q").drop_nulls().unique()
              .join(quotes.distinct.select("__q", "words", "numbers", "dates"), on="__q"))
    present = values.filter(value_in_words(pl.col("__kind"), pl.col("__v")).fill_null(False)).select("__column", "__v", "__q")
    supported = pairs.join(present, on=["__column", "__v", "__q"], how="semi").select("__table", "__rec", "__column", "__v").unique()
    failing = long.join(supported, on=["__table", "__rec", "__column", "__v"], how="anti")
    if claimed:
        failing = failing.join(pl.concat(claimed), on=["__table", "__rec", "__column", "__v"], how="anti")
    found: list[Finding] = []
    for name, column in order:
        bad = failing.filter((pl.col("__table") == name) & (pl.col("__column") == column)).select("__row", "__v").sort("__row")
        found += listed(name, "fact-not-in-quote", column, bad, f"{{value!r}} is not in the row's quotes and the note has no '{column}:' explanation")
    return found


def stated_facts(name: str, frame: pl.DataFrame, key: str, fields: list[Field]) -> pl.DataFrame:
    """(__table, __row, __rec, __column, __v, __kind): each quoted value of the table as text, unless the note explains
    its column or the row is exempt (`unless`)."""
    note = pl.col("note").fill_null("") if "note" in frame.columns else pl.lit("")
    checked = []
    for f in fields:
        skip = explained(note, f.name) | (pl.col(f.quoted.unless).fill_null(False) if f.quoted.unless else pl.lit(False))
        checked.append(pl.when(~skip).then(pl.col(f.name).cast(pl.String)).alias(f.name))
    kinds = pl.DataFrame({"__column": [f.name for f in fields], "__kind": [f.quoted.kind for f in fields]})
    return (frame.with_row_index("__row").select("__row", pl.col(key).cast(pl.String).alias("__rec"), *checked)
            .unpivot(on=[f.name for f in fields], index=["__row", "__rec"], variable_name="__column", value_name="__v").drop_nulls("__v")
            .join(kinds, on="__column").select(pl.lit(name).alias("__table"), "__row", "__rec", "__column", "__v", "__kind"))


def claimed_values(quotes: Quotes, cited_as: str, table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """(__rec, __column, __v) of every value a citation claims for a record, parsed as the column's type then as text, so
    that it compares with the row's value cast the same way. claim-in-quote checks these against their own quotes."""
    claims = quotes.cites.select(pl.col(cited_as).cast(pl.String).alias("__rec"), pl.col(CLAIM_COLUMN).alias("__column"),
                                 pl.col(CLAIM_VALUE).alias("__v")).drop_nulls()
    parts = [claims.filter(pl.col("__column") == c).with_columns(parse({**table.field(c).raw, "name": "__v"}).cast(pl.String).alias("__v"))
             for c, dtype in frame.schema.items() if dtype != pl.String]
    return pl.concat([claims.filter(~pl.col("__column").is_in([c for c, t in frame.schema.items() if t != pl.String])), *parts]).drop_nulls()


def quoted_by(package: Package, table: Table) -> tuple[str, str] | None:
    """(the table's column that names the cited record, that record's key column in citations): its own key where it is
    cited directly, its parent's where it is cited through its parent (`x-cited-via`); None where it is not cited."""
    direct = package.cited_tables()
    if table.name in direct:
        return table.primary_key[0], direct[table.name]
    if table.cited_via and (parent := next(fk.resource for fk in table.foreign_keys if fk.fields == [table.cited_via])) in direct:
        return table.cited_via, direct[parent]
    return None


def record_quotes(package: Package, frames: Frames, quotes: Quotes) -> dict[str, tuple[str, pl.DataFrame]]:
    """For each cited or link table: (its key column, (key, __q, source_id) of the quotes its rows are checked against)."""
    out = {}
    for table in package.tables.values():
        if table.name not in frames:
            continue
        if (quoted := quoted_by(package, table)) is None:
            continue
        key, cited_as = quoted
        out[table.name] = (key, quotes.cites.select(pl.col(cited_as).alias(key), "__q", "source_id").drop_nulls([key]).unique())
    return out


@rule("relation-not-in-quote", "provenance")
def relation_not_in_quote(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Every foreign key that names an actor or a thing (a table with `x-names`) is supported by the quotes of its row's
    record (a link row's parent's): the referenced record's name, acronym or an alias found in that quote's source
    occurs in a quote, as whole words; or a clause of the row's note that explains the column (`column: ...`) names
    that record, as whole words (its name, acronym or any of its aliases, never a generic word alone). Swapping a party,
    member, participant, event, series, programme, parent or organiser for another record therefore fails, explained
    or not."""
    names = names_of(package, frames)
    if not names:
        return []
    # every link of every table in one frame, its key tagged with the table it refers to ("resource\x1fkey"), so that the
    # joins run once for the package, not once per foreign key
    tagged = pl.concat([df.select(pl.concat_str([pl.lit(res + "\x1f"), pl.col("__key")]).alias("__key"), "__name", "__source")
                        for res, df in names.items()])
    links, cited_all, order = [], [], []
    for name, (key, cited) in record_quotes(package, frames, quotes).items():
        table, frame = package.tables[name], frames[name]
        note = pl.col("note").fill_null("") if "note" in frame.columns else pl.lit("")
        columns = [f.name for f in table.fields]
        cited_all.append(cited.select(pl.lit(name).alias("__table"), pl.col(key).cast(pl.String).alias("__rec"), "__q", "source_id"))
        for fk in table.foreign_keys:
            if len(fk.fields) != 1 or fk.resource not in names or fk.fields[0] in (table.cited_via, key):
                continue
            column = fk.fields[0]
            order.append((name, column, fk.resource))
            links.append(frame.with_row_index("__row").filter(pl.col(column).is_not_null())
                         .select(pl.lit(name).alias("__table"), pl.lit(column).alias("__column"), "__row",
                                 pl.col(key).cast(pl.String).alias("__rec"), pl.col(column).cast(pl.String).alias("__value"),
                                 pl.concat_str([pl.lit(fk.resource + "\x1f"), pl.col(column).cast(pl.String)]).alias("__key"),
                                 clause_of(note, column, columns).alias("__clause")))
    if not links:
        return []
    rows = (pl.concat(links).with_row_index("__link")
            .join(tagged.select("__key").unique(), on="__key", how="semi"))  # a dangling key is foreign-key's
    pairs = rows.select("__table", "__rec", "__key").unique().join(pl.concat(cited_all), on=["__table", "__rec"])
    # own names on the key alone; an alias on (key, its source): never every alias of a record times every quote
    candidates = pl.concat([
        pairs.join(tagged.filter(pl.col("__source").is_null()).select("__key", "__name"), on="__key"),
        pairs.join(tagged.filter(pl.col("__source").is_not_null()).select("__key", "__name", pl.col("__source").alias("source_id")),
                   on=["__key", "source_id"])], how="diagonal_relaxed")
    tests = candidates.select("__name", "__q").unique().join(quotes.distinct.select("__q", "words"), on="__q")
    present = tests.filter(text_in_words(pl.col("__name")).fill_null(False)).select("__name", "__q")
    supported = candidates.join(present, on=["__name", "__q"], how="semi").select("__table", "__rec", "__key").unique()
    failing = rows.join(supported, on=["__table", "__rec", "__key"], how="anti")
    explained = named_in(failing.drop("__row").rename({"__link": "__row"}), "__clause", note_names(tagged))
    failing = failing.join(explained.rename({"__row": "__link"}), on="__link", how="anti")
    found: list[Finding] = []
    for name, column, resource in order:
        bad = failing.filter((pl.col("__table") == name) & (pl.col("__column") == column)).select("__row", "__value").sort("__row")
        found += listed(name, "relation-not-in-quote", column, bad,
                        f"{{value!r}}: no name or alias of this {resource} record is in the quotes of the row's record, "
                        f"and no '{column}:' clause of the note names it")
    return found


def stated_values(package: Package, frames: Frames, names: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """For each directly cited table: (key, value, kind) for every value its records state: their quoted fields and
    names, and the names of the records their foreign keys and their link rows' foreign keys refer to. An alias counts
    here whatever source it was found in (quote-supports-row asks only that the quote names the row in some way), so each
    record's names are made distinct before a reference is joined to them: a country named by many sources multiplies
    the references to it by its distinct names, not by its alias rows."""
    distinct = {res: df.select(pl.col("__key").alias("__ref"), pl.col("__name").alias("__v")).unique() for res, df in names.items()}
    out: dict[str, pl.DataFrame] = {}
    for name in package.cited_tables():
        if name not in frames:
            continue
        table = package.tables[name]
        key = table.primary_key[0]
        parts = []
        sources = [(table, frames[name], key)] + [(t, frames[t.name], t.cited_via) for t in package.tables.values()
                                                  if t.cited_via and t.name in frames and any(fk.fields == [t.cited_via] and fk.resource == name
                                                                                               for fk in t.foreign_keys)]
        if name in distinct:  # the record's own names and aliases
            parts.append(distinct[name].select(pl.col("__ref").alias("__key"), "__v", pl.lit("text").alias("__kind")))
        for tab, frame, via in sources:
            for f in tab.fields:
                if f.quoted or f.name in tab.names:
                    kind = f.quoted.kind if f.quoted else "text"
                    parts.append(frame.select(pl.col(via).cast(pl.String).alias("__key"), pl.col(f.name).cast(pl.String).alias("__v"),
                                              pl.lit(kind).alias("__kind")))
            for fk in tab.foreign_keys:
                if len(fk.fields) == 1 and fk.resource in distinct and fk.fields[0] not in (via, tab.cited_via):
                    refs = frame.select(pl.col(via).cast(pl.String).alias("__key"), pl.col(fk.fields[0]).cast(pl.String).alias("__ref"))
                    parts.append(refs.unique().join(distinct[fk.resource], on="__ref").select("__key", "__v", pl.lit("text").alias("__kind")))
        empty = pl.DataFrame(schema={"__key": pl.String, "__v": pl.String, "__kind": pl.String})
        out[name] = pl.concat(parts).drop_nulls(["__key", "__v"]).unique() if parts else empty
    return out


@rule("quote-supports-row", "provenance")
def quote_supports_row(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each citation's quote contains at least one value its record states: its name, title, acronym or an alias, the
    name of a record it refers to, a date's year, or a number. Articles and generic nouns alone ('the', 'Agency') never
    count as evidence. A claim (a citation with `claim_column`) is checked by claim-in-quote instead."""
    names = names_of(package, frames)
    found_rows = []
    for name, values in stated_values(package, frames, names).items():
        cited_as = package.cited_tables()[name]
        text_values = values.filter(pl.col("__kind") == "text").get_column("__v").unique().to_list()
        generic = [v for v in text_values if not meaningful(v)]
        values = values.filter(~((pl.col("__kind") == "text") & pl.col("__v").is_in(generic)))
        cites = quotes.cites.filter(pl.col(CLAIM_COLUMN).is_null()).select("__row", pl.col(cited_as).alias("__key"), "__q").drop_nulls("__key")
        pairs = cites.select("__key", "__q").unique()
        candidates = pairs.join(values, on="__key")
        tests = candidates.select("__v", "__kind", "__q").unique().join(quotes.distinct.select("__q", "words", "numbers"), on="__q")
        v = pl.col("__v")
        hit = (pl.when(pl.col("__kind") == "text").then(text_in_words(v)).when(pl.col("__kind") == "date").then(has_number(v.str.slice(0, 4)))
               .otherwise(has_number(v)))
        present = tests.filter(hit.fill_null(False)).select("__v", "__q")
        supported_pairs = candidates.join(present, on=["__v", "__q"], how="semi").select("__key", "__q").unique()
        supported = cites.join(supported_pairs, on=["__key", "__q"], how="semi").select("__row")
        found_rows.append(cites.join(supported, on="__row", how="anti").select("__row"))
    failing = pl.concat(found_rows).unique().sort("__row") if found_rows else pl.DataFrame()
    if failing.height == 0:
        return []
    failing = failing.join(frames[CITATIONS].with_row_index("__row").select("__row", "citation_id"), on="__row")
    return listed(CITATIONS, "quote-supports-row", "quote", failing,
                  "{value!r}: the quote contains no name, date or number its record states; quote the sentence that states it")


@rule("alias-not-in-source", "provenance")
def alias_not_in_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each alternative name occurs, as whole words, in the archived source it is recorded from."""
    found: list[Finding] = []
    words = dict(pl.DataFrame({"digest": list(quotes.texts), "text": list(quotes.texts.values())}, schema={"digest": pl.String, "text": pl.String})
                 .select("digest", as_words(pl.col("text").str.to_lowercase())).iter_rows())
    for table in package.tables.values():
        if not table.aliases or table.name not in frames:
            continue
        alias, source = table.aliases["alias"], table.aliases["source"]
        rows = (frames[table.name].with_row_index("__row").select("__row", pl.col(alias).alias("__v"), pl.col(source).alias("source_id"))
                .join(quotes.digests, on="source_id").drop_nulls("__v"))
        if rows.height == 0:
            continue
        rows = rows.with_columns(words=pl.col("digest").replace_strict(words, default=""))
        failing = rows.filter(~text_in_words(pl.col("__v"))).select("__row", "__v").sort("__row")
        found += listed(table.name, "alias-not-in-source", alias, failing, "{value!r} does not occur, as whole words, in its source")
    return found


@rule("alias-not-stated", "provenance")
def alias_not_stated(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each alias is stated for its record: one quote of the alias's source has both the alias and one of the record's
    own names (its `x-names`: name, acronym, local or former name), as whole words; or the alias row's note explains
    the record's column (`agency_id: ...`) in a clause that names both. An alias moved to another record therefore
    fails, as a swapped relation does."""
    names = names_of(package, frames)
    found: list[Finding] = []
    for table in package.tables.values():
        if not table.aliases or table.name not in frames:
            continue
        frame = frames[table.name]
        alias, source = table.aliases["alias"], table.aliases["source"]
        note = pl.col("note").fill_null("") if "note" in frame.columns else pl.lit("")
        columns = [f.name for f in table.fields]
        for fk in table.foreign_keys:
            if len(fk.fields) != 1 or fk.resource not in names or fk.fields[0] == source:
                continue
            column = fk.fields[0]
            rows = (frame.with_row_index("__row").filter(pl.col(column).is_not_null() & pl.col(alias).is_not_null())
                    .select("__row", pl.col(column).cast(pl.String).alias("__key"), pl.col(alias).cast(pl.String).alias("__alias"),
                            pl.col(source).cast(pl.String).alias("source_id"), clause_of(note, column, columns).alias("__clause"))
                    .join(names[fk.resource].select("__key").unique(), on="__key", how="semi"))  # a dangling key is foreign-key's
            if rows.height == 0:
                continue
            own = names[fk.resource].filter(pl.col("__source").is_null()).select("__key", "__name")
            # the quotes of the alias's source that have the alias, on (alias, source); then the record's names in those
            having = (rows.select("__alias", "source_id").unique().join(quotes.cites.select("source_id", "__q").unique(), on="source_id")
                      .join(quotes.distinct.select("__q", "words"), on="__q").filter(text_in_words(pl.col("__alias")).fill_null(False))
                      .select("__alias", "source_id", "__q"))
            candidates = rows.select("__key", "__alias", "source_id").unique().join(having, on=["__alias", "source_id"]).join(own, on="__key")
            present = (candidates.select("__name", "__q").unique().join(quotes.distinct.select("__q", "words"), on="__q")
                       .filter(text_in_words(pl.col("__name")).fill_null(False)).select("__name", "__q"))
            stated = candidates.join(present, on=["__name", "__q"], how="semi").select("__key", "__alias", "source_id").unique()
            failing = rows.join(stated, on=["__key", "__alias", "source_id"], how="anti")
            failing = failing.join(named_in(failing, "__clause", own, "__alias"), on="__row", how="anti")
            found += listed(table.name, "alias-not-stated", column, failing.select("__row", "__key", "__alias").sort("__row"),
                            f"{{value!r}}: no quote of the alias's source has both {{__alias!r}} and a name of this {fk.resource} record, "
                            f"and no '{column}:' clause of the note names both",
                            hint=f"cite a quote of the alias's source that names both, or name both in the note's '{column}:' clause")
    return found


def stating_sources(quotes: Quotes, cited_as: str, key: str, column: str) -> pl.DataFrame:
    """(key, source_id, published_date) of the sources that state a record's `column`: those whose citations claim a value
    for it where the record has such claims (an earlier page citing the record may have announced it as planned), else
    every source citing the record. Records with no citation have no row."""
    cites = quotes.cites.filter(pl.col(cited_as).is_not_null()).select(pl.col(cited_as).alias(key), "source_id", "published_date", CLAIM_COLUMN)
    claimed = cites.filter(pl.col(CLAIM_COLUMN) == column)
    return pl.concat([claimed, cites.join(claimed.select(key).unique(), on=key, how="anti")]).select(key, "source_id", "published_date").unique()


@rule("not-after-source", "provenance")
def not_after_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """A date a source reports as past (`field`, optionally only `when` other columns have given values) is not after
    the date of a source that reports it: the sources that claim a value for the column where there are such claims
    (an earlier page citing the record may have announced it as planned), else every source citing the record."""
    found: list[Finding] = []
    direct = package.cited_tables()
    for name, frame in frames.items():
        table = package.tables[name]
        if name not in direct:
            continue
        key = table.primary_key[0]
        for spec in table.rules_of("not-after-source"):
            column = spec["field"]
            dates = stating_sources(quotes, direct[name], key, column).select(key, "published_date").drop_nulls().unique()
            when = pl.lit(True)
            for col, values in spec.get("when", {}).items():
                when = when & pl.col(col).is_in(typed_values(table.field(col).raw, values)).fill_null(False)
            well_formed = pl.col(column).cast(pl.String).str.contains(WELL_FORMED_DATE)  # a date column too
            rows = (frame.with_row_index("__row").filter(when & well_formed.fill_null(False))
                    .select("__row", key, pl.col(column).cast(pl.String)))
            value, reported = precision_prefix(pl.col(column), pl.col("published_date"))
            late = (rows.join(dates, on=key, how="inner").filter(value > reported)
                    .group_by("__row").agg(pl.col(column).first()).sort("__row"))
            found += listed(name, "not-after-source", column, late.select("__row", column),
                            "{value!r} is after the date of a source that reports it as past")
    return found


# `STATUS_AS_OF` is the date at which a record's `STATUS` was true, as dated by a source that states it.
STATUS, STATUS_AS_OF = "status", "status_as_of"


@rule("status-dated-by-source", "provenance")
def status_dated_by_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """`status_as_of`, in every table that has it, is the date of a source that states the status, never the day a page
    was consulted: not after the latest `published_date` of the sources that state it (those whose citations claim
    `status` for the record, else every source citing the record), compared at their shared precision; and empty where
    none of those sources is dated (the row gives bounds instead)."""
    found: list[Finding] = []
    direct = package.cited_tables()
    for name, frame in frames.items():
        if name not in direct or STATUS_AS_OF not in frame.columns:
            continue
        key = package.tables[name].primary_key[0]
        latest = stating_sources(quotes, direct[name], key, STATUS).group_by(key).agg(pl.col("published_date").max())  # null: none is dated
        rows = (frame.with_row_index("__row").select("__row", key, pl.col(STATUS_AS_OF).cast(pl.String))
                .filter(pl.col(STATUS_AS_OF).str.contains(WELL_FORMED_DATE).fill_null(False)))
        value, stated = precision_prefix(pl.col(STATUS_AS_OF), pl.col("published_date"))
        bad = (rows.join(latest, on=key, how="inner").filter(pl.col("published_date").is_null() | (value > stated)).sort("__row")
               .select("__row", STATUS_AS_OF, why=pl.when(pl.col("published_date").is_null())
                       .then(pl.lit("is given, but no source stating the status is dated"))  # each under 80 characters: listed shortens
                       .otherwise(pl.concat_str([pl.lit("is after "), pl.col("published_date"), pl.lit(", the date of the newest source stating the status")]))))
        found += listed(name, "status-dated-by-source", STATUS_AS_OF, bad, "status_as_of {value!r} {why}",
                        hint="status_as_of is the date of the source that states the status (the newest, if several do), never the day "
                             "a page was consulted; where no such source is dated, leave it empty and give bounds instead")
    return found


@rule("country-code", "provenance")
def country_code(package: Package, frames: Frames, quotes: Quotes | None = None) -> list[Finding]:
    """Country codes are ISO 3166-1 alpha-3 codes (pycountry's list, not a hand-written one)."""
    import pycountry

    countries = frames.get(COUNTRIES)
    if countries is None:
        return []
    iso = [c.alpha_3 for c in pycountry.countries]
    bad = countries.with_row_index("__row").filter(~pl.col("country_id").is_in(iso)).select("__row", "country_id")
    return listed(COUNTRIES, "country-code", "country_id", bad, "{value!r} is not an ISO 3166-1 alpha-3 code")


@rule("country-region", "provenance")
def country_region(package: Package, frames: Frames, quotes: Quotes | None = None) -> list[Finding]:
    """A country's region is its UN M49 geographic region (country_converter's list, generated into validate/regions.py)."""
    from .regions import UN_REGIONS

    countries = frames.get(COUNTRIES)
    if countries is None or "region" not in countries.columns:
        return []
    expected = pl.col("country_id").replace_strict(UN_REGIONS, default=None, return_dtype=pl.String)
    bad = (countries.with_row_index("__row").filter(pl.col("region").is_not_null() & expected.is_not_null() & (pl.col("region") != expected))
           .select("__row", pl.format("{} (UN M49: {})", pl.col("region"), expected)))
    return listed(COUNTRIES, "country-region", "region", bad, "{value}: not the country's UN M49 region")


def check(package: Package, frames: Frames) -> tuple[list[Finding], Quotes | None]:
    """The findings, and the prepared quotes (None when the sources or citations could not be read) for claims.py.

    Every rule registered here runs through the error boundary, in the order they are defined; those that read the quotes
    only where the sources and citations could be read. The archived files' own rules run as each file is read."""
    if frames.get(SOURCES) is None or frames.get(CITATIONS) is None:
        return run_registered(__name__, PACKAGE, package=package, frames=frames), None
    try:
        digests, texts, more = read_sources(package, frames[SOURCES])
        quotes = prepare(package, frames, digests, texts)
    except Exception as exc:  # the quotes could not be prepared: each rule that reads them (here and in claims.py) is reported
        readers = [r.id for module in (__name__, "validate.claims") for r in registered(module) if "quotes" in r.needs]
        return run_registered(__name__, PACKAGE, package=package, frames=frames) + [rule_error(r, PACKAGE, exc) for r in readers], None
    found = run_registered(__name__, PACKAGE, package=package, frames=frames, quotes=quotes)
    pointed, failed = attempt("fact-not-in-quote", PACKAGE, point_back, found, package, frames, quotes, default=found)
    return more + failed + pointed, quotes


def point_back(found: list[Finding], package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """A value missing from its row's quotes is often the effect of a quote edited away from its source: such findings
    name the record's citations, the broken ones first, so that the contributor fixes the cause."""
    broken = {f.row for f in found if f.rule == "quote-not-in-source" and f.row is not None}
    ids = frames[CITATIONS].get_column("citation_id").cast(pl.String).to_list()
    out = []
    for f in found:
        quoted = quoted_by(package, package.tables[f.table]) if f.table in package.tables and f.table in frames else None
        if f.rule in ("fact-not-in-quote", "relation-not-in-quote") and f.row is not None and quoted and not f.hint:
            key, cited_as = quoted
            record = frames[f.table].get_column(key).cast(pl.String)[f.row]
            rows = [] if record is None else quotes.cites.filter(pl.col(cited_as).cast(pl.String) == record).get_column("__row").sort().to_list()
            bad = [ids[r] for r in rows if r in broken]
            if bad:
                f = replace(f, hint=f"its citation {', '.join(bad[:3])} no longer matches its source (quote-not-in-source): fix that quote first")
            elif rows:
                f = replace(f, hint=f"the record's quotes are in citations {', '.join(ids[r] for r in rows[:3])}" + (" ..." if len(rows) > 3 else ""))
        out.append(f)
    return out

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
from .evidence import ID, Evidence, meaningful
from .findings import Finding, listed, shorten
from .lazy import ENGINE, collect_all
from .model import CITATIONS, COUNTRIES, SOURCES, Field, Package, Table
from .quotes import CLAIM_COLUMN, CLAIM_VALUE, Frames, Quotes, clause_of, prepare, typed_claim
from .registry import registered, rule
from .text import WELL_FORMED_DATE, as_words, explained, has_number, note_text, phrase, precision_prefix, text_in_words, value_in_words
from .types import typed_values


@rule("quote-not-in-source", "provenance")
def quote_not_in_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each quote occurs verbatim in its source (white space, typographic quotes and Unicode normalisation folded)."""
    pairs = quotes.cites.select("source_id", "__q").unique().join(quotes.digests, on="source_id").select("digest", "__q").unique()
    # one vectorised search over (text, quote) pairs: never one polars call per archived text
    texts = quotes.texts.rename({"text": "__text"})
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
                           found[i].value, found[i].more, found[i].row, closest_passage(folded, text_of(quotes, digest)))
    return found


def text_of(quotes: Quotes, digest: str) -> str:
    """The folded text of one archived file."""
    return quotes.texts.filter(pl.col("digest") == digest).get_column("text").item()


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
    ev = quotes.evidence
    direct = package.cited_tables()
    longs, claimed, order = [], [], []
    for name, frame in frames.items():
        table = package.tables[name]
        fields = [f for f in table.fields if f.quoted]
        if not fields or (quoted := quoted_by(package, table)) is None:
            continue
        key, cited_as = quoted
        cited = name if name in direct else next(fk.resource for fk in table.foreign_keys if fk.fields == [table.cited_via])
        order += [(name, f.name) for f in fields]
        longs.append(stated_facts(name, frame, key, fields).with_columns(pl.lit(cited).alias("__cres")))
        if name in direct:  # claims are about the cited record's own columns
            claimed.append(claimed_values(quotes, cited_as, table, frame).select(pl.lit(name).alias("__cres"), "__rec", "__column", "__v"))
    if not longs:
        return []
    long = ev.rids(pl.concat(longs), pl.col("__cres"), "__rec", keep=True)  # a dangling record: no quote
    # each distinct (value, quote) pair is searched once, every quoted column of every table together; a row passes where
    # one of its record's quotes has its value, or where a citation claims that value for that column. One query.
    pairs = long.select("__rid", "__column", "__v", "__kind").unique().join(ev.cites.lazy().select("__rid", "__q").unique(), on="__rid")
    values = (pairs.select("__column", "__v", "__kind", "__q").unique()
              .join(quotes.distinct.lazy().select(pl.col("__q").cast(ID), "words", "numbers", "dates"), on="__q"))
    present = values.filter(value_in_words("__kind", "__v").fill_null(False)).select("__column", "__v", "__q")
    supported = pairs.join(present, on=["__column", "__v", "__q"], how="semi").select("__rid", "__column", "__v").unique()
    failing = long.join(supported, on=["__rid", "__column", "__v"], how="anti")
    if claimed:
        failing = failing.join(ev.rids(pl.concat(claimed), pl.col("__cres"), "__rec").select("__rid", "__column", "__v"),
                               on=["__rid", "__column", "__v"], how="anti")
    found: list[Finding] = []
    by_place = failing.collect(engine=ENGINE).partition_by("__table", "__column", as_dict=True)  # one split, only of the rows that fail
    for name, column in order:
        if (bad := by_place.get((name, column))) is not None:
            found += listed(name, "fact-not-in-quote", column, bad.select("__row", "__v").sort("__row"),
                            f"{{value!r}} is not in the row's quotes and the note has no '{column}:' explanation")
    return found


def stated_facts(name: str, frame: pl.DataFrame, key: str, fields: list[Field]) -> pl.LazyFrame:
    """(__table, __row, __rec, __column, __v, __kind), as a query: each quoted value of the table as text, unless the note
    explains its column or the row is exempt (`unless`)."""
    note = note_text(frame.columns)
    checked = []
    for f in fields:
        skip = explained(note, f.name) | (pl.col(f.quoted.unless).fill_null(False) if f.quoted.unless else pl.lit(False))
        checked.append(pl.when(~skip).then(pl.col(f.name).cast(pl.String)).alias(f.name))
    kinds = pl.LazyFrame({"__column": [f.name for f in fields], "__kind": [f.quoted.kind for f in fields]})
    return (frame.lazy().with_row_index("__row").select("__row", pl.col(key).cast(pl.String).alias("__rec"), *checked)
            .unpivot(on=[f.name for f in fields], index=["__row", "__rec"], variable_name="__column", value_name="__v").drop_nulls("__v")
            .join(kinds, on="__column").select(pl.lit(name).alias("__table"), "__row", "__rec", "__column", "__v", "__kind"))


def claimed_values(quotes: Quotes, cited_as: str, table: Table, frame: pl.DataFrame) -> pl.LazyFrame:
    """(__rec, __column, __v), as a query, of every value a citation claims for a record, parsed as the column's type then
    as text, so that it compares with the row's value cast the same way. claim-in-quote checks these against their own
    quotes."""
    claims = quotes.cites.lazy().select(pl.col(cited_as).cast(pl.String).alias("__rec"), pl.col(CLAIM_COLUMN).alias("__column"),
                                        pl.col(CLAIM_VALUE).alias("__v")).drop_nulls()
    return claims.with_columns(typed_claim(table, [c for c, dtype in frame.schema.items() if dtype != pl.String]).alias("__v")).drop_nulls()


def quoted_by(package: Package, table: Table) -> tuple[str, str] | None:
    """(the table's column that names the cited record, that record's key column in citations): its own key where it is
    cited directly, its parent's where it is cited through its parent (`x-cited-via`); None where it is not cited."""
    direct = package.cited_tables()
    if table.name in direct:
        return table.primary_key[0], direct[table.name]
    if table.cited_via and (parent := next(fk.resource for fk in table.foreign_keys if fk.fields == [table.cited_via])) in direct:
        return table.cited_via, direct[parent]
    return None


@rule("relation-not-in-quote", "provenance")
def relation_not_in_quote(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Every foreign key that names an actor or a thing (a table with `x-names`) is supported by the quotes of its row's
    record (a link row's parent's): the referenced record's name, acronym or an alias found in that quote's source
    occurs in a quote, as whole words; or a clause of the row's note that explains the column (`column: ...`) names
    that record, as whole words (its name, acronym or any of its aliases, never a generic word alone). Swapping a party,
    member, participant, event, series, programme, parent or organiser for another record therefore fails, explained
    or not."""
    ev = quotes.evidence
    named_tables = ev.named_tables()
    direct = package.cited_tables()
    links, order = [], []
    for table in package.tables.values():
        if table.name not in frames or (quoted := quoted_by(package, table)) is None:
            continue
        key = quoted[0]
        cited = table.name if table.name in direct else next(fk.resource for fk in table.foreign_keys if fk.fields == [table.cited_via])
        frame = frames[table.name]
        note = note_text(frame.columns)
        columns = [f.name for f in table.fields]
        for fk in table.foreign_keys:
            if len(fk.fields) != 1 or fk.resource not in named_tables or fk.fields[0] in (table.cited_via, key):
                continue
            column = fk.fields[0]
            order.append((table.name, column, fk.resource))
            links.append(frame.lazy().with_row_index("__row").filter(pl.col(column).is_not_null()).select(
                pl.lit(table.name).alias("__table"), pl.lit(column).alias("__column"), "__row", pl.col(key).cast(pl.String).alias("__rec"),
                pl.col(column).cast(pl.String).alias("__value"), clause_of(note, column, columns).alias("__clause"),
                pl.lit(fk.resource).alias("__tres"), pl.lit(cited).alias("__cres")))
    if not links:
        return []
    # every link numbered at once: the record it points to and the record whose quotes must name it
    rows = ev.rids(ev.rids(pl.concat(links), pl.col("__tres"), "__value", "__trid"), pl.col("__cres"), "__rec", "__crid").with_row_index("__link")
    rows = rows.collect(engine=ENGINE).lazy()  # read by both queries below: computed once
    # the quotes of each citing record; the linked record's own names on its ID alone, an alias on (ID, its source)
    pairs = rows.select("__crid", "__trid").unique().join(ev.cites.lazy().select(pl.col("__rid").alias("__crid"), "__q", "__sid"), on="__crid")
    own = ev.named.lazy().filter(pl.col("__sid").is_null()).select(pl.col("__rid").alias("__trid"), "__nid")
    alias = ev.named.lazy().filter(pl.col("__sid").is_not_null()).select(pl.col("__rid").alias("__trid"), "__nid", "__sid")
    candidates = pl.concat([pairs.join(own, on="__trid").select("__crid", "__trid", "__nid", "__q"),
                            pairs.join(alias, on=["__trid", "__sid"]).select("__crid", "__trid", "__nid", "__q")]).collect(engine=ENGINE).lazy()
    supported = candidates.join(ev.in_quotes(candidates), on=["__nid", "__q"], how="semi").select("__crid", "__trid").unique()
    failing = rows.join(supported, on=["__crid", "__trid"], how="anti")
    # a note clause explains a link only if it names the linked record (never by a generic word alone)
    named = (ev.named.lazy().join(ev.names.lazy().filter("__meaningful").select("__nid"), on="__nid")
             .select(pl.col("__rid").alias("__trid"), "__nid").unique())
    explained = ev.in_text(failing.select("__link", "__trid", "__clause").join(named, on="__trid"), "__clause", "__nid")
    failing = failing.join(explained.select("__link").unique(), on="__link", how="anti").collect(engine=ENGINE)
    found: list[Finding] = []
    by_place = failing.partition_by("__table", "__column", as_dict=True)  # one split, only of the rows that fail
    for name, column, resource in order:
        if (bad := by_place.get((name, column))) is None:
            continue
        found += listed(name, "relation-not-in-quote", column, bad.select("__row", "__value").sort("__row"),
                        f"{{value!r}}: no name or alias of this {resource} record is in the quotes of the row's record, "
                        f"and no '{column}:' clause of the note names it")
    return found


def record_evidence(package: Package, frames: Frames, ev: Evidence) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """What each directly cited record states, as quote-supports-row accepts it: (__rid, __nid) the names of every record
    (an alias of any source: the rule asks only that the quote names the row in some way; never a generic name alone);
    (__rid, __trid) the records each cited record's foreign keys and its link rows' foreign keys refer to, whose names
    it states too; and (__rid, __v, __kind) the values of its quoted fields and its link rows' names."""
    named = ev.named.lazy().join(ev.names.lazy().filter("__meaningful").select("__nid"), on="__nid").select("__rid", "__nid").unique()
    literals, refs = [], []
    for name in package.cited_tables():
        if name not in frames:
            continue
        table = package.tables[name]
        parts = [(table, frames[name], table.primary_key[0])] + [
            (t, frames[t.name], t.cited_via) for t in package.tables.values()
            if t.cited_via and t.name in frames and any(fk.fields == [t.cited_via] and fk.resource == name for fk in t.foreign_keys)]
        for tab, frame, via in parts:
            record = [pl.lit(name).alias("__cres"), pl.col(via).cast(pl.String).alias("__key")]
            for f in tab.fields:
                if f.quoted or (f.name in tab.names and tab is not table):
                    literals.append(frame.lazy().select(*record, pl.col(f.name).cast(pl.String).alias("__v"),
                                                        pl.lit(f.quoted.kind if f.quoted else "text").alias("__kind")))
            refs += [frame.lazy().select(*record, pl.col(fk.fields[0]).cast(pl.String).alias("__ref"), pl.lit(fk.resource).alias("__tres"))
                     for fk in tab.foreign_keys if len(fk.fields) == 1 and fk.fields[0] not in (via, tab.cited_via)]
    # numbered at once: each record, and each record its rows refer to; the three in one call
    refers = (ev.rids(ev.rids(pl.concat(refs).drop_nulls().unique(), pl.col("__cres"), "__key"), pl.col("__tres"), "__ref", "__trid")
              .select("__rid", "__trid").unique() if refs else pl.LazyFrame(schema={"__rid": ID, "__trid": ID}))
    values = (ev.rids(pl.concat(literals).drop_nulls(), pl.col("__cres"), "__key").select("__rid", "__v", "__kind").unique() if literals
              else pl.LazyFrame(schema={"__rid": ID, "__v": pl.String, "__kind": pl.String}))
    names, refers, values = collect_all([named, refers, values])
    generic = [v for v in values.filter(pl.col("__kind") == "text").get_column("__v").unique().to_list() if not meaningful(v)]
    return names, refers, values.filter(~((pl.col("__kind") == "text") & pl.col("__v").is_in(generic)))


@rule("quote-supports-row", "provenance")
def quote_supports_row(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each citation's quote contains at least one value its record states: its name, title, acronym or an alias, the
    name of a record it refers to, a date's year, or a number. Articles and generic nouns alone ('the', 'Agency') never
    count as evidence. A claim (a citation with `claim_column`) is checked by claim-in-quote instead."""
    ev = quotes.evidence
    cites = ev.cites.lazy().filter(~pl.col("__claim")).select("__row", "__rid", "__q")
    pairs = cites.select("__rid", "__q").unique()
    names, refers, values = record_evidence(package, frames, ev)
    by_name = pairs.join(names.lazy(), on="__rid").collect(engine=ENGINE).lazy()  # in_quotes computes it too: once
    by_value = pairs.join(values.lazy(), on="__rid")
    tests = by_value.select("__v", "__kind", "__q").unique().join(quotes.distinct.lazy().select(pl.col("__q").cast(ID), "words", "numbers"), on="__q")
    v = pl.col("__v")
    hit = (pl.when(pl.col("__kind") == "text").then(text_in_words(v)).when(pl.col("__kind") == "date").then(has_number(v.str.slice(0, 4)))
           .otherwise(has_number(v)))
    present = tests.filter(hit.fill_null(False)).select("__v", "__kind", "__q")
    supported = pl.concat([by_name.join(ev.in_quotes(by_name), on=["__nid", "__q"], how="semi").select("__rid", "__q"),
                           by_value.join(present, on=["__v", "__kind", "__q"], how="semi").select("__rid", "__q")]).collect(engine=ENGINE)
    # the names of the records a record refers to, only for the quotes its own names and values leave unsupported: a
    # country with dozens of names is searched for in those few quotes, not in every quote of every record naming it
    rest = pairs.join(supported.lazy(), on=["__rid", "__q"], how="anti")
    by_ref = (rest.join(refers.lazy(), on="__rid").join(names.lazy().rename({"__rid": "__trid"}), on="__trid")
              .select("__rid", "__nid", "__q").unique().collect(engine=ENGINE).lazy())
    supported = pl.concat([supported.lazy(), by_ref.join(ev.in_quotes(by_ref), on=["__nid", "__q"], how="semi").select("__rid", "__q")])
    failing = cites.join(supported, on=["__rid", "__q"], how="anti").select("__row").unique().sort("__row").collect(engine=ENGINE)
    if failing.height == 0:
        return []
    failing = failing.join(frames[CITATIONS].with_row_index("__row").select(pl.col("__row").cast(ID), "citation_id"), on="__row")
    return listed(CITATIONS, "quote-supports-row", "quote", failing,
                  "{value!r}: the quote contains no name, date or number its record states; quote the sentence that states it")


@rule("alias-not-in-source", "provenance")
def alias_not_in_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each alternative name occurs, as whole words, in the archived source it is recorded from."""
    parts = {}
    for table in package.tables.values():
        if table.aliases and table.name in frames:
            alias, source = table.aliases["alias"], table.aliases["source"]
            parts[(table.name, alias)] = (frames[table.name].with_row_index("__row")
                                          .select("__row", pl.col(alias).cast(pl.String).alias("__v"), pl.col(source).cast(pl.String).alias("source_id"))
                                          .drop_nulls("__v").join(quotes.digests, on="source_id"))
    # the words of only the texts an alias is recorded from, each once; each distinct alias folded once
    needed = pl.concat([rows.select("digest") for rows in parts.values()]) if parts else pl.DataFrame(schema={"digest": pl.String})
    words = quotes.texts.join(needed.unique(), on="digest", how="semi").select("digest", words=as_words(pl.col("text").str.to_lowercase()))
    found: list[Finding] = []
    for (name, alias), rows in parts.items():
        said = rows.select("__v").unique().with_columns(__phrase=phrase(pl.col("__v")))
        failing = (rows.join(said, on="__v").join(words, on="digest").filter(~pl.col("words").str.contains(pl.col("__phrase"), literal=True))
                   .select("__row", "__v").sort("__row"))
        found += listed(name, "alias-not-in-source", alias, failing, "{value!r} does not occur, as whole words, in its source")
    return found


@rule("alias-not-stated", "provenance")
def alias_not_stated(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Each alias is stated for its record: one quote of the alias's source has both the alias and one of the record's
    own names (its `x-names`: name, acronym, local or former name), as whole words; or the alias row's note explains
    the record's column (`agency_id: ...`) in a clause that names both. An alias moved to another record therefore
    fails, as a swapped relation does."""
    ev = quotes.evidence
    named_tables = ev.named_tables()
    own = ev.named.lazy().filter(pl.col("__sid").is_null()).select(pl.col("__rid").alias("__trid"), pl.col("__nid").alias("__onid"))
    source_quotes = ev.sids(quotes.cites.lazy().select("source_id", pl.col("__q").cast(ID)).unique()).select("__sid", "__q")
    alias_ids = ev.names.lazy().select(pl.col("__name").alias("__alias"), pl.col("__nid").alias("__anid"))
    parts, order = [], []
    for table in package.tables.values():
        if not table.aliases or table.name not in frames:
            continue
        frame = frames[table.name]
        alias, source = table.aliases["alias"], table.aliases["source"]
        note = note_text(frame.columns)
        columns = [f.name for f in table.fields]
        for fk in table.foreign_keys:
            if len(fk.fields) != 1 or fk.resource not in named_tables or fk.fields[0] == source:
                continue
            column = fk.fields[0]
            order.append((table.name, column, fk.resource))
            parts.append(frame.lazy().with_row_index("__row").filter(pl.col(column).is_not_null() & pl.col(alias).is_not_null())
                         .select(pl.lit(table.name).alias("__table"), pl.lit(column).alias("__column"), pl.lit(fk.resource).alias("__tres"), "__row",
                                 pl.col(column).cast(pl.String).alias("__key"), pl.col(alias).cast(pl.String).alias("__alias"),
                                 pl.col(source).cast(pl.String).alias("source_id"), clause_of(note, column, columns).alias("__clause")))
    if not parts:
        return []
    # every alias of every table and link at once; a dangling key is foreign-key's
    rows = ev.sids(ev.rids(pl.concat(parts), pl.col("__tres"), "__key", "__trid")).join(alias_ids, on="__alias").with_row_index("__link")
    rows = rows.collect(engine=ENGINE).lazy()  # read by every query below: computed once
    # the quotes of the alias's source that have the alias; then the record's own names in those
    having = rows.select("__anid", "__sid").unique().join(source_quotes, on="__sid").collect(engine=ENGINE).lazy()
    having = having.join(ev.in_quotes(having.rename({"__anid": "__nid"})).rename({"__nid": "__anid"}), on=["__anid", "__q"], how="semi")
    candidates = rows.select("__trid", "__anid", "__sid").unique().join(having, on=["__anid", "__sid"]).join(own, on="__trid").collect(engine=ENGINE).lazy()
    present = ev.in_quotes(candidates.select(pl.col("__onid").alias("__nid"), "__q")).rename({"__nid": "__onid"})
    stated = candidates.join(present, on=["__onid", "__q"], how="semi").select("__trid", "__anid", "__sid").unique()
    failing = rows.join(stated, on=["__trid", "__anid", "__sid"], how="anti")
    explained = ev.in_text(failing.select("__link", "__trid", "__anid", "__clause").join(own, on="__trid"), "__clause", "__onid", "__anid")
    by_place = (failing.join(explained.select("__link").unique(), on="__link", how="anti").collect(engine=ENGINE)
                .partition_by("__table", "__column", as_dict=True))
    found: list[Finding] = []
    for name, column, resource in order:
        if (bad := by_place.get((name, column))) is None:
            continue
        found += listed(name, "alias-not-stated", column, bad.select("__row", "__key", "__alias").sort("__row"),
                        f"{{value!r}}: no quote of the alias's source has both {{__alias!r}} and a name of this {resource} record, "
                        f"and no '{column}:' clause of the note names both",
                        hint=f"cite a quote of the alias's source that names both, or name both in the note's '{column}:' clause")
    return found


def stating_sources(quotes: Quotes, cited_as: str, key: str, column: str) -> pl.LazyFrame:
    """(key, source_id, published_date) of the sources that state a record's `column`: those whose citations claim a value
    for it where the record has such claims (an earlier page citing the record may have announced it as planned), else
    every source citing the record. Records with no citation have no row. A query: its callers run theirs at once."""
    cites = quotes.cites.lazy().filter(pl.col(cited_as).is_not_null()).select(pl.col(cited_as).alias(key), "source_id", "published_date", CLAIM_COLUMN)
    claimed = cites.filter(pl.col(CLAIM_COLUMN) == column)
    return pl.concat([claimed, cites.join(claimed.select(key).unique(), on=key, how="anti")]).select(key, "source_id", "published_date").unique()


@rule("not-after-source", "provenance")
def not_after_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """A date a source reports as past (`field`, optionally only `when` other columns have given values) is not after
    the date of a source that reports it: the sources that claim a value for the column where there are such claims
    (an earlier page citing the record may have announced it as planned), else every source citing the record."""
    checks, queries = [], []
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
            rows = (frame.lazy().with_row_index("__row").filter(when & well_formed.fill_null(False))
                    .select("__row", key, pl.col(column).cast(pl.String)))
            value, reported = precision_prefix(pl.col(column), pl.col("published_date"))
            checks.append((name, column))
            queries.append(rows.join(dates, on=key, how="inner").filter(value > reported)
                           .group_by("__row").agg(pl.col(column).first()).sort("__row").select("__row", column))
    found: list[Finding] = []
    for (name, column), late in zip(checks, collect_all(queries), strict=True):  # every table's check in one call
        found += listed(name, "not-after-source", column, late, "{value!r} is after the date of a source that reports it as past")
    return found


# `STATUS_AS_OF` is the date at which a record's `STATUS` was true, as dated by a source that states it.
STATUS, STATUS_AS_OF = "status", "status_as_of"


@rule("status-dated-by-source", "provenance")
def status_dated_by_source(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """`status_as_of`, in every table that has it, is the date of a source that states the status, never the day a page
    was consulted: not after the latest `published_date` of the sources that state it (those whose citations claim
    `status` for the record, else every source citing the record), compared at their shared precision; and empty where
    none of those sources is dated (the row gives bounds instead)."""
    names, queries = [], []
    direct = package.cited_tables()
    for name, frame in frames.items():
        if name not in direct or STATUS_AS_OF not in frame.columns:
            continue
        key = package.tables[name].primary_key[0]
        latest = stating_sources(quotes, direct[name], key, STATUS).group_by(key).agg(pl.col("published_date").max())  # null: none is dated
        rows = (frame.lazy().with_row_index("__row").select("__row", key, pl.col(STATUS_AS_OF).cast(pl.String))
                .filter(pl.col(STATUS_AS_OF).str.contains(WELL_FORMED_DATE).fill_null(False)))
        value, stated = precision_prefix(pl.col(STATUS_AS_OF), pl.col("published_date"))
        names.append(name)
        queries.append(rows.join(latest, on=key, how="inner").filter(pl.col("published_date").is_null() | (value > stated)).sort("__row")
                       .select("__row", STATUS_AS_OF, why=pl.when(pl.col("published_date").is_null())
                               .then(pl.lit("is given, but no source stating the status is dated"))  # each under 80 characters: listed shortens
                               .otherwise(pl.concat_str([pl.lit("is after "), pl.col("published_date"), pl.lit(", the date of the newest source stating the status")]))))
    found: list[Finding] = []
    for name, bad in zip(names, collect_all(queries), strict=True):  # every table's check in one call
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

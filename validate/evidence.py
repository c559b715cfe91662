"""The evidence the provenance and claim rules share, on integer keys, built once per run.

Five rules ask the same question in different shapes: does a quote name a record? (relation-not-in-quote: the record a
link points to, in the quotes of the row's record; quote-supports-row: any record a citation's record states;
alias-not-stated: an alias and a name of its record, in quotes of the alias's source; claim-in-quote: the record a
claimed reference names; fact-not-in-quote numbers its records the same way.) They shared the names (quotes.names_of) but each joined them on text keys and folded every
candidate name again, row by row. Here every record is a number (`__rid`), every distinct name or alias is a number
(`__nid`) folded into words once, every source a number (`__sid`), and whether a name occurs in a quote is answered
once per (name, quote) pair for the whole run (`Evidence.in_quotes`), whichever rule asks first.

Not a rule module: quotes.prepare builds it; provenance.py and claims.py read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from .lazy import ENGINE, collect_all
from .model import Package
from .text import phrase

Frames = dict[str, pl.DataFrame]
ID = pl.UInt32
GENERIC = frozenset(["the", "a", "an", "of", "and", "on", "in", "for", "to", "at", "by", "with", "its", "their", "this", "that",
                     "agency", "agencies", "committee", "commission", "council", "organization", "organisation", "office", "ministry",
                     "government", "side", "parties", "party", "event", "conference", "meeting", "forum", "program", "programme",
                     "project", "centre", "center", "country", "countries", "state", "states"])


def meaningful(value: str) -> bool:
    """A text value is evidence only if it has a word beyond articles, prepositions and generic nouns ('the Agency')."""
    return any(w not in GENERIC for w in value.lower().replace("-", " ").split())


@dataclass
class Evidence:
    records: pl.DataFrame  # __rid, __res (table), __key: every record of a table with names or cited directly
    names: pl.DataFrame  # __nid, __name, __phrase, __meaningful: every distinct name, acronym and alias
    named: pl.DataFrame  # __rid, __nid, __sid (null: the record's own name): what each record is named, by source
    sources: pl.DataFrame  # __sid, source_id
    cites: pl.DataFrame  # __row, __rid, __sid, __q, __claim: each citation once for each record it cites
    words: pl.DataFrame  # __q, words: each distinct quote's words
    present: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"__nid": ID, "__q": ID}))
    tested: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"__nid": ID, "__q": ID}))

    def rids(self, frame: pl.DataFrame | pl.LazyFrame, res: str | pl.Expr, key: str, alias: str = "__rid", keep: bool = False) -> pl.LazyFrame:
        """`frame` with the record ID of (res, frame[key]) as `alias`, as a query; rows whose key names no record are
        dropped (a dangling key is foreign-key's finding), or kept with a null ID where `keep`."""
        res_expr = pl.lit(res) if isinstance(res, str) else res
        tagged = frame.lazy().with_columns(__res_=res_expr, __key_=pl.col(key).cast(pl.String))
        return (tagged.join(self.records.lazy().rename({"__rid": alias, "__res": "__res_", "__key": "__key_"}), on=["__res_", "__key_"],
                            how="left" if keep else "inner", maintain_order="left" if keep else "none").drop("__res_", "__key_"))

    def named_tables(self) -> set[str]:
        """The tables whose records have names (x-names) or aliases: the tables a link can be proved to by name."""
        return set(self.records.join(self.named.select("__rid").unique(), on="__rid", how="semi").get_column("__res").unique())

    def sids(self, frame: pl.DataFrame | pl.LazyFrame, column: str = "source_id") -> pl.LazyFrame:
        """`frame` with `__sid` for its source ID column (null where no such source), as a query."""
        return frame.lazy().join(self.sources.lazy(), left_on=column, right_on="source_id", how="left", coalesce=True)

    def in_quotes(self, pairs: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
        """(__nid, __q) of `pairs` whose name occurs in the quote as whole words. Each pair is searched once per run: the
        answers of earlier calls are kept and only new pairs are searched (so `pairs` is computed here, and the answer is
        a query of what is known then)."""
        pairs = pairs.lazy().select(pl.col("__nid").cast(ID), pl.col("__q").cast(ID)).unique().collect(engine=ENGINE)
        new = pairs.join(self.tested, on=["__nid", "__q"], how="anti")
        if new.height:
            hits = (new.lazy().join(self.names.lazy().select("__nid", "__phrase"), on="__nid").join(self.words.lazy(), on="__q")
                    .filter(pl.col("words").str.contains(pl.col("__phrase"), literal=True)).select("__nid", "__q").collect(engine=ENGINE))
            self.tested = pl.concat([self.tested, new])
            self.present = pl.concat([self.present, hits])
        return self.present.lazy().join(pairs.lazy(), on=["__nid", "__q"], how="semi")

    def in_text(self, rows: pl.DataFrame | pl.LazyFrame, text: str, *names: str) -> pl.LazyFrame:
        """The rows whose `text` column holds, as whole words, the name of each `names` column (name IDs), as a query."""
        rows = rows.lazy().filter(pl.col(text).str.len_chars() > 0)
        said = rows.join(rows.select(text).unique().with_columns(__said=phrase(pl.col(text))), on=text)  # each distinct text folded once
        hit = pl.lit(True)
        for i, column in enumerate(names):
            said = said.join(self.names.lazy().select(pl.col("__nid").alias(column), pl.col("__phrase").alias(f"__p{i}")), on=column)
            hit = hit & pl.col("__said").str.contains(pl.col(f"__p{i}"), literal=True)
        return said.filter(hit.fill_null(False)).drop("__said", *[f"__p{i}" for i in range(len(names))])


def build(package: Package, frames: Frames, names: dict[str, pl.DataFrame], cites: pl.DataFrame, distinct: pl.DataFrame) -> Evidence:
    """The run's evidence, from quotes.names_of's (__key, __name, __source) by table, Quotes.cites and Quotes.distinct."""
    direct = package.cited_tables()
    keyed: dict[str, pl.LazyFrame] = {}
    for res in {*names, *direct}:
        table = package.tables.get(res)
        if res in names:
            keyed[res] = names[res].lazy().select("__key")
        elif table is not None and res in frames and len(table.primary_key) == 1:
            keyed[res] = frames[res].lazy().select(pl.col(table.primary_key[0]).cast(pl.String).alias("__key"))
    empty_records = pl.LazyFrame(schema={"__res": pl.String, "__key": pl.String})
    records = (pl.concat([k.select(pl.lit(res).alias("__res"), "__key") for res, k in sorted(keyed.items())]) if keyed else empty_records)
    source_ids = pl.concat([cites.lazy().select("source_id"), *[df.lazy().select(pl.col("__source").alias("source_id")) for df in names.values()]])
    all_names = pl.concat([df.lazy().select("__name") for df in names.values()]) if names else pl.LazyFrame(schema={"__name": pl.String})
    # each numbered in the order it is first met, the three in one call
    records, sources, distinct_names = collect_all([
        frame.drop_nulls().unique(maintain_order=True).with_row_index(index).with_columns(pl.col(index).cast(ID))
        for frame, index in ((records, "__rid"), (source_ids, "__sid"), (all_names, "__nid"))])
    useful = [n for n in distinct_names.get_column("__name").to_list() if meaningful(n)]
    name_table = distinct_names.with_columns(__phrase=phrase(pl.col("__name")), __meaningful=pl.col("__name").is_in(useful))
    ev = Evidence(records, name_table, pl.DataFrame(), sources, pl.DataFrame(),
                  distinct.select(pl.col("__q").cast(ID), "words"))
    # every table's names, then every citation's records, numbered in one join each, both in one call
    named = (ev.sids(ev.rids(pl.concat([df.select(pl.lit(res).alias("__res"), "__key", "__name", "__source") for res, df in names.items()]),
                             pl.col("__res"), "__key"), "__source").join(distinct_names.lazy(), on="__name").select("__rid", "__nid", "__sid").unique()
             if names else pl.LazyFrame(schema={"__rid": ID, "__nid": ID, "__sid": ID}))
    long = [cites.lazy().select(pl.lit(res).alias("__res"), "__row", pl.col(column).cast(pl.String).alias("__key"), "source_id", "__q",
                                __claim=pl.col("claim_column").is_not_null()).drop_nulls("__key")
            for res, column in direct.items() if column in cites.columns]
    cited = (ev.sids(ev.rids(pl.concat(long), pl.col("__res"), "__key")).select(pl.col("__row").cast(ID), "__rid", "__sid", pl.col("__q").cast(ID), "__claim")
             if long else pl.LazyFrame(schema={"__row": ID, "__rid": ID, "__sid": ID, "__q": ID, "__claim": pl.Boolean}))
    ev.named, ev.cites = collect_all([named, cited])
    return ev

"""The citations as the provenance and claim rules read them: each distinct quote prepared once, and the names of records.

Not a rule module: provenance.py and claims.py both read what is built here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from .evidence import Evidence, build
from .model import CITATIONS, SOURCES, Package, Table
from .text import fold_expr, phrase, text_in_words, with_words
from .types import parse

CLAUSE_STARTS = (". ", "; ")  # a note clause 'column: ...' opens the note or follows one of these (text.explained)
CUT = "\x00"  # where clause_of cuts a note into clauses: a control character, which no cell may hold (cell hygiene)

Frames = dict[str, pl.DataFrame]
# A citation with these filled states one value of one column of its record (a "claim"); see claims.py.
CLAIM_COLUMN, CLAIM_VALUE = "claim_column", "claim_value"


@dataclass
class Quotes:
    """The citations, each quote prepared once."""

    distinct: pl.DataFrame  # __q, quote, folded, words, numbers, dates: one row per distinct quote
    cites: pl.DataFrame  # one row per citation: __row, its record keys, source_id, __q, published_date, claim_column, claim_value
    digests: pl.DataFrame  # source_id, digest: for the sources that could be read (identical files share a digest)
    texts: pl.DataFrame  # digest, text: each distinct archived file's folded text
    evidence: Evidence  # the records, their names and their citations on integer keys (evidence.py)
    derived: dict[str, pl.DataFrame] = field(default_factory=dict)  # frames several rules read, made by the first that asks


def prepare(package: Package, frames: Frames, digests: pl.DataFrame, texts: pl.DataFrame) -> Quotes:
    citations, sources = frames[CITATIONS], frames[SOURCES]
    keys = list(package.cited_tables().values())
    distinct = citations.select("quote").unique().with_row_index("__q")
    lowered = fold_expr(pl.col("quote"))
    distinct = with_words(distinct.with_columns(folded=lowered), pl.col("folded").str.to_lowercase())
    claims = [pl.col(c).cast(pl.String) if c in citations.columns else pl.lit(None, dtype=pl.String).alias(c) for c in (CLAIM_COLUMN, CLAIM_VALUE)]
    published = pl.col("published_date").cast(pl.String) if "published_date" in sources.columns else pl.lit(None, dtype=pl.String).alias("published_date")
    cites = (citations.with_row_index("__row").select("__row", *keys, "source_id", "quote", *claims)
             .join(distinct.select("quote", "__q"), on="quote", how="left").drop("quote")
             .join(sources.select("source_id", published), on="source_id", how="left"))
    return Quotes(distinct, cites, digests, texts, build(package, frames, names_of(package, frames), cites, distinct))


# names_of for the run in progress: five rules of three modules read it. Kept beside the package and frames it was made
# from (strong references, compared by identity), so it is never answered for another run's frames.
_names: list[tuple[Package, Frames, dict[str, pl.DataFrame]]] = []


def names_of(package: Package, frames: Frames) -> dict[str, pl.DataFrame]:
    """For each table with x-names: one row per (record key, name, source of the name or null), its x-names values and
    its aliases. An alias counts only in quotes of the source it was found in. Made once per run (package, frames)."""
    if _names and _names[0][0] is package and _names[0][1] is frames:
        return _names[0][2]
    out = names_made(package, frames)
    _names[:] = [(package, frames, out)]
    return out


def forget_names() -> None:
    """Let go of the run's names (and through them its frames) once its rules have run."""
    _names.clear()


def names_made(package: Package, frames: Frames) -> dict[str, pl.DataFrame]:
    out: dict[str, pl.DataFrame] = {}
    alias_tables = [t for t in package.tables.values() if t.aliases and t.name in frames]
    for table in package.tables.values():
        if not table.names or table.name not in frames or len(table.primary_key) != 1:
            continue
        pk = table.primary_key[0]
        own = [frames[table.name].select(pl.col(pk).cast(pl.String).alias("__key"), pl.col(n).cast(pl.String).alias("__name"),
                                         pl.lit(None, dtype=pl.String).alias("__source")) for n in table.names]
        for aliases in alias_tables:
            for fk in aliases.foreign_keys:
                if fk.resource == table.name and len(fk.fields) == 1:
                    own.append(frames[aliases.name].select(pl.col(fk.fields[0]).cast(pl.String).alias("__key"),
                                                           pl.col(aliases.aliases["alias"]).cast(pl.String).alias("__name"),
                                                           pl.col(aliases.aliases["source"]).cast(pl.String).alias("__source")))
        out[table.name] = pl.concat(own).drop_nulls(["__key", "__name"]).unique()
    return out


def typed_claim(table: Table, columns: list[str]) -> pl.Expr:
    """A claimed value (__v) parsed as the type of its column (__column, one of `columns`) and written back as text, so
    that it compares with the row's value cast the same way; a value of any other column is kept as written."""
    typed = pl.col("__v")
    for c in columns:
        typed = pl.when(pl.col("__column") == c).then(parse({**table.field(c).raw, "name": "__v"}).cast(pl.String)).otherwise(typed)
    return typed


def clause_of(note: pl.Expr, column: str, columns: list[str]) -> pl.Expr:
    """The text of the note's clauses that explain `column` ('column: ...' at the note's start or after '. ' or '; '),
    each up to the next clause of any of `columns`; empty where the note has none. Literal search only: the note is cut
    before every clause of `columns` (by one replace_many) and the clauses of `column` are kept."""
    heads = [f"{sep}{c}:" for c in columns for sep in CLAUSE_STARTS]
    cut = pl.concat_str([pl.lit(CUT), note.str.replace_many(heads, [f"{h[0]}{CUT}{h[2:]}" for h in heads])])
    head = f"{column}:"
    return cut.str.split(CUT).list.eval(pl.element().filter(pl.element().str.starts_with(head))).list.eval(pl.element().str.slice(len(head))).list.join(" ")


def named_in(rows: pl.LazyFrame, text: str, names: pl.LazyFrame, *also: str) -> pl.LazyFrame:
    """(__row), as a query, of the rows whose `text` column names their record (__key) by one of `names`, as whole words,
    and has each column of `also` (such as the alias) as whole words too."""
    said = rows.filter(pl.col(text).str.len_chars() > 0).select("__row", "__key", *also, words=phrase(pl.col(text)))
    hit = text_in_words(pl.col("__name"))
    for column in also:
        hit = hit & text_in_words(pl.col(column))
    return said.join(names, on="__key").filter(hit.fill_null(False)).select("__row").unique()

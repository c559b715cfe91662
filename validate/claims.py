"""Value-level claims, and disagreements kept side by side.

A citation with `claim_column` and `claim_value` filled says: "this quote states `claim_value` for `claim_column` of
the cited record". Where sources disagree (a launch date in UTC and in local time, two founding years), each value has
its own claim, the row holds the value the package prefers, and the row's note says why (`column: ...`). Nothing is
collapsed: every claimed value stays in citations, and `python -m validate.coverage` lists each disagreement.
"""

from __future__ import annotations

import polars as pl

from .boundary import PACKAGE, run_registered
from .evidence import ID
from .findings import Finding, listed
from .lazy import ENGINE, collect_all
from .model import CITATIONS, Field, Package, Table, is_date
from .quotes import CLAIM_COLUMN, CLAIM_VALUE, Frames, Quotes, clause_of, typed_claim
from .registry import rule
from .text import explained, fold_expr, note_text, precision_prefix, value_in_words, with_words
from .types import parse

UNCLAIMABLE = {"note"}  # a note explains a row; it is never a claimed value


def claims_of(package: Package, frames: Frames, quotes: Quotes) -> pl.DataFrame:
    """One row per claim: __row (in citations), __table, __key (the cited record), __column, __v, __q; made once a run."""
    if "claims" not in quotes.derived:
        quotes.derived["claims"] = claims_made(package, frames, quotes)
    return quotes.derived["claims"]


def claims_made(package: Package, frames: Frames, quotes: Quotes) -> pl.DataFrame:
    parts = []
    for table, cited_as in package.cited_tables().items():
        if table in frames:
            parts.append(quotes.cites.lazy().filter(pl.col(cited_as).is_not_null() & pl.col(CLAIM_COLUMN).is_not_null())
                         .select("__row", pl.lit(table).alias("__table"), pl.col(cited_as).cast(pl.String).alias("__key"),
                                 pl.col(CLAIM_COLUMN).alias("__column"), pl.col(CLAIM_VALUE).alias("__v"), "__q"))
    schema = {"__row": pl.UInt32, "__table": pl.String, "__key": pl.String, "__column": pl.String, "__v": pl.String, "__q": pl.UInt32}
    return pl.concat(parts).drop_nulls("__v").collect(engine=ENGINE) if parts else pl.DataFrame(schema=schema)


def claimable(table: Table) -> dict[str, dict]:
    """The columns of a table a citation may claim a value for: all but its key and its note."""
    return {f.name: f.raw for f in table.fields if f.name not in table.primary_key and f.name not in UNCLAIMABLE}


def value_ok(field: dict) -> pl.Expr:
    """__v is a valid value of the field: it parses as its type and meets its pattern and enum."""
    value = parse({**field, "name": "__v"})
    ok = value.is_not_null()
    constraints = field.get("constraints", {})
    if "pattern" in constraints:
        ok = ok & pl.col("__v").str.contains(f"^(?:{constraints['pattern']})$")
    if "enum" in constraints:
        ok = ok & pl.col("__v").is_in([str(v) for v in constraints["enum"]])
    return ok


@rule("claim-column", "claims")
def claim_column(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """A citation's `claim_column` names a column of its cited record's table (not its key or note), and its
    `claim_value` is a valid value of that column (its type, pattern and enum) and, for a foreign key, the key of a
    record that exists: a disagreement about a link is between two records of the package."""
    claims = claims_of(package, frames, quotes)
    bad_rows: list[pl.LazyFrame] = []  # one query for every table and column, run at once
    for table, group in claims.partition_by("__table", as_dict=True).items():
        fields = claimable(package.tables[table[0]])
        claimed = group.lazy()
        for fk in package.tables[table[0]].foreign_keys:
            if len(fk.fields) == 1 and fk.fields[0] in fields and fk.resource in frames:
                keys = frames[fk.resource].lazy().select(pl.col(fk.reference[0]).cast(pl.String).alias("__v"))
                bad_rows.append(claimed.filter(pl.col("__column") == fk.fields[0]).join(keys, on="__v", how="anti")
                                .select("__row", pl.format("{}: no {} record has this {}", "__v", pl.lit(fk.resource), pl.lit(fk.reference[0]))))
        bad_rows.append(claimed.filter(~pl.col("__column").is_in(list(fields)))
                        .select("__row", pl.format("{}: no claimable column {} in {}", "__v", "__column", "__table")))
        for column in group.get_column("__column").unique().to_list():  # only the columns some citation claims
            if column in fields:
                rows = claimed.filter(pl.col("__column") == column)
                bad_rows.append(rows.filter(~value_ok(fields[column]).fill_null(False)).select("__row", pl.format("{}: not a valid {}", "__v", "__column")))
    if not bad_rows:
        return []
    failing = pl.concat(bad_rows).sort("__row").collect(engine=ENGINE)
    return listed(CITATIONS, "claim-column", CLAIM_VALUE, failing, "{value}")


@rule("claim-in-quote", "claims")
def claim_in_quote(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """A claimed value is in its own quote: a date at its precision, a number, a text as whole words, a reference by
    a name or alias of the record it refers to; or the citation's note explains how it follows (`claim_value: ...`,
    for instance a UTC date worked out from a local time)."""
    claims = claims_of(package, frames, quotes)
    if claims.height == 0:
        return []
    notes = frames[CITATIONS].lazy().with_row_index("__row").select("__row", note_text(frames[CITATIONS].columns).alias("note"))
    tables = claims.get_column("__table").unique().to_list()
    claims = claims.lazy().join(notes, on="__row").filter(~explained(pl.col("note"), CLAIM_VALUE))
    ev = quotes.evidence
    named_tables = ev.named_tables()
    kinds, refs = [], []
    for name in tables:
        table = package.tables[name]
        fks = {fk.fields[0]: fk.resource for fk in table.foreign_keys if len(fk.fields) == 1 and fk.resource in named_tables}
        for f in table.fields:
            kind = "ref" if f.name in fks else kind_of(f)
            kinds.append((name, f.name, kind))
            if f.name in fks:
                refs.append((name, f.name, fks[f.name]))
    kind = pl.LazyFrame(kinds, schema={"__table": pl.String, "__column": pl.String, "__kind": pl.String}, orient="row")
    claims = claims.join(kind, on=["__table", "__column"], how="left").join(quotes.distinct.lazy().select("__q", "words", "numbers", "dates"), on="__q")
    direct = claims.filter(pl.col("__kind") != "ref")
    failing = [direct.filter(~value_in_words("__kind", "__v").fill_null(False)).select("__row", "__v")]
    if refs:
        # a reference is named in its quote by any name or alias of the record it refers to
        resources = pl.LazyFrame(refs, schema={"__table": pl.String, "__column": pl.String, "__res": pl.String}, orient="row")
        by_ref = claims.filter(pl.col("__kind") == "ref").join(resources, on=["__table", "__column"]).select("__row", "__v", "__res", pl.col("__q").cast(ID))
        pairs = (ev.rids(by_ref, pl.col("__res"), "__v", "__trid").join(ev.named.lazy().select(pl.col("__rid").alias("__trid"), "__nid"), on="__trid")
                 .collect(engine=ENGINE).lazy())
        named = pairs.join(ev.in_quotes(pairs), on=["__nid", "__q"], how="semi").select("__row").unique()
        failing.append(by_ref.join(named, on="__row", how="anti").select("__row", "__v").unique())
    bad = pl.concat(failing).sort("__row").collect(engine=ENGINE)
    return listed(CITATIONS, "claim-in-quote", CLAIM_VALUE, bad,
                  "{value!r} is not in the citation's quote, and its note has no 'claim_value:' explanation")


REJECTS = "preferred to"  # what a note clause writes before the values it rejects (docs/conventions.md, "Disagreements")


def kind_of(field: Field) -> str:
    """How a value is found in words: as its `x-quoted` kind says, else a date at its precision, a number in any written
    form, or a text."""
    if field.quoted:
        return field.quoted.kind
    if is_date(field.raw):
        return "date"
    return "number" if field.type in ("integer", "number") else "text"


def clauses(table: Table, frame: pl.DataFrame | pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """One row per (row of `frame`, column of `columns`), as a query: __row (the frame's own `__row`), __column,
    __value (as text), __clause (the note's clause for the column, empty where it has none), __explained (it has one),
    __kind (kind_of) and __link (the column is a foreign key)."""
    names = table.field_names
    note = note_text(names)
    links = {fk.fields[0] for fk in table.foreign_keys if len(fk.fields) == 1}
    cells = [pl.struct(pl.col(c).cast(pl.String).alias("__value"), clause_of(note, c, names).alias("__clause"),
                       explained(note, c).alias("__explained")).alias(c) for c in columns]
    kinds = pl.LazyFrame({"__column": columns, "__kind": [kind_of(table.field(c)) for c in columns], "__link": [c in links for c in columns]},
                         schema={"__column": pl.String, "__kind": pl.String, "__link": pl.Boolean})
    return (frame.lazy().select("__row", *cells).unpivot(index="__row", on=columns, variable_name="__column", value_name="__s").unnest("__s")
            .join(kinds, on="__column"))


def claimed_rows(package: Package, frames: Frames, quotes: Quotes) -> pl.DataFrame:
    """One row per (record, column) that citations claim values for, every table at once: __table, __row, __column,
    __value, __clause, __explained, __kind, __link (as `clauses` gives them) and __values (the distinct claimed values,
    parsed as the column's type then as text, sorted). A few queries per table, never one per column; made once a run."""
    if "claimed_rows" not in quotes.derived:
        quotes.derived["claimed_rows"] = claimed_rows_made(package, frames, quotes)
    return quotes.derived["claimed_rows"]


def claimed_rows_made(package: Package, frames: Frames, quotes: Quotes) -> pl.DataFrame:
    claims = claims_of(package, frames, quotes)
    parts = []
    for (name,), group in sorted(claims.partition_by("__table", as_dict=True).items()):
        table, frame = package.tables[name], frames[name]
        key = table.primary_key[0]
        columns = sorted(set(group.get_column("__column").to_list()) & set(claimable(table)))
        if not columns:
            continue
        claimed = (group.lazy().filter(pl.col("__column").is_in(columns)).select("__key", "__column", typed_claim(table, columns).alias("__v"))
                   .drop_nulls().unique().group_by("__key", "__column").agg(pl.col("__v").sort().alias("__values")))
        rows = (frame.lazy().with_row_index("__row").with_columns(pl.col(key).cast(pl.String).alias("__key"))
                .join(claimed.select("__key").unique(), on="__key", how="semi"))
        parts.append(clauses(table, rows, columns).join(rows.select("__row", "__key"), on="__row").join(claimed, on=["__key", "__column"])
                     .select(pl.lit(name).alias("__table"), pl.exclude("__key")))
    return pl.concat(collect_all(parts)) if parts else pl.DataFrame()


def by_column(rule_id: str, failing: pl.DataFrame, message: str, **kwargs: str) -> list[Finding]:
    """listed() for each (table, column) of `failing` (__table, __column, __row, value), its message and hint formatted with
    the column's name (`{column}`)."""
    found: list[Finding] = []
    for (name, column), rows in sorted(failing.partition_by("__table", "__column", as_dict=True).items()):
        found += listed(name, rule_id, column, rows.drop("__table", "__column").sort("__row"), message.replace("{column}", column),
                        **{k: v.replace("{column}", column) for k, v in kwargs.items()})
    return found


@rule("preferred-value", "claims")
def preferred_value(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Where citations claim values for a column of a record, the row holds one of them (the preferred value), and where
    they disagree the row's note says which is preferred and why (`column: ...`). No disagreement is collapsed silently."""
    rows = claimed_rows(package, frames, quotes)
    if rows.height == 0:
        return []
    claimed = pl.format("{} (claimed: {})", pl.col("__value").fill_null("empty"), pl.col("__values").list.join(", "))
    missing = rows.filter(pl.col("__value").is_null() | ~pl.col("__values").list.contains(pl.col("__value").fill_null("")))
    unexplained = rows.filter((pl.col("__values").list.len() > 1) & ~pl.col("__explained"))
    return (by_column("preferred-value", missing.select("__table", "__column", "__row", claimed), "{value}: the row's value is not one its citations claim")
            + by_column("preferred-value", unexplained.select("__table", "__column", "__row", claimed),
                        "{value}: sources disagree and the note has no '{column}:' clause saying which value is preferred and why"))


def after_rejects(clause: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(before, after): a clause's text, lowercased, cut at its first REJECTS (after is empty where it has none)."""
    parts = clause.str.to_lowercase().str.split_exact(REJECTS, 1)
    return parts.struct.field("field_0"), parts.struct.field("field_1").fill_null("")


@rule("rejected-value-unnamed", "claims")
def rejected_value_unnamed(package: Package, frames: Frames, quotes: Quotes) -> list[Finding]:
    """Where citations disagree about a column that is not a foreign key, the note's clause for it names every claimed
    value the row does not hold after 'preferred to' (docs/conventions.md), so that a reader sees each value set aside
    and value-the-note-rejects can hold the row to its clause. A date claimed at a coarser or finer precision than the
    row's (2007 beside 2007-03-27) is the same date, not a rejected one."""
    rows = claimed_rows(package, frames, quotes)
    if rows.height == 0:
        return []
    # a foreign key's clause names records, not IDs; a row with no clause, or whose value no citation claims, is preferred-value's
    rejected = (rows.lazy().filter(~pl.col("__link") & (pl.col("__values").list.len() > 1) & pl.col("__explained")
                            & pl.col("__values").list.contains(pl.col("__value")))
                .explode("__values").rename({"__values": "__v"}).filter(pl.col("__v") != pl.col("__value")))
    value, other = precision_prefix(pl.col("__value"), pl.col("__v"))
    rejected = (rejected.filter((pl.col("__kind") != "date") | (value != other))  # the same date at another precision
                .with_columns(pl.when(pl.col("__kind") == "number").then(pl.col(c).str.replace(r"\.0$", "")).otherwise(pl.col(c)).alias(c)
                              for c in ("__v", "__value")))  # a whole number read as a float (7.0) is written 7
    named = with_words(rejected.with_columns(__after=after_rejects(pl.col("__clause"))[1]), fold_expr(pl.col("__after"))).filter(
        value_in_words("__kind", "__v").fill_null(False))
    bad = (rejected.join(named.select("__table", "__column", "__row", "__v"), on=["__table", "__column", "__row", "__v"], how="anti")
           .group_by("__table", "__column", "__row", "__value", maintain_order=True).agg(pl.col("__v").sort().str.join(", ")))
    bad = bad.select("__table", "__column", "__row", pl.format("{} (not named: {})", "__value", "__v")).collect(engine=ENGINE)
    return by_column("rejected-value-unnamed", bad,
                     f"{{value}}: the note's '{{column}}:' clause does not name these claimed values after '{REJECTS}'",
                     hint=f"say in the '{{column}}:' clause which value is kept and why, and name each other value after '{REJECTS}'")


@rule("value-the-note-rejects", "claims")
def value_the_note_rejects(package: Package, frames: Frames, quotes: Quotes | None = None) -> list[Finding]:
    """A row never holds the value its own note rejects: where a clause of the note for a column keeps one value and
    names the others after 'preferred to' ('110 kg … is preferred to the 104 kg of the brochure'), the row's value is
    not among those named after it, unless the clause names it before too. A foreign key (a record's ID) is left out:
    its clause names the record, not the ID."""
    tables = [(package.tables[name], frame) for name, frame in frames.items() if "note" in frame.columns]
    rejecting = [frame.lazy().with_row_index("__row").filter(pl.col("note").cast(pl.String).str.to_lowercase().str.contains(REJECTS, literal=True))
                 for _, frame in tables]
    candidates = [[f.name for f in table.fields if f.name not in ("note", *table.primary_key)] for table, _ in tables]
    # which columns some rejecting note has a clause for, every table in one call: only those are unpivoted
    headed = collect_all([rows.select(pl.col("note").cast(pl.String).str.contains(f"{c}:", literal=True).any().alias(c) for c in names)
                          for rows, names in zip(rejecting, candidates, strict=True)])
    parts = []
    for (table, _), rows, names, has in zip(tables, rejecting, candidates, headed, strict=True):
        if columns := [c for c in names if has.get_column(c).item()]:
            parts.append(clauses(table, rows, columns).select(pl.lit(table.name).alias("__table"), pl.all()))
    if not parts:
        return []
    rows = pl.concat(parts).filter(~pl.col("__link") & pl.col("__value").is_not_null()
                                   & pl.col("__clause").str.to_lowercase().str.contains(REJECTS, literal=True))
    before, after = after_rejects(pl.col("__clause"))
    # the value is looked for in both parts of the clause at once, a row for each part: one search, not two
    keys = ["__table", "__column", "__row", "__value", "__kind"]
    halves = pl.concat([rows.select(*keys, __part=before, __keeps=pl.lit(True)), rows.select(*keys, __part=after, __keeps=pl.lit(False))])
    said = with_words(halves, fold_expr(pl.col("__part"))).with_columns(__found=value_in_words("__kind", "__value").fill_null(False))
    bad = (said.group_by(keys).agg(kept=(pl.col("__found") & pl.col("__keeps")).any(), rejected=(pl.col("__found") & ~pl.col("__keeps")).any())
           .filter(pl.col("rejected") & ~pl.col("kept")))
    return by_column("value-the-note-rejects", bad.select("__table", "__column", "__row", "__value").collect(engine=ENGINE),
                     f"{{value!r}} is the value the note's '{{column}}:' clause rejects (after '{REJECTS}')",
                     hint="hold the value the note keeps, or rewrite the clause for the value the row holds")


def check(package: Package, frames: Frames, quotes: Quotes | None) -> list[Finding]:
    if quotes is None or CLAIM_COLUMN not in frames.get(CITATIONS, pl.DataFrame()).columns:
        return []
    return run_registered(__name__, PACKAGE, package=package, frames=frames, quotes=quotes)

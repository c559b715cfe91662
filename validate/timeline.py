"""Time across rows and tables: a treaty's acts in their order, nothing that starts before what it belongs to began,
successions that run forwards, a launch's UTC and local dates, the days sources were consulted, and exact dates
against their bounds.

Every rule here is `fn(package, frames[, today]) -> findings`, stated once over column names and checked on every
table where those columns occur. A partial date (`YYYY`, `YYYY-MM`) stands for its interval: two dates are out of
order only when their intervals cannot be in order, which is comparing them at their shared precision
(`text.precision_prefix`, as the row rule `not-before` does). A malformed date is the pattern rule's and is skipped
here; an impossible one (30 February) is `calendar-date`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from .boundary import PACKAGE, run_registered
from .findings import Finding, listed
from .lazy import collect_all
from .model import Package
from .registry import rule
from .text import WELL_FORMED_DATE, explained, note_text, precision_prefix

Frames = dict[str, pl.DataFrame]


def date_of(column: str) -> pl.Expr:
    """The column's well-formed dates, as strings whatever the field's type (`date`, `year`, a partial-date string); null
    for an empty or malformed cell."""
    value = pl.col(column).cast(pl.String)
    return pl.when(value.str.contains(WELL_FORMED_DATE)).then(value)


def wholly_after(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """True where date a lies wholly after date b (a <= b is impossible, whatever days the partial dates stand for); null
    where either is null."""
    x, y = precision_prefix(a, b)
    return x > y


def interval(date: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The first and last day a partial date (a well-formed string) stands for, as polars dates; null where it is no
    real calendar date."""
    n = date.str.len_chars()
    first = pl.when(n == 4).then(date + "-01-01").when(n == 7).then(date + "-01").otherwise(date).str.to_date("%Y-%m-%d", strict=False)
    last = pl.when(n == 10).then(first).otherwise(first.dt.month_end())
    return first, pl.when(n == 4).then((date + "-12-31").str.to_date("%Y-%m-%d", strict=False)).otherwise(last)


def by_column(table: str, rule_id: str, failing: pl.DataFrame, message: str, hint: str = "") -> list[Finding]:
    """Findings of a frame (__column, __row, value, details ...) that mixes the columns of one table, listed per column."""
    found: list[Finding] = []
    for (column,), rows in sorted(failing.partition_by("__column", as_dict=True).items()):
        found += listed(table, rule_id, column, rows.drop("__column").sort("__row"), message, hint=hint)
    return found


# the acts of a treaty, in the order they can happen: a row's own dates (the treaty's, for all its parties) and the
# acts of one state (a row per act). Ratification and accession are one step: a state does one or the other.
TREATY_ACTS = {"opened_for_signature_date": (0, "the agreement's opening for signature"), "signed_date": (1, "the agreement's signature"),
               "entry_into_force_date": (4, "the agreement's entry into force")}
STATE_ACTS = {"signature": 1, "domestic-approval": 2, "ratification": 3, "accession": 3, "entry-into-force": 4}
STATE_ACT_COLUMNS = ("action", "action_date", "country_id")  # a table of one state's acts, keyed by its treaty's key


def treaty_acts(package: Package, frames: Frames) -> list[pl.DataFrame]:
    """(__key, __state, __stage, __date, __table, __row, __column, __what, __pair) for every dated act. `__state` is null
    for a treaty's own dates; `__pair` names the table's declared `not-before` pairs, which that row rule already checks."""
    acts: list[pl.DataFrame] = []
    keys: dict[str, str] = {}
    for name, frame in frames.items():
        table = package.tables[name]
        columns = [c for c in TREATY_ACTS if c in frame.columns]
        if not columns or len(table.primary_key) != 1:
            continue
        key = keys[name] = table.primary_key[0]
        declared = [f"{r['other']}<{r['field']}" for r in table.rules_of("not-before")]
        base = frame.with_row_index("__row").select("__row", pl.col(key).cast(pl.String).alias("__key"), *[date_of(c).alias(c) for c in columns])
        long = base.unpivot(columns, index=["__row", "__key"], variable_name="__column", value_name="__date").drop_nulls("__date")
        acts.append(long.select(
            "__key", pl.lit(None, dtype=pl.String).alias("__state"),
            pl.col("__column").replace_strict({c: s for c, (s, _) in TREATY_ACTS.items()}, return_dtype=pl.Int8).alias("__stage"),
            "__date", pl.lit(name).alias("__table"), "__row", "__column",
            pl.col("__column").replace_strict({c: w for c, (_, w) in TREATY_ACTS.items()}, return_dtype=pl.String).alias("__what"),
            pl.lit("|".join(declared)).alias("__pair")))
    for name, frame in frames.items():
        if not set(STATE_ACT_COLUMNS) <= set(frame.columns):
            continue
        for fk in package.tables[name].foreign_keys:  # the key of the treaty the acts belong to
            if len(fk.fields) != 1 or keys.get(fk.resource) != fk.reference[0]:
                continue
            what = pl.concat_str([pl.col("country_id").cast(pl.String), pl.lit("'s "), pl.col("action").cast(pl.String).str.replace_all("-", " ")])
            acts.append(frame.with_row_index("__row").select(
                pl.col(fk.fields[0]).cast(pl.String).alias("__key"), pl.col("country_id").cast(pl.String).alias("__state"),
                pl.col("action").cast(pl.String).replace_strict(STATE_ACTS, default=None, return_dtype=pl.Int8).alias("__stage"),
                date_of("action_date").alias("__date"), pl.lit(name).alias("__table"), "__row", pl.lit("action_date").alias("__column"),
                what.alias("__what"), pl.lit("").alias("__pair"),
            ).drop_nulls(["__key", "__state", "__stage", "__date"]))
    return acts


@rule("act-order", "time")
def act_order(package: Package, frames: Frames) -> list[Finding]:
    """A treaty's acts are dated in the order they happen: opened for signature, signed, entry into force, where a row
    gives its treaty's dates (`opened_for_signature_date`, `signed_date`, `entry_into_force_date`); and for each state
    (a row per act: `action`, `action_date`, `country_id`): signature, then domestic approval, then ratification or
    accession, then entry into force, none before the treaty was opened for signature and its entry into force not
    before the treaty's. Partial dates compare by their intervals: only acts that cannot be in order are reported, the
    later act of each pair. A pair a table's `not-before` row rule declares is left to that rule."""
    acts = treaty_acts(package, frames)
    if not acts:
        return []
    every = pl.concat(acts)
    general = pl.col("__state").is_null()
    pairs = every.join(every, on="__key", suffix="_b")
    same_row = general & pl.col("__state_b").is_null() & (pl.col("__table") == pl.col("__table_b")) & (pl.col("__row") == pl.col("__row_b"))
    undeclared = ~pl.col("__pair").str.contains(pl.concat_str([pl.col("__column"), pl.lit("<"), pl.col("__column_b")]), literal=True)
    ordered = ((same_row & undeclared & (pl.col("__stage") < pl.col("__stage_b")))
               | ((pl.col("__state") == pl.col("__state_b")) & (pl.col("__stage") < pl.col("__stage_b")))  # one state's acts
               | (general & (pl.col("__stage") == 0) & pl.col("__state_b").is_not_null())  # opened before any state acts
               | (general & (pl.col("__stage") == 4) & (pl.col("__stage_b") == 4) & pl.col("__state_b").is_not_null()))
    late = pairs.filter(ordered & wholly_after(pl.col("__date"), pl.col("__date_b")).fill_null(False))
    found: list[Finding] = []
    for (name,), rows in sorted(late.partition_by("__table_b", as_dict=True).items()):
        first = (rows.sort("__date", descending=True).group_by("__row_b", "__column_b", maintain_order=True)
                 .agg(pl.col("__date_b", "__what_b", "__what", "__date").first()))  # the latest act it comes before, once per cell
        failing = first.select(pl.col("__column_b").alias("__column"), pl.col("__row_b").alias("__row"), pl.col("__date_b").alias("value"),
                               pl.col("__what_b").alias("what"), pl.col("__what").alias("earlier"), pl.col("__date").alias("date"))
        found += by_column(name, "act-order", failing, "{value!r} ({what}) is before {earlier}, {date}: the acts cannot be in this order",
                           hint="check both dates against their sources; a partial date is only reported where no day of it fits")
    return found


@dataclass(frozen=True)
class Beginning:
    """A record (`table`, starting on the first filled of `starts`) belongs to one reached through the foreign keys `via`,
    which began on `began`: it cannot start before that."""
    table: str
    starts: tuple[str, ...]
    via: tuple[str, ...]
    began: str
    what: str


# A start column that is empty may be bounded: an event's `latest_date` is the latest day it can have begun.
EVENT_START = ("start_date", "latest_date")
BEGINNINGS = (
    Beginning("memberships", ("start_date",), ("body_agency_id",), "founded_date", "the body it joins was founded"),
    Beginning("memberships", ("start_date",), ("member_agency_id",), "founded_date", "its member was founded"),
    Beginning("memberships", ("start_date",), ("member_country_id",), "established_date", "its member state came into being"),
    Beginning("agreement_actions", ("action_date",), ("country_id",), "established_date", "the state came into being"),
    Beginning("events", EVENT_START, ("series_id",), "since", "its series began"),
    Beginning("events", EVENT_START, ("series_id", "body_agency_id"), "founded_date", "the body of its series was founded"),
    Beginning("events", EVENT_START, ("parent_event_id",), "series_since", "the series it is part of was first held"),
    Beginning("events", EVENT_START, ("parent_event_id",), "start_date", "the event it is part of began"),
    Beginning("event_series", ("since",), ("body_agency_id",), "founded_date", "its body was founded"),
)


def reached(package: Package, frames: Frames, begin: Beginning) -> pl.LazyFrame | None:
    """(__row, value, parent, date) for each row of begin.table with a start, the record its `via` keys reach, and that
    record's `began` date, as a query (before_founding runs every beginning's at once); None where a table, a column or
    a foreign key of the path is not there."""
    if begin.table not in frames or not set(begin.starts) & set(frames[begin.table].columns):
        return None
    frame = frames[begin.table].lazy()
    start = pl.coalesce([date_of(c) for c in begin.starts if c in frames[begin.table].columns])
    rows = frame.with_row_index("__row").select("__row", start.alias("value"), pl.lit(None, dtype=pl.String).alias("__key")).drop_nulls("value")
    current = begin.table
    for i, via in enumerate(begin.via):
        fk = next((k for k in package.tables[current].foreign_keys if k.fields == [via]), None)
        parent = frames.get(fk.resource) if fk else None
        last = i == len(begin.via) - 1
        if fk is None or parent is None or (last and begin.began not in parent.columns):
            return None
        if i == 0:
            rows = rows.join(frame.with_row_index("__row").select("__row", pl.col(via).cast(pl.String).alias("__next")), on="__row")
        else:
            rows = rows.join(frames[current].lazy().select(pl.col(package.tables[current].primary_key[0]).cast(pl.String).alias("__key"),
                                                    pl.col(via).cast(pl.String).alias("__next")), on="__key")
        rows = rows.drop("__key").rename({"__next": "__key"}).drop_nulls("__key")
        current = fk.resource
        if last:
            ends = parent.lazy().select(pl.col(fk.reference[0]).cast(pl.String).alias("__key"), date_of(begin.began).alias("date")).drop_nulls()
            return rows.join(ends, on="__key").select("__row", "value", pl.col("__key").alias("parent"), "date")
    return None


@rule("before-founding", "time")
def before_founding(package: Package, frames: Frames) -> list[Finding]:
    """Nothing starts before what it belongs to began: a membership before the body it joins, or its member organisation,
    was founded (`founded_date`); an event before its series began (the series' `since`, or the parent event's
    `series_since`), before the event it is part of began, or before the body holding its series was founded; a series
    before its body was founded; a state's membership, or its act on a treaty, before the state came into being (its
    `established_date`). An event without `start_date` is compared by its `latest_date`, the latest day it can have
    begun. Partial dates compare by their intervals: only a start that cannot be on or after the beginning is reported."""
    found: list[Finding] = []
    paths = [(begin, rows) for begin in BEGINNINGS if (rows := reached(package, frames, begin)) is not None]
    earliest = collect_all([rows.filter(wholly_after(pl.col("date"), pl.col("value")).fill_null(False)) for _, rows in paths])
    for (begin, _), early in zip(paths, earliest, strict=True):  # every beginning's query in one call
        early = early.with_columns(pl.lit(begin.starts[0]).alias("__column"), pl.lit(begin.what).alias("what"))
        if begin.starts[1:] and early.height:  # name the column the start was read from
            source = frames[begin.table].select(pl.col(begin.starts[0]).is_null().alias("__empty")).with_row_index("__row")
            early = early.join(source, on="__row").with_columns(
                pl.when(pl.col("__empty")).then(pl.lit(begin.starts[1])).otherwise(pl.col("__column")).alias("__column")).drop("__empty")
        found += by_column(begin.table, "before-founding", early.select("__column", "__row", "value", "what", "parent", "date"),
                           "{value!r} is before {what} ({parent!r}, {date})")
    return found


# (successor column, when a record began, when it ended): a record renamed or reorganised into its successor
SUCCESSIONS = (("successor_agency_id", "founded_date", "end_date"),)


@rule("succession-order", "time")
def succession_order(package: Package, frames: Frames) -> list[Finding]:
    """A successor (`successor_agency_id`, a self-reference) did not end before its predecessor began: the successor's
    `end_date` is not wholly before the predecessor's `founded_date`, compared by their intervals. Reported on the
    predecessor's row, at the link."""
    found: list[Finding] = []
    for name, frame in frames.items():
        table = package.tables[name]
        for column, began, ended in SUCCESSIONS:
            fk = next((k for k in table.foreign_keys if k.fields == [column] and k.resource == name), None)
            if fk is None or not {began, ended} <= set(frame.columns):
                continue
            ends = frame.select(pl.col(fk.reference[0]).cast(pl.String).alias("value"), date_of(ended).alias("ended")).drop_nulls()
            bad = (frame.with_row_index("__row").select("__row", pl.col(column).cast(pl.String).alias("value"), date_of(began).alias("began"))
                   .drop_nulls().join(ends, on="value").filter(wholly_after(pl.col("began"), pl.col("ended")).fill_null(False))
                   .select("__row", "value", "ended", "began").sort("__row"))
            found += listed(name, "succession-order", column, bad, "the successor {value!r} ended ({ended}) before this record began ({began})")
    return found


LAUNCH_DATES = (("launch_date_local", "launch_date"),)  # (the date at the launch site, the UTC date)


@rule("launch-date-local", "time")
def launch_date_local(package: Package, frames: Frames) -> list[Finding]:
    """A launch's date at the launch site (`launch_date_local`) is at most one day from its UTC date (`launch_date`): no
    time zone is further from UTC. Partial dates compare by their intervals (the first and last day each stands for)."""
    found: list[Finding] = []
    for name, frame in frames.items():
        for local, utc in LAUNCH_DATES:
            if not {local, utc} <= set(frame.columns):
                continue
            (local_first, local_last), (utc_first, utc_last) = interval(pl.col("__local")), interval(pl.col("__utc"))
            gap = pl.max_horizontal((local_first - utc_last).dt.total_days(), (utc_first - local_last).dt.total_days())
            bad = (frame.with_row_index("__row").select("__row", date_of(local).alias("__local"), date_of(utc).alias("__utc"))
                   .drop_nulls().filter((gap > 1).fill_null(False)).select("__row", "__local", "__utc", gap.alias("days")))
            found += listed(name, "launch-date-local", local, bad, f"{{value!r}} is {{days}} days from the UTC date in {utc}, {{__utc!r}}",
                            hint="a local date is at most a day from UTC: check both against their sources")
    return found


CONSULTED = ("url_checked_date", "archived_date")  # the days a document was read: a page consulted, a file archived
PUBLISHED = "published_date"


@rule("consulted-date", "time")
def consulted_date(package: Package, frames: Frames, today: dt.date) -> list[Finding]:
    """The days a source was read (`url_checked_date`, the day a page was consulted; `archived_date`, the day its file was
    archived) are not in the future (after the day of the run) and not before the document's own date (`published_date`).
    Partial dates compare by their intervals."""
    found: list[Finding] = []
    now = pl.lit(today.isoformat())
    for name, frame in frames.items():
        published = date_of(PUBLISHED) if PUBLISHED in frame.columns else pl.lit(None, dtype=pl.String)
        for column in CONSULTED:
            if column not in frame.columns:
                continue
            value = date_of(column)
            why = (pl.when(wholly_after(value, now)).then(pl.format("is after today ({})", now))
                   .when(wholly_after(published, value)).then(pl.format("is before the document's own date, {} ({})", published, pl.lit(PUBLISHED))))
            bad = frame.with_row_index("__row").select("__row", value.alias("value"), why.alias("why")).drop_nulls()
            found += listed(name, "consulted-date", column, bad, "{value!r} {why}",
                            hint="the day a document was read is a day that has come, and not before the document was dated")
    return found


# a date the address of a page prints in its path: /2019/09/02/ or /2019-09-02
ADDRESS_DATE = r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:[/?#.]|$)"


@rule("published-date", "time")
def published_date(package: Package, frames: Frames) -> list[Finding]:
    """Where a source's address prints a date in its path (`/2019/09/02/`), `published_date` is that date (the day the
    page was published, as its own address says), unless the row's note explains the difference
    (`published_date: ...`, for a page whose address keeps the date it was first filed under)."""
    found: list[Finding] = []
    for name, frame in frames.items():
        if not {"url", PUBLISHED} <= set(frame.columns):
            continue
        note = note_text(frame.columns)
        printed = pl.col("url").cast(pl.String).str.extract_groups(ADDRESS_DATE)
        address = pl.concat_str([printed.struct.field("1"), printed.struct.field("2"), printed.struct.field("3")], separator="-")
        value = date_of(PUBLISHED)
        bad = (frame.with_row_index("__row")
               .select("__row", value.fill_null("empty").alias("value"), address.alias("address"),
                       explained(note, PUBLISHED).alias("explained"))
               .filter(pl.col("address").is_not_null() & ~pl.col("explained")
                       & ((pl.col("value") == "empty") | ~pl.col("address").str.starts_with(pl.col("value"))))
               .select("__row", "value", "address"))
        found += listed(name, "published-date", PUBLISHED, bad, "{value!r}, but the page's address prints {address}",
                        hint="give the date the address prints, or say in a 'published_date:' clause of the note why it differs")
    return found


# (exact date, a bound of it) that exclude each other, as the fields' descriptions say: `status_as_of_earliest` is filled
# "only where `status_as_of` is empty" (its pair `status_as_of_latest` is filled together with it: the row rule `together`);
# an event's `earliest_date` and `latest_date` are each "empty when `start_date` is filled".
EXCLUSIVE = (("status_as_of", "status_as_of_earliest"), ("start_date", "earliest_date"), ("start_date", "latest_date"))


@rule("date-or-bounds", "time")
def date_or_bounds(package: Package, frames: Frames) -> list[Finding]:
    """An exact date and its bounds exclude each other where the fields say so: `status_as_of_earliest` is empty where
    `status_as_of` is filled (the bounds are for a status that rests on undated sources), and an event's `earliest_date`
    and `latest_date` are empty where its `start_date` is filled. Checked on every table that has both columns."""
    found: list[Finding] = []
    for name, frame in frames.items():
        for exact, bound in EXCLUSIVE:
            if not {exact, bound} <= set(frame.columns):
                continue
            both = (frame.with_row_index("__row").filter(pl.col(exact).is_not_null() & pl.col(bound).is_not_null())
                    .select("__row", pl.col(bound).cast(pl.String), pl.col(exact).cast(pl.String).alias("exact")))
            found += listed(name, "date-or-bounds", bound, both, f"{{value!r}} is given, but so is {exact} ({{exact!r}}): a bound is only for a date not known",
                            hint=f"keep {exact} where a source dates it, and empty {bound}")
    return found


def check(package: Package, frames: Frames, today: dt.date | None = None) -> list[Finding]:
    """Every rule registered here, in the order they are defined, each through the error boundary. `today` is the day of
    the run (UTC) unless a test fixes it."""
    return run_registered(__name__, PACKAGE, package=package, frames=frames, today=today or dt.datetime.now(dt.UTC).date())

"""The pandera schemas (polars backend) of the package, derived from the Table Schemas.

The Table Schemas are the one source of truth: each field constraint and each `x-rules` row rule becomes a
pandera check here, named by its rule ID, and pandera is the engine that runs them. Researchers can use the
same schemas on their own frames:

    from validate.schema_checks import pandera_schema
    pandera_schema("agencies").validate(frame)   # frame typed as the Table Schema says (dates as strings)

Frames are validated eagerly: on a LazyFrame pandera's polars backend checks only the schema and silently
skips data checks (duplicates and bad enum values pass).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from .boundary import attempt, fused, rule_error
from .findings import LIMIT, Finding, shorten, with_rest
from .model import Field, Table
from .registry import registered, rule
from .text import explained, precision_prefix
from .types import DTYPES, typed_values

if TYPE_CHECKING:
    import pandera.polars as pa


@dataclass(frozen=True)
class Spec:
    passes: pl.Expr  # true where a row passes (nulls pass: `required` is pandera's nullable flag)
    rule: str
    reason: str
    columns: str = ""

    @property
    def check(self) -> pa.Check:
        """The pandera check: the same polars expression, registered under the rule ID."""
        import pandera.polars as pa

        return pa.Check(lambda data, e=self.passes: data.lazyframe.select(e), name=self.rule, error=self.reason)


# field constraints --------------------------------------------------------------------------------------------

@rule("required", "schema")
def required(f: Field, primary_key: list[str]) -> bool:
    """Required fields (and primary-key fields) are filled."""
    return f.required or f.name in primary_key


@rule("unique", "schema")
def unique(f: Field, primary_key: list[str]) -> bool:
    """Unique fields, and primary keys, have no duplicate values."""
    return bool(f.constraints.get("unique")) or primary_key == [f.name]


def column_check(f: Field, rule_id: str, reason: str, ok: pl.Expr) -> Spec:
    return Spec(pl.col(f.name).is_null() | ok, rule_id, reason)


@rule("pattern", "schema")
def pattern(f: Field) -> list[Spec]:
    """Cells match their field's pattern (ID slugs, ISO codes, date shapes), as a whole value."""
    if "pattern" not in f.constraints:
        return []
    p = f.constraints["pattern"]
    reason = "is not a date: use YYYY, YYYY-MM or YYYY-MM-DD" if f.partial_date else f"does not match the pattern {p}"
    return [column_check(f, "pattern", reason, pl.col(f.name).str.contains(f"^(?:{p})$"))]


@rule("enum", "schema")
def enum(f: Field) -> list[Spec]:
    """Cells are one of their field's enum values."""
    if "enum" not in f.constraints:
        return []
    values = f.constraints["enum"]
    return [column_check(f, "enum", f"is not one of {values}", pl.col(f.name).is_in(typed_values(f.raw, values)))]


@rule("range", "schema")
def range_(f: Field) -> list[Spec]:
    """Numbers lie within their field's minimum and maximum."""
    out = []
    if "minimum" in f.constraints:
        out.append(column_check(f, "range", f"is below the minimum {f.constraints['minimum']}", pl.col(f.name) >= f.constraints["minimum"]))
    if "maximum" in f.constraints:
        out.append(column_check(f, "range", f"is above the maximum {f.constraints['maximum']}", pl.col(f.name) <= f.constraints["maximum"]))
    return out


@rule("length", "schema")
def length(f: Field) -> list[Spec]:
    """Text lies within its field's minLength and maxLength."""
    lo, hi = f.constraints.get("minLength"), f.constraints.get("maxLength")
    if lo is None and hi is None:
        return []
    n = pl.col(f.name).str.len_chars()
    ok = (n >= (lo or 0)) & (n <= hi) if hi is not None else n >= (lo or 0)
    return [column_check(f, "length", f"length is outside [{lo}, {hi}]", ok)]


@rule("calendar-date", "schema")
def calendar_date(f: Field) -> list[Spec]:
    """Partial dates are real calendar dates at their precision (no 2025-02-30)."""
    if not f.partial_date:
        return []
    c = pl.col(f.name)
    return [column_check(f, "calendar-date", "is not a real calendar date",
                         (c.str.len_chars() != 10) | c.str.to_date("%Y-%m-%d", strict=False).is_not_null())]


def field_rules() -> list[tuple[str, Any]]:
    """The registered rules a field's constraints become: those of this module that read a field alone."""
    return [(r.id, r.function) for r in registered(__name__) if r.needs == {"f"}]


def __getattr__(name: str) -> Any:
    if name == "FIELD_RULES":  # the field-constraint makers, as the registry lists them
        return tuple(fn for _, fn in field_rules())
    raise AttributeError(name)


# row rules (x-rules) -------------------------------------------------------------------------------------------

@rule("exactly-one", "row")
def exactly_one(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """Exactly one of a set of alternative columns is filled (`fields`)."""
    cols = spec["fields"]
    return pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int8) for c in cols]) == 1, f"exactly one of {', '.join(cols)} must be filled", cols


@rule("not-before", "row")
def not_before(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """A date (`field`) is not before another (`other`), compared at their shared precision."""
    a, b = precision_prefix(pl.col(spec["field"]).cast(pl.String), pl.col(spec["other"]).cast(pl.String))  # a date column too
    expr = pl.col(spec["field"]).is_null() | pl.col(spec["other"]).is_null() | (a >= b)
    return expr, f"{spec['field']} is before {spec['other']}", [spec["field"], spec["other"]]


@rule("together", "row")
def together(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """Columns that go together (`fields`) are filled together or left empty together."""
    filled = [pl.col(c).is_not_null() for c in spec["fields"]]
    return pl.all_horizontal(filled) | ~pl.any_horizontal(filled), f"{', '.join(spec['fields'])} must be filled together", spec["fields"]


@rule("required-if", "row")
def required_if(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """A column (`field`) is filled when another has one of the given values (`when`); with `unless-explained`, an empty
    cell passes where the row's note says why (`field: ...`), for a value no source gives."""
    condition = pl.lit(True)
    for other, values in spec["when"].items():
        condition = condition & pl.col(other).is_in(values).fill_null(False)
    when = "; ".join(f"{k} is one of {v}" for k, v in spec["when"].items())
    ok = pl.col(spec["field"]).is_not_null() | ~condition
    if spec.get("unless-explained"):
        ok = ok | explained(pl.col("note").fill_null(""), spec["field"])
        when += f" (or the note explains {spec['field']})"
    return ok, f"{spec['field']} is required when {when}", [spec["field"], *spec["when"]]


@rule("empty-if", "row")
def empty_if(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """A column (`field`) is empty when another has one of the given values (`when`): a membership that is `active`
    has no `end_date`."""
    condition = pl.lit(True)
    for other, values in spec["when"].items():
        condition = condition & pl.col(other).is_in(values).fill_null(False)
    when = "; ".join(f"{k} is one of {v}" for k, v in spec["when"].items())
    return pl.col(spec["field"]).is_null() | ~condition, f"{spec['field']} must be empty when {when}", [spec["field"], *spec["when"]]


@rule("unique-together", "row")
def unique_together(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """A combination of columns (`fields`) is unique."""
    return ~pl.struct(spec["fields"]).is_duplicated(), f"the combination of {', '.join(spec['fields'])} is not unique", spec["fields"]


@rule("distinct-columns", "row")
def distinct_columns(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """Columns that name two sides of a relation (`fields`) never name the same record: nothing is a member of,
    or a party with, itself."""
    cols = spec["fields"]
    pairs = [pl.col(a).is_null() | pl.col(b).is_null() | (pl.col(a) != pl.col(b)) for i, a in enumerate(cols) for b in cols[i + 1:]]
    return pl.all_horizontal(pairs), f"{' and '.join(cols)} name the same record", cols


@rule("explained-if", "row")
def explained_if(spec: dict[str, Any]) -> tuple[pl.Expr, str, list[str]]:
    """Where a column (`field`) has one of the given values (`values`, for instance a `basis` of `inferred`), the note
    explains one of the `columns` in a clause that starts with its name: a researcher can filter to stated facts only,
    and learns why each inferred one was inferred."""
    note = pl.col("note").fill_null("")
    clause = pl.any_horizontal([explained(note, c) for c in spec["columns"]])
    values = ", ".join(map(str, spec["values"]))
    return (~pl.col(spec["field"]).is_in(spec["values"])).fill_null(True) | clause, \
        f"{spec['field']} is {values}, and the note explains none of {', '.join(spec['columns'])} ('column: why')", [spec["field"], "note"]


def row_rules() -> dict[str, Any]:
    return {r.id: r.function for r in registered(__name__) if r.family == "row"}


def typed_spec(spec: dict[str, Any], table: Table) -> dict[str, Any]:
    """An x-rules row rule with its values (`when`, `values`) as values of their columns' types (a date parsed), to compare
    with the typed frame. The model has checked that each value is of its column's type."""
    out = dict(spec)
    if "when" in spec:
        out["when"] = {c: typed_values(table.field(c).raw, v) for c, v in spec["when"].items()}
    if "values" in spec and "field" in spec:
        out["values"] = typed_values(table.field(spec["field"]).raw, spec["values"])
    return out


# the derived schema ---------------------------------------------------------------------------------------------

@dataclass
class Derived:
    table: Table
    column_specs: dict[str, list[Spec]] = field(default_factory=dict)  # by column, in check_number order
    frame_specs: list[Spec] = field(default_factory=list)  # in check_number order
    found: list[Finding] = field(default_factory=list)  # the rule-errors of checks that could not be made

    def without(self, rules: set[str]) -> Derived:
        """The same schema without the checks of these rules (they raised: their rule-errors say so)."""
        return Derived(self.table, {c: [s for s in specs if s.rule not in rules] for c, specs in self.column_specs.items()},
                       [s for s in self.frame_specs if s.rule not in rules], self.found)

    @property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema (pandera is imported only here: a valid table never needs it)."""
        import pandera.polars as pa

        columns = {f.name: pa.Column(DTYPES[f.type], checks=[s.check for s in self.column_specs[f.name]],
                                     nullable=not required(f, self.table.primary_key),
                                     unique=unique(f, self.table.primary_key) and required(f, self.table.primary_key), coerce=False)
                   for f in self.table.fields}
        return pa.DataFrameSchema(columns, checks=[s.check for s in self.frame_specs], strict=True, ordered=True, name=self.table.name)


def derive(table: Table) -> Derived:
    """The table's checks, each made through the error boundary: a rule that cannot make its check is a rule-error."""
    found: list[Finding] = []
    column_specs: dict[str, list[Spec]] = {}
    makers = field_rules()
    for f in table.fields:
        column_specs[f.name] = []
        for rule_id, make in makers:
            specs, failed = attempt(rule_id, table.name, make, f, default=[])
            column_specs[f.name] += specs
            found += failed
    for f in table.fields:  # pandera's unique= counts empty cells as duplicates; an optional unique column may be empty many times
        if unique(f, table.primary_key) and not required(f, table.primary_key):
            column_specs[f.name].append(column_check(f, "unique", "duplicate value in a unique column", pl.col(f.name).is_unique()))
    frame_specs = []
    if len(table.primary_key) > 1:
        frame_specs.append(Spec(~pl.struct(table.primary_key).is_duplicated(), "unique", "the primary key is not unique",
                                ",".join(table.primary_key)))
    rows = row_rules()
    for spec in table.rules:
        if spec["rule"] in rows:
            made, failed = attempt(spec["rule"], table.name, lambda s: rows[s["rule"]](typed_spec(s, table)), spec, default=None)
            found += failed
            if made is not None:
                expr, reason, cols = made
                frame_specs.append(Spec(expr, spec["rule"], reason, ",".join(cols)))
    return Derived(table, column_specs, frame_specs, found)


def pandera_schema(table_name: str, root: str | Path = ".") -> pa.DataFrameSchema:
    """The pandera schema of one table of the package at root, as the validator runs it."""
    from .model import load

    package, _ = load(Path(root))
    return derive(package.tables[table_name]).schema


def screens(table: Table, derived: Derived) -> list[tuple[str, pl.Expr]]:
    """(rule ID, an expression true when no row fails it) for every check of the schema: the clean path's questions."""
    out = [(s.rule, s.passes.fill_null(True).all()) for specs in derived.column_specs.values() for s in specs]
    out += [(s.rule, s.passes.fill_null(True).all()) for s in derived.frame_specs]
    out += [("required", pl.col(f.name).is_not_null().all()) for f in table.fields if required(f, table.primary_key)]
    # pandera's own unique= (required columns); an optional unique column's check is among the column specs above
    out += [("unique", pl.col(f.name).is_unique().all()) for f in table.fields if unique(f, table.primary_key) and required(f, table.primary_key)]
    return out


def verdicts(frame: pl.DataFrame, items: list[tuple[str, pl.Expr]]) -> list[bool]:
    """Every check's verdict on the whole frame, in one select."""
    if not items or not frame.height:
        return [True] * len(items)
    return list(frame.select([e.alias(str(i)) for i, (_, e) in enumerate(items)]).row(0))


def passes(table: Table, derived: Derived, frame: pl.DataFrame) -> bool:
    """The clean path: every check of the schema, as its own polars expression, in one select. True when none fails."""
    return all(verdicts(frame, screens(table, derived)))


def check(table: Table, frame: pl.DataFrame, unparsed: dict[str, set[int]]) -> list[Finding]:
    """Findings of the table's pandera schema, one validation per table. Cells that did not parse (reported as
    `type`, now null) are not also reported as `required`.

    pandera runs the schema only when the clean path (`passes`) sees a failure, so the exact report costs
    nothing on a valid table; both evaluate the same expressions, and a test keeps them in agreement. A check that raises
    on this frame is a rule-error and is left out of both.
    """
    derived = derive(table)
    ok, kept, failed = fused(table.name, screens(table, derived), lambda items: verdicts(frame, list(items)), default=None)
    found = derived.found + failed
    if failed:
        derived = derived.without({str(f.value) for f in failed})
    if ok is None or (not unparsed and all(ok)):
        return found
    import pandera.polars as pa

    try:
        try:
            derived.schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            return found + to_findings(table.name, derived, exc.failure_cases, unparsed)
    except Exception as exc:  # pandera itself failed: each rule whose check the clean path saw fail is reported
        seen = [r for (r, _), v in zip(kept, ok, strict=True) if not v] or ["required"]  # else only unparsed cells sent it to pandera
        return found + [rule_error(r, table.name, exc) for r in dict.fromkeys(seen)]
    return found


def to_findings(name: str, derived: Derived, cases: pl.DataFrame, unparsed: dict[str, set[int]]) -> list[Finding]:
    listed: dict[tuple[str, str], list[Finding]] = {}
    counted: dict[tuple[str, str], int] = {}
    for row in cases.iter_rows(named=True):
        column, check_name, number, index = row["column"], row["check"], row["check_number"], row["index"]
        if row["schema_context"] == "DataFrameSchema" and number is not None and number < len(derived.frame_specs):
            spec = derived.frame_specs[number]
            rule_id, reason, column = spec.rule, spec.reason, spec.columns
        elif check_name == "not_nullable":
            if index in unparsed.get(column, ()):
                continue
            rule_id, reason = "required", "a required cell is empty"
        elif check_name == "field_uniqueness":
            rule_id, reason = "unique", "duplicate value in a unique column"
        elif column in derived.column_specs and number is not None and number < len(derived.column_specs[column]):
            spec = derived.column_specs[column][number]
            rule_id, reason = spec.rule, spec.reason
        else:  # dtype or column-presence errors: the header and type steps already report these
            continue
        key = (rule_id, column or "")
        counted[key] = counted.get(key, 0) + 1
        if counted[key] > LIMIT:
            continue
        value = shorten(row["failure_case"])
        message = f"{value!r} {reason}" if value is not None and row["schema_context"] != "DataFrameSchema" else reason
        listed.setdefault(key, []).append(Finding(rule_id, message, name, None if index is None else index + 2, column or "", value, row=index))
    return [f for key, group in listed.items() for f in with_rest(group, counted[key] - LIMIT)]

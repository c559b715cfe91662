"""pandera (polars backend) schemas derived from the Table Schemas in schemas/.

The Table Schemas are the one source of truth: every constraint and every row rule (`x-rules`)
becomes a pandera check here, and each check keeps the rule id it reports under.
Frames are validated eagerly: on a LazyFrame pandera's polars backend checks only the schema
and silently skips data checks (duplicates and bad enum values pass).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.polars as pa
import polars as pl

from .extensions import ROW_RULES
from .findings import Finding, shorten
from .hygiene import LIMIT, with_rest
from .package import Table
from .read import POLARS_TYPES


@dataclass
class Derived:
    schema: pa.DataFrameSchema
    column_rules: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # column -> [(rule, reason)] by check_number
    frame_rules: list[tuple[str, str, str]] = field(default_factory=list)  # [(rule, reason, columns)] by check_number


def precision_prefix(a: pl.Expr, b: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Cut two partial dates to their shared precision, so that 2025-09 and 2025-09-14 compare equal."""
    n = pl.min_horizontal(a.str.len_chars(), b.str.len_chars())
    return a.str.slice(0, n), b.str.slice(0, n)


def is_calendar_date(data: pa.PolarsData) -> pl.LazyFrame:
    c = pl.col(data.key)
    full = c.str.len_chars() == 10
    return data.lazyframe.select(c.is_null() | ~full | c.str.to_date("%Y-%m-%d", strict=False).is_not_null())


def row_check(rule: dict) -> tuple[pa.Check, str, str]:
    kind = rule["rule"]
    if kind == "exactly-one":
        cols = rule["fields"]
        expr = pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int8) for c in cols]) == 1
        reason = f"exactly one of {', '.join(cols)} must be filled"
    elif kind == "not-before":
        a, b = precision_prefix(pl.col(rule["field"]), pl.col(rule["other"]))
        cols = [rule["field"], rule["other"]]
        expr = pl.col(rule["field"]).is_null() | pl.col(rule["other"]).is_null() | (a >= b)
        reason = f"{rule['field']} is before {rule['other']}"
    elif kind == "together":
        cols = rule["fields"]
        filled = [pl.col(c).is_not_null() for c in cols]
        expr = pl.all_horizontal(filled) | ~pl.any_horizontal(filled)
        reason = f"{', '.join(cols)} must be filled together"
    elif kind == "required-if":
        (other, values), = rule["when"].items()
        cols = [rule["field"], other]
        expr = pl.col(rule["field"]).is_not_null() | ~pl.col(other).is_in(values).fill_null(False)
        reason = f"{rule['field']} is required when {other} is one of {values}"
    elif kind == "unique-together":
        cols = rule["fields"]
        expr = ~pl.struct(cols).is_duplicated()
        reason = f"the combination of {', '.join(cols)} is not unique"
    else:
        raise ValueError(kind)
    return pa.Check(lambda data, e=expr: data.lazyframe.select(e), error=reason), reason, ",".join(cols)


def derive(table: Table) -> Derived:
    columns: dict[str, pa.Column] = {}
    column_rules: dict[str, list[tuple[str, str]]] = {}
    primary = table.schema.get("primaryKey", [])
    primary = [primary] if isinstance(primary, str) else primary
    for f in table.fields:
        name, c = f["name"], f.get("constraints", {})
        specs: list[tuple[pa.Check, str, str]] = []  # (check, rule, reason), in check_number order
        if "pattern" in c:
            # a Table Schema pattern matches the whole value (XML Schema semantics); polars matches anywhere
            whole = f"^(?:{c['pattern']})$"
            specs.append((pa.Check.str_matches(whole), "pattern", f"does not match the pattern {c['pattern']}"))
        if "enum" in c:
            specs.append((pa.Check.isin(c["enum"]), "enum", f"is not one of {c['enum']}"))
        if "minimum" in c:
            specs.append((pa.Check.ge(c["minimum"]), "range", f"is below the minimum {c['minimum']}"))
        if "maximum" in c:
            specs.append((pa.Check.le(c["maximum"]), "range", f"is above the maximum {c['maximum']}"))
        if "minLength" in c or "maxLength" in c:
            lo, hi = c.get("minLength"), c.get("maxLength")
            specs.append((pa.Check.str_length(lo, hi), "length", f"length is outside [{lo}, {hi}]"))
        if f.get("x-partial-date"):
            specs.append((pa.Check(is_calendar_date), "calendar-date", "is not a real calendar date"))
        checks = [check for check, _, _ in specs]
        rules = [(rule, reason) for _, rule, reason in specs]
        required = c.get("required", False) or (name in primary)
        unique = c.get("unique", False) or (primary == [name])
        columns[name] = pa.Column(POLARS_TYPES.get(f.get("type", "string"), pl.String), checks=checks,
                                  nullable=not required, unique=unique, coerce=False)
        column_rules[name] = rules
    frame_checks, frame_rules = [], []
    if len(primary) > 1:
        frame_rules.append(("unique", "the primary key is not unique", ",".join(primary)))
        frame_checks.append(pa.Check(lambda data, k=primary: data.lazyframe.select(~pl.struct(k).is_duplicated())))
    for rule in table.schema.get("x-rules", []):
        if rule["rule"] in ROW_RULES:
            check, reason, cols = row_check(rule)
            frame_checks.append(check)
            frame_rules.append((rule["rule"], reason, cols))
    schema = pa.DataFrameSchema(columns, checks=frame_checks, strict=True, ordered=True, name=table.name)
    return Derived(schema, column_rules, frame_rules)


def validate(table: Table, frame: pl.DataFrame, unparsed: dict[str, set[int]] | None = None) -> list[Finding]:
    """Findings of the derived pandera schema. `unparsed` cells (already reported as `type`) are not also `required`."""
    derived = derive(table)
    try:
        derived.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return to_findings(table.name, derived, exc.failure_cases, unparsed or {})
    return []


def to_findings(name: str, derived: Derived, cases: pl.DataFrame, unparsed: dict[str, set[int]]) -> list[Finding]:
    listed: dict[tuple[str, str], list[Finding]] = {}
    counted: dict[tuple[str, str], int] = {}
    for row in cases.iter_rows(named=True):
        column, check, number, index = row["column"], row["check"], row["check_number"], row["index"]
        if row["schema_context"] == "DataFrameSchema" and number is not None and number < len(derived.frame_rules):
            rule, reason, column = derived.frame_rules[number]
        elif check == "not_nullable":
            if index in unparsed.get(column, ()):
                continue
            rule, reason = "required", "a required cell is empty"
        elif check == "field_uniqueness":
            rule, reason = "unique", "duplicate value in a unique column"
        elif column in derived.column_rules and number is not None and number < len(derived.column_rules[column]):
            rule, reason = derived.column_rules[column][number]
        else:  # dtype or column-presence errors: the header and cast steps already report these
            continue
        key = (rule, column or "")
        counted[key] = counted.get(key, 0) + 1
        if counted[key] > LIMIT:
            continue
        value = shorten(row["failure_case"])
        line = None if index is None else index + 2
        listed.setdefault(key, []).append(Finding(rule, f"{value!r} {reason}" if value is not None and rule not in ROW_RULES else reason,
                                                  name, line, column or "", value, row=index))
    return [f for key, group in listed.items() for f in with_rest(group, counted[key] - LIMIT)]

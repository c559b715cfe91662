"""Table Schema types: each type the package may use is parsed here, and any other is refused.

Cells are read as strings; `parse(field)` gives the polars expression that turns a column into its typed
value, null where a cell does not parse. A field of a type, format or option the validator does not
implement is `schema-invalid` (model.py asks `unsupported`), never silently read as text (issue 8).
"""

from __future__ import annotations

import polars as pl

from .registry import rule

TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
# type -> the polars dtype of its parsed value
DTYPES: dict[str, pl.DataType] = {
    "string": pl.String(), "any": pl.String(), "integer": pl.Int64(), "number": pl.Float64(), "boolean": pl.Boolean(),
    "date": pl.Date(), "datetime": pl.Datetime("us", "UTC"), "time": pl.Time(), "year": pl.Int64(), "yearmonth": pl.String(),
}
# the options each type may carry beyond name, type, title, description, example, constraints, missingValues, x-*
OPTIONS: dict[str, set[str]] = {"boolean": {"trueValues", "falseValues"}}
COMMON = {"name", "type", "title", "description", "example", "constraints", "format", "missingValues", "rdfType"}
CONSTRAINTS: dict[str, set[str]] = {
    "string": {"required", "unique", "pattern", "enum", "minLength", "maxLength"},
    "integer": {"required", "unique", "enum", "minimum", "maximum"},
    "number": {"required", "unique", "enum", "minimum", "maximum"},
    "year": {"required", "unique", "enum", "minimum", "maximum"},
}
BASIC = {"required", "unique", "enum"}
INTEGER = r"^-?(0|[1-9][0-9]*)$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$"
TIME = r"^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$"
# a scheme, "://", a host that does not end in a dot (the DNS root dot, `kun.uz./`, is refused by other Frictionless
# implementations' uri format), then any path, query or fragment without white space
URI = r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]*[^\s/?#.](?:[/?#]\S*)?$"
FORMATS = {"string": {"default", "uri"}}
# the JSON type of a constraint or rule value for the types that have one; other types take a string that parses
NATIVE: dict[str, type | tuple[type, ...]] = {"string": str, "any": str, "integer": int, "year": int, "number": (int, float), "boolean": bool}


def unsupported(field: dict) -> list[str]:
    """Why this validator cannot check a field as its Table Schema asks; empty when it can."""
    kind, name = field.get("type", "string"), field.get("name")
    if kind not in DTYPES:
        return [f"field {name!r}: type {kind!r} is not implemented by this validator (implemented: {', '.join(DTYPES)})"]
    out = []
    formats = FORMATS.get(kind, {"default"})
    if field.get("format", "default") not in formats:
        out.append(f"field {name!r}: format {field['format']!r} of type {kind!r} is not implemented (only {sorted(formats)})")
    extra = set(field) - COMMON - OPTIONS.get(kind, set()) - {k for k in field if k.startswith("x-")}
    if extra:
        out.append(f"field {name!r}: option(s) {sorted(extra)} of type {kind!r} are not implemented")
    constraints = field.get("constraints", {})
    if isinstance(constraints, dict):
        beyond = set(constraints) - CONSTRAINTS.get(kind, BASIC)
        if beyond:
            out.append(f"field {name!r}: constraint(s) {sorted(beyond)} on type {kind!r} are not implemented")
    return out


def parse(field: dict) -> pl.Expr:
    """The column's typed value; null where the cell is empty or does not parse."""
    col = pl.col(field["name"])
    kind = field.get("type", "string")
    if kind == "boolean":
        return pl.when(col.is_in(field.get("trueValues", TRUE_VALUES))).then(True).when(
            col.is_in(field.get("falseValues", FALSE_VALUES))).then(False).otherwise(None)
    if kind == "integer":  # written as other catalogues join on it: no leading zero, no plus sign (039731 is not NORAD 39731's text)
        return pl.when(col.str.contains(INTEGER)).then(col.cast(DTYPES[kind], strict=False))
    if kind == "number":
        return col.cast(DTYPES[kind], strict=False)
    if kind == "date":
        return pl.when(col.str.contains(DATE)).then(col.str.to_date("%Y-%m-%d", strict=False))
    if kind == "datetime":
        ok = col.str.contains(DATETIME)
        utc = col.str.replace(r"Z$", "+00:00")
        with_zone = utc.str.contains(r"[+-]\d{2}:\d{2}$")
        return pl.when(ok & with_zone).then(utc.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", strict=False, time_zone="UTC")).when(ok).then(
            col.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_zone="UTC"))
    if kind == "time":
        return pl.when(col.str.contains(TIME)).then(col.str.to_time("%H:%M:%S%.f", strict=False))
    if kind == "year":
        return pl.when(col.str.contains(r"^\d{4}$")).then(col.cast(pl.Int64, strict=False))
    if kind == "yearmonth":
        return pl.when(col.str.contains(r"^\d{4}-(0[1-9]|1[0-2])$")).then(col)
    if field.get("format") == "uri":
        return pl.when(col.str.contains(URI)).then(col)
    return col


def typed_values(field: dict, values: list) -> list:
    """Constraint or rule values (an enum, a `when`) as values of the field's type, to compare with its typed column: as
    they are for the types JSON has, parsed from their strings for the others (a date, a time); None where one does not parse."""
    if field.get("type", "string") in NATIVE:
        return list(values)
    strings = pl.DataFrame({"v": [v if isinstance(v, str) else None for v in values]}, schema={"v": pl.String})
    return strings.select(parse({**field, "name": "v"})).to_series().to_list()


def fits(field: dict, value: object) -> bool:
    """A constraint or rule value is a value of the field's type: of JSON's own type for strings, numbers and booleans (a
    number is never written as a string, nor a boolean as a number), a string that parses as the type for the others."""
    kind = field.get("type", "string")
    if isinstance(value, bool):
        return kind == "boolean"
    if kind in NATIVE:
        return isinstance(value, NATIVE[kind])
    return isinstance(value, str) and typed_values(field, [value])[0] is not None


@rule("type", "schema")
def type_failures(field: dict) -> tuple[pl.Expr, str]:
    """Each cell parses as its field's Table Schema type (integer, number, boolean, date, datetime, time, year, yearmonth,
    and strings of format uri). An integer is written in its one canonical form, digits with no leading zero and no plus
    sign (`39731`, never `039731` or `+39731`), so that its text joins with other catalogues.

    Returns the expression true where a filled cell does not parse, and the message.
    """
    col = pl.col(field["name"])
    kind = field.get("type", "string")
    booleans = field.get("trueValues", TRUE_VALUES) + field.get("falseValues", FALSE_VALUES)
    hint = {"integer": " (digits, with no leading zero or plus sign)", "date": " (use YYYY-MM-DD)", "year": " (use YYYY)", "yearmonth": " (use YYYY-MM)",
            "boolean": f" (use one of {booleans})", "string": " (an absolute address such as https://example.org/page)"}.get(kind, "")
    return col.is_not_null() & parse(field).is_null(), f"{{value!r}} is not a valid {kind}{hint}"


def cast(fields: list[dict], table: str, strings: pl.DataFrame) -> tuple[pl.DataFrame, list, dict[str, set[int]]]:
    """The typed frame, the `type` findings, and for each column the rows whose cell did not parse (now null). A column
    whose check fails (a rule-error) is left as its strings' type, empty."""
    from .boundary import attempt, fused
    from .findings import listed

    found: list = []
    unparsed: dict[str, set[int]] = {}
    indexed = strings.with_row_index("__row")

    def failures(field: dict) -> list:
        failing_expr, message = type_failures(field)
        failing = indexed.filter(failing_expr).select("__row", field["name"])
        if failing.height:
            unparsed[field["name"]] = set(failing.get_column("__row").to_list())
        return listed(table, "type", field["name"], failing, message)

    for field in fields:
        if field.get("type", "string") in ("string", "any") and field.get("format", "default") == "default":
            continue
        more, failed = attempt("type", table, failures, field, default=[])
        found += failed or more
    parsed = [("type", (f["name"], parse(f))) for f in fields]
    typed, kept, failed = fused(table, parsed, lambda items: strings.select([e.alias(name) for _, (name, e) in items]), default=None)
    if failed:  # a column that cannot be parsed is empty, so that no rule reads its strings as typed values
        ok = {name for _, (name, _) in kept}
        typed = strings.select([parse(f).alias(f["name"]) if f["name"] in ok else pl.repeat(None, strings.height, dtype=DTYPES[f.get("type", "string")]).alias(f["name"])
                                for f in fields])
    return typed, found + failed, unparsed

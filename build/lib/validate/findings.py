"""A finding is one failure of one rule at one place. The rule catalogue lives here, in one place."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# rule id -> (family, what the rule checks). README's rule list is tested against this.
RULES: dict[str, tuple[str, str]] = {
    # package and descriptor
    "descriptor-unreadable": ("package", "datapackage.json exists and parses as a JSON object"),
    "validator-error": ("package", "the validator itself failed (a bug to report): exit 2 with the error, never a traceback"),
    "descriptor-invalid": ("package", "the descriptor is valid against the Data Package v2 profile (frictionless)"),
    "schema-invalid": ("package", "each Table Schema exists, parses, is valid against the Table Schema profile, has a primary key, "
                                  "and its x- extensions name known rules and existing columns"),
    "path-unsafe": ("package", "resource and schema paths are relative, inside the package, free of `..`, symlinks out of it and URLs"),
    "resource-missing": ("package", "each resource's file exists, and the sources, citations and countries resources are declared"),
    # file hygiene (raw bytes)
    "encoding-bom": ("hygiene", "no UTF-8 byte-order mark"),
    "encoding-utf8": ("hygiene", "the file is valid UTF-8"),
    "line-ending": ("hygiene", "LF line endings only (no CR)"),
    "blank-line": ("hygiene", "no blank lines and the file ends with one newline"),
    "row-width": ("hygiene", "every row has as many cells as the header (no missing or trailing separators)"),
    "csv-syntax": ("hygiene", "quotes only around whole cells (a file polars cannot parse is still checked, read leniently)"),
    "unicode-nfc": ("hygiene", "text is in Unicode NFC"),
    "whitespace": ("hygiene", "no leading or trailing white space in a cell, and no line break"),
    "control-character": ("hygiene", "no control character (tab included), bidirectional override or zero-width character in a cell"),
    "formula-cell": ("hygiene", "no cell begins with =, +, -, @, tab or carriage return"),
    "mojibake": ("hygiene", "no UTF-8 text mis-decoded as Latin-1/Windows-1252 (Ã©, â€™ ...)"),
    "cell-too-long": ("hygiene", "no cell longer than 10,000 characters"),
    "table-empty": ("hygiene", "each table has at least one data row"),
    # header and types
    "header-mismatch": ("schema", "the header names and order equal the Table Schema's fields"),
    "type": ("schema", "each cell parses as its field's type (integer, number, boolean)"),
    # pandera field and row rules, derived from the Table Schemas
    "required": ("schema", "required fields are filled"),
    "unique": ("schema", "unique fields (and primary keys) have no duplicates"),
    "pattern": ("schema", "cells match their field's pattern (ID slugs, ISO codes, date shapes)"),
    "enum": ("schema", "cells are one of their field's enum values"),
    "range": ("schema", "numbers lie within minimum and maximum"),
    "length": ("schema", "text lies within minLength and maxLength"),
    "calendar-date": ("schema", "partial dates are real calendar dates at their precision (no 2025-02-30)"),
    "exactly-one": ("row", "exactly one of a set of alternative columns is filled"),
    "not-before": ("row", "an end date is not before its start date (compared at the shared precision)"),
    "together": ("row", "columns that go together are filled together"),
    "required-if": ("row", "a column is filled when another has a given value"),
    "unique-together": ("row", "a combination of columns is unique"),
    # cross-table
    "foreign-key": ("integrity", "every declared foreign key resolves, self-references included"),
    "uncited": ("integrity", "every record of a fact table has at least one citation"),
    "unreferenced": ("integrity", "every source is cited and every country is referred to"),
    "min-children": ("integrity", "every agreement has at least two parties (or one collective party)"),
    # provenance
    "source-file-missing": ("provenance", "each source's archived file exists inside the package"),
    "source-hash": ("provenance", "each archived file's SHA-256 equals the sources table"),
    "quote-not-in-source": ("provenance", "each quote occurs verbatim in its source (white space and typographic quotes folded)"),
    "fact-not-in-quote": ("provenance", "names, dates (year, and month and day where given) and numbers a row states are in its quotes, "
                                        "or its note explains them (`column: ...`)"),
    "date-after-source": ("provenance", "a date reported as past is not after the date of a source that reports it"),
    "country-code": ("provenance", "country codes are ISO 3166-1 alpha-3 codes (pycountry)"),
    # versioning
    "version-semver": ("versioning", "datapackage.json version is semantic (MAJOR.MINOR.PATCH)"),
    "version-changelog": ("versioning", "the version equals the newest release in CHANGELOG.md"),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    table: str = ""
    line: int | None = None
    column: str = ""
    value: str | None = None
    more: int = 0  # further failures of the same rule and column, counted but not listed
    row: int | None = None  # 0-based data row, where the finding is about one; `line` is row + 2 until run.py maps it

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule id {self.rule!r}")

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        del out["row"]
        return out


def shorten(value: object, limit: int = 80) -> str | None:
    """Cell values are cut for the report so that a 1 MB cell does not flood it."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"

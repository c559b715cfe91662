"""A finding is one failure of one rule at one place, and the helpers that list findings compactly."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import polars as pl

LIMIT = 20  # findings listed per (table, rule, column); the rest are counted in `more`


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    table: str = ""
    line: int | None = None
    column: str = ""
    value: str | None = None
    more: int = 0  # further failures of the same rule and column, counted but not listed
    row: int | None = None  # 0-based data row where the finding is about one; run.py maps it to its physical line
    hint: str = ""  # what to do about it, where the validator can tell


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


def with_rest(listed: list[Finding], rest: int) -> list[Finding]:
    """Record on the last listed finding how many more of the same were counted but not listed."""
    if rest > 0 and listed:
        listed[-1] = replace(listed[-1], more=rest)
    return listed


def listed(table: str, rule: str, column: str, failing: pl.DataFrame, message: str, line_is_row: bool = True, hint: str = "") -> list[Finding]:
    """Turn a frame of (row index, value[, details ...]) into findings, listing at most LIMIT and counting the rest.

    `message` is formatted with the value (`{value}` or `{value!r}`) and with any further columns of the frame by
    their names (`{earlier}`); with line_is_row=False the first column is a physical line number rather than a row index.
    """
    if failing.height == 0:
        return []
    out = []
    details = failing.columns[2:]
    for idx, value, *more in failing.head(LIMIT).iter_rows():
        line, row = (idx + 2, idx) if line_is_row else (idx, None)
        text = message.format(value=shorten(value), **{name: shorten(v) for name, v in zip(details, more, strict=True)})
        out.append(Finding(rule, text, table, line, column, shorten(value), row=row, hint=hint))
    return with_rest(out, failing.height - LIMIT)

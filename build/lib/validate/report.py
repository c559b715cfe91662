"""The report: findings grouped by table with a count per rule and a one-line verdict, as text or JSON."""

from __future__ import annotations

import json
from collections import Counter

from .findings import RULES, Finding


def counts(findings: list[Finding]) -> Counter[str]:
    c: Counter[str] = Counter()
    for f in findings:
        c[f.rule] += 1 + f.more
    return c


def verdict(findings: list[Finding]) -> str:
    if not findings:
        return "VALID: no errors"
    c = counts(findings)
    return f"INVALID: {sum(c.values())} errors of {len(c)} rules in {len({f.table for f in findings})} tables or files"


def as_text(findings: list[Finding], root: str, final: str) -> str:
    lines = [f"Validating {root}"]
    by_table: dict[str, list[Finding]] = {}
    for f in findings:
        by_table.setdefault(f.table or "(package)", []).append(f)
    for table in sorted(by_table):
        items = sorted(by_table[table], key=lambda f: (f.line or 0, f.column, f.rule))
        lines.append(f"\n{table}: {sum(1 + f.more for f in items)} errors")
        for f in items:
            where = ", ".join(filter(None, [f"line {f.line}" if f.line else "", f"column {f.column}" if f.column else ""]))
            lines.append(f"  {where or 'file'}: [{f.rule}] {f.message}")
            if f.more:
                lines.append(f"  ... and {f.more} more failures of [{f.rule}] in column {f.column or '-'}, counted but not listed")
    if findings:
        lines.append("\nErrors per rule:")
        for rule, n in sorted(counts(findings).items()):
            lines.append(f"  {rule:<22} {n:>7}  {RULES[rule][1]}")
    lines.append("\n" + final)
    return "\n".join(lines)


def as_json(findings: list[Finding], root: str, final: str) -> str:
    return json.dumps({"package": root, "valid": not findings, "verdict": final,
                       "counts": dict(sorted(counts(findings).items())),
                       "errors": [f.as_dict() for f in findings]}, indent=2, ensure_ascii=False)


def render(findings: list[Finding], root: str, fmt: str, final: str | None = None) -> str:
    final = final or verdict(findings)
    return as_json(findings, root, final) if fmt == "json" else as_text(findings, root, final)

"""The report: findings grouped by table with a count per rule and a one-line verdict, as text or JSON."""

from __future__ import annotations

import json
from collections import Counter

from .findings import Finding
from .rules import catalogue

DOCS = "docs/validation.md"


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


def as_text(findings: list[Finding], root: str, final: str, versions: dict[str, str]) -> str:
    lines = [f"Validating {root} (package {versions.get('package') or '?'}, validator {versions['validator']})"]
    by_table: dict[str, list[Finding]] = {}
    for f in findings:
        by_table.setdefault(f.table or "(package)", []).append(f)
    for table in sorted(by_table):
        items = sorted(by_table[table], key=lambda f: (f.line or 0, f.column, f.rule))
        lines.append(f"\n{table}: {sum(1 + f.more for f in items)} errors")
        for f in items:
            where = ", ".join(filter(None, [f"line {f.line}" if f.line else "", f"column {f.column}" if f.column else ""]))
            lines.append(f"  {where or 'file'}: [{f.rule}] {f.message}")
            if f.hint:
                lines.append(f"      hint: {f.hint}")
            if f.more:
                lines.append(f"  ... and {f.more} more failures of [{f.rule}] in column {f.column or '-'}, counted but not listed")
    if findings:
        rules = catalogue()
        lines.append(f"\nErrors per rule (each rule is described in {DOCS}):")
        for rule_id, n in sorted(counts(findings).items()):
            lines.append(f"  {rule_id:<22} {n:>7}  {rules[rule_id].description}")
    lines.append("\n" + final)
    return "\n".join(lines)


def as_json(findings: list[Finding], root: str, final: str, versions: dict[str, str]) -> str:
    return json.dumps({"package": root, "versions": versions, "valid": not findings, "verdict": final,
                       "counts": dict(sorted(counts(findings).items())),
                       "errors": [f.as_dict() for f in findings]}, indent=2, ensure_ascii=False)


def render(findings: list[Finding], root: str, fmt: str, versions: dict[str, str], final: str | None = None) -> str:
    final = final or verdict(findings)
    return as_json(findings, root, final, versions) if fmt == "json" else as_text(findings, root, final, versions)

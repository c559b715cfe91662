"""The data dictionary, rendered from datapackage.json and the Table Schemas: `python -m validate.dictionary`.

docs/data-dictionary.md is this module's output; a test keeps it current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def constraints(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    for key, label in [("minimum", "≥"), ("maximum", "≤"), ("minLength", "length ≥"), ("maxLength", "length ≤")]:
        if key in c:
            parts.append(f"{label} {c[key]}")
    if field.get("x-partial-date"):
        parts.append("partial date")
    if field.get("x-quoted"):
        parts.append("must be in the quotes")
    return "; ".join(parts)


def render(root: Path) -> str:
    descriptor = json.loads((root / "datapackage.json").read_text("utf-8"))
    out = [f"# Data dictionary: {descriptor['name']} {descriptor['version']}", "",
           "Generated from `datapackage.json` and `schemas/` by `python -m validate.dictionary`; do not edit by hand.", ""]
    for resource in descriptor["resources"]:
        schema = json.loads((root / resource["schema"]).read_text("utf-8"))
        out += [f"## {resource['name']}", "", resource.get("description", ""), "",
                f"File `{resource['path']}`; primary key `{', '.join(schema['primaryKey'])}`."]
        if schema.get("foreignKeys") or schema.get("x-rules"):
            out.append("")
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or resource["name"]
            out.append(f"- `{', '.join(fk['fields'])}` refers to `{target}.{', '.join(fk['reference']['fields'])}`")
        for rule in schema.get("x-rules", []):
            out.append(f"- rule `{rule['rule']}`: `{json.dumps({k: v for k, v in rule.items() if k != 'rule'}, ensure_ascii=False)}`")
        out += ["", "| column | type | title | description | constraints |", "|---|---|---|---|---|"]
        for f in schema["fields"]:
            out.append(f"| `{f['name']}` | {f['type']} | {cell(f.get('title', ''))} | {cell(f.get('description', ''))} | {cell(constraints(f))} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(render(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))

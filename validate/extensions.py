"""The package's own Table Schema extensions, as a JSON Schema: frictionless ignores `x-` keys, so the
validator checks them itself before anything runs. A rule with a missing or mistyped parameter is then
`schema-invalid`, never a crash (issue 8).

| key | on | meaning |
|---|---|---|
| `x-rules` | schema | row rules (checked by pandera) and table rules (cross-table, provenance) |
| `x-quoted` | field | the field's values must occur in the row's quotes: `text`, `date` or `number`, optionally `unless` a boolean field is true |
| `x-partial-date` | field | a string date at source precision, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked for calendar validity |
| `x-cited-via` | schema | a link table whose rows are cited through this foreign-key column's parent record |
| `x-must-be-referenced` | schema | every row must be referred to by some other row of the package |
| `x-names` | schema | the fields that name a record (name, acronym ...): a foreign key to it is supported where a quote has one of them |
| `x-aliases` | schema | this table holds alternative names (`alias`) of records, each as written in one source (`source`) |
| `x-retired-ids` | schema | this table maps each retired ID (`old`) to its successor (`new`, or empty) and the `version` that retired it |
| `x-verbatim` | field | the field holds text copied verbatim from a source (quotes): exempt from the markdown rule |
"""

from __future__ import annotations

from typing import Any

NAME: dict[str, Any] = {"type": "string", "minLength": 1}
COLUMNS: dict[str, Any] = {"type": "array", "items": NAME, "minItems": 2, "uniqueItems": True}
SOME_COLUMNS: dict[str, Any] = {"type": "array", "items": NAME, "minItems": 1, "uniqueItems": True}
WHEN: dict[str, Any] = {"type": "object", "minProperties": 1,
                        "additionalProperties": {"type": "array", "minItems": 1, "items": {"type": ["string", "number", "boolean"]}}}

# rule kind -> (parameters, required parameters). Row rules are checked within a row (schema_checks.py);
# table rules need other rows or tables (integrity.py, provenance.py).
ROW_RULES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "exactly-one": ({"fields": COLUMNS}, ["fields"]),
    "not-before": ({"field": NAME, "other": NAME}, ["field", "other"]),
    "together": ({"fields": COLUMNS}, ["fields"]),
    "required-if": ({"field": NAME, "when": WHEN, "unless-explained": {"type": "boolean"}}, ["field", "when"]),
    "empty-if": ({"field": NAME, "when": WHEN}, ["field", "when"]),
    "unique-together": ({"fields": COLUMNS}, ["fields"]),
    "distinct-columns": ({"fields": COLUMNS}, ["fields"]),
    "explained-if": ({"field": NAME, "values": {"type": "array", "minItems": 1, "items": {"type": ["string", "number", "boolean"]}},
                      "columns": SOME_COLUMNS}, ["field", "values", "columns"]),
}
TABLE_RULES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "min-children": ({"table": NAME, "field": NAME, "min": {"type": "integer", "minimum": 1}, "unless": WHEN}, ["table", "field", "min"]),
    "not-after-source": ({"field": NAME, "when": WHEN}, ["field"]),
    "distinct-records": ({"fields": SOME_COLUMNS, "children": {"type": "object", "properties": {"table": NAME, "field": NAME, "fields": SOME_COLUMNS},
                                                               "required": ["table", "field", "fields"], "additionalProperties": False}},
                         ["fields"]),
}
RULE_KINDS = ROW_RULES | TABLE_RULES
QUOTED_KINDS = ["text", "date", "number"]

SCHEMA_KEYS: dict[str, Any] = {
    "x-rules": {"type": "array", "items": {"type": "object", "required": ["rule"], "properties": {"rule": {"enum": list(RULE_KINDS)}}}},
    "x-cited-via": NAME,
    "x-must-be-referenced": {"type": "boolean"},
    "x-cited-where-stated": {"type": "boolean"},
    "x-names": SOME_COLUMNS,
    "x-aliases": {"type": "object", "properties": {"alias": NAME, "source": NAME}, "required": ["alias", "source"], "additionalProperties": False},
    "x-retired-ids": {"type": "object", "properties": {"old": NAME, "new": NAME, "version": NAME}, "required": ["old", "new", "version"],
                      "additionalProperties": False},
}
FIELD_KEYS: dict[str, Any] = {
    "x-quoted": {"oneOf": [{"enum": QUOTED_KINDS},
                           {"type": "object", "properties": {"kind": {"enum": QUOTED_KINDS}, "unless": NAME},
                            "required": ["kind"], "additionalProperties": False}]},
    "x-partial-date": {"type": "boolean"},
    "x-verbatim": {"type": "boolean"},
}


def rule_schema(kind: str) -> dict[str, Any]:
    params, required = RULE_KINDS[kind]
    return {"type": "object", "properties": {"rule": {"const": kind}, **params}, "required": ["rule", *required],
            "additionalProperties": False}


def problems(schema: dict[str, Any]) -> list[str]:
    """Why the extensions of one Table Schema are malformed (shape only; model.py checks the names they use)."""
    from jsonschema import Draft202012Validator

    out = keyed(schema, SCHEMA_KEYS, "")
    for i, rule in enumerate(schema.get("x-rules", []) if isinstance(schema.get("x-rules"), list) else []):
        if isinstance(rule, dict) and rule.get("rule") in RULE_KINDS:
            out += [f"x-rules[{i}] {rule['rule']}{path(e)}: {e.message}" for e in Draft202012Validator(rule_schema(rule["rule"])).iter_errors(rule)]
    for field in schema.get("fields", []) if isinstance(schema.get("fields"), list) else []:
        if isinstance(field, dict):
            out += keyed(field, FIELD_KEYS, f"field {field.get('name')!r} ")
    return out


def keyed(spec: dict[str, Any], known: dict[str, Any], where: str) -> list[str]:
    """The x- keys of a schema or a field: known, and each of the shape its JSON Schema gives."""
    from jsonschema import Draft202012Validator

    out = []
    for key, value in spec.items():
        if key.startswith("x-"):
            if key not in known:
                out.append(f"{where}unknown extension {key!r}; known: {sorted(known)}")
            else:
                out += [f"{where}{key}{path(e)}: {e.message}" for e in Draft202012Validator(known[key]).iter_errors(value)]
    return out

def path(error: Any) -> str:
    return "".join(f"[{p!r}]" for p in error.absolute_path)

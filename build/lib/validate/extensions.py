"""The package's own Table Schema extensions (`x-rules`, `x-quoted`, `x-cited-via`, ...) are checked like
the rest of the contract: a rule that names a missing column or an unknown kind is a schema error,
reported as `schema-invalid`, never a crash or a silently skipped check."""

from __future__ import annotations

from .findings import Finding

ROW_RULES = {"exactly-one", "not-before", "together", "required-if", "unique-together"}
TABLE_RULES = {"min-children", "not-after-source"}
QUOTED_KINDS = {"text", "year", "number"}
# The tables the provenance and integrity rules are built on, by name.
SOURCES, CITATIONS, COUNTRIES = "sources", "citations", "countries"
REQUIRED_RESOURCES = (SOURCES, CITATIONS, COUNTRIES)


def rule_columns(rule: dict) -> set[str]:
    """The columns of its own table that a rule names (min-children names columns of another table)."""
    if rule.get("rule") == "min-children":
        return set()
    named = set(rule.get("fields", [])) | {rule.get("field"), rule.get("other")} | set(rule.get("when", {}))
    return named - {None}


def check_schema(name: str, schema: dict, schemas: dict[str, dict]) -> list[str]:
    """Reasons why the extensions of one schema cannot be applied; empty when they can."""
    fields = {f.get("name"): f for f in schema.get("fields", [])}
    why = []
    pk = schema.get("primaryKey")
    if not pk:
        why.append("no primaryKey: every table of this package has one")
    elif any(k not in fields for k in ([pk] if isinstance(pk, str) else pk)):
        why.append(f"primaryKey {pk} names a field the schema does not have")
    for rule in schema.get("x-rules", []):
        kind = rule.get("rule") if isinstance(rule, dict) else None
        if kind not in ROW_RULES | TABLE_RULES:
            why.append(f"x-rules: unknown rule {rule!r}")
            continue
        missing = rule_columns(rule) - set(fields)
        if missing:
            why.append(f"x-rules {kind}: no field {sorted(missing)}")
        if kind in ROW_RULES - {"not-before", "required-if"} and not rule.get("fields"):
            why.append(f"x-rules {kind}: 'fields' is missing")
        if kind == "min-children":
            child = schemas.get(rule.get("table"), {})
            child_fields = {f.get("name") for f in child.get("fields", [])}
            needed = {rule.get("field"), *rule.get("unless", {})}
            if not child or needed - child_fields or not isinstance(rule.get("min"), int):
                why.append(f"x-rules min-children: table {rule.get('table')!r} with fields {sorted(map(str, needed))} and 'min' are needed")
    for field in fields.values():
        spec = field.get("x-quoted")
        if spec is None:
            continue
        kind = spec if isinstance(spec, str) else spec.get("kind") if isinstance(spec, dict) else None
        if kind not in QUOTED_KINDS:
            why.append(f"x-quoted of {field.get('name')}: unknown kind {spec!r}")
        if isinstance(spec, dict) and spec.get("unless") and spec["unless"] not in fields:
            why.append(f"x-quoted of {field.get('name')}: no field {spec['unless']!r}")
    via = schema.get("x-cited-via")
    if via and not any(fk.get("fields") == [via] for fk in schema.get("foreignKeys", [])):
        why.append(f"x-cited-via {via!r} is not a foreign key of the table")
    return why


def check(schemas: dict[str, dict], declared: set[str]) -> tuple[set[str], list[Finding]]:
    """Returns the tables whose extensions cannot be applied, and the findings that say why."""
    found = [Finding("resource-missing", f"the package has no '{name}' resource, which the provenance and integrity rules need",
                     "datapackage.json") for name in REQUIRED_RESOURCES if name not in declared]
    bad = set()
    for name, schema in schemas.items():
        reasons = check_schema(name, schema, schemas)
        if reasons:
            bad.add(name)
            found += [Finding("schema-invalid", reason, name) for reason in reasons]
    return bad, found

"""The package, read once: `datapackage.json` and the Table Schemas parsed into a small typed model.

Every other module (the rules, the data dictionary, the docs, the benchmark, the release builder) reads
this model rather than the JSON. Keys are always lists, a foreign key's resource is always named (a
self-reference names its own table), and the package's extensions are parsed into fields. A schema that
cannot be parsed, or whose extensions are malformed (extensions.py), is `schema-invalid` and its table is
left out of the run, never a crash.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import extensions, types, verdicts
from .boundary import attempt
from .findings import Finding
from .paths import PathGuard, read_regular
from .registry import rule

SOURCES, CITATIONS, COUNTRIES = "sources", "citations", "countries"
EVENTS = "events"  # the table duplicate-event reads
CENTRAL_ASIA = ("KAZ", "UZB", "KGZ", "TJK", "TKM")  # the five states the package is about, in the order the figures and reports list them
REQUIRED_RESOURCES = (SOURCES, CITATIONS, COUNTRIES)
SHIPPED = ("datapackage.json", "README.md", "CHANGELOG.md", "LICENSE", "LICENSE-DATA", "CITATION.cff")  # top-level files a release carries
FOLDERS = ("tables", "schemas", "sources")  # every file under these is declared, or it is a finding (layout.py)
# the string fields the provenance and integrity rules read in these tables, whatever their schemas say beyond them
REQUIRED_FIELDS = {SOURCES: ("source_id", "path", "sha256"), CITATIONS: ("citation_id", "source_id", "quote"), COUNTRIES: ("country_id",)}
DATE_TYPES = ("date", "year", "yearmonth")  # besides strings marked x-partial-date: the types the date rules compare
MAX_JSON = 50 << 20  # a descriptor or schema larger than this is refused, not parsed


class Unreadable(Exception):
    """The package cannot be read at all (exit code 2)."""


@dataclass(frozen=True)
class Quoted:
    kind: str  # text, date or number
    unless: str | None = None  # a boolean field that, when true, exempts the row (a name the compilers supplied)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    constraints: dict[str, Any]
    partial_date: bool
    quoted: Quoted | None
    verbatim: bool
    raw: dict[str, Any]

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def is_text(self) -> bool:
        return self.type in ("string", "any")


@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    resource: str
    reference: list[str]


@dataclass(frozen=True)
class Table:
    name: str
    path: Path
    raw_path: str
    schema_path: str
    title: str
    description: str
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[ForeignKey]
    rules: list[dict[str, Any]]
    cited_via: str | None
    must_be_referenced: bool
    names: list[str]  # x-names: the fields that name a record
    aliases: dict[str, str] | None  # x-aliases: {"alias": field, "source": field} on the table of alternative names
    retired: dict[str, str] | None  # x-retired-ids: {"old": field, "new": field, "version": field} on the ID map
    schema: dict[str, Any]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def rules_of(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.rules if r["rule"] == kind]


@dataclass
class Package:
    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table]
    declared: list[str]  # every resource name in the descriptor, whether or not its table could be read
    paths: PathGuard = field(repr=False)

    def cited_tables(self) -> dict[str, str]:
        """Tables whose records are cited directly: table -> its key column in citations."""
        citations = self.tables.get(CITATIONS)
        if citations is None:
            return {}
        return {fk.resource: fk.fields[0] for fk in citations.foreign_keys if fk.resource != SOURCES and len(fk.fields) == 1}

    def references_to(self, table: str) -> list[tuple[str, ForeignKey]]:
        """(child table, foreign key) for every foreign key that refers to `table`."""
        return [(t.name, fk) for t in self.tables.values() for fk in t.foreign_keys if fk.resource == table]


@rule("descriptor-unreadable", "package")
def load_descriptor(guard: PathGuard) -> dict[str, Any]:
    """datapackage.json exists, is a regular file inside the package, and parses as a JSON object.

    Raises Unreadable with the reason: the run cannot go on without a descriptor (exit code 2).
    """
    path, why, _ = guard.file("datapackage.json")
    if path is None:
        raise Unreadable(f"datapackage.json: {why}")
    descriptor, why = read_json(path)
    if descriptor is None:
        raise Unreadable(f"datapackage.json: {why}")
    if not isinstance(descriptor, dict):
        raise Unreadable("datapackage.json: the top level is not a JSON object")
    return descriptor


def read_json(path: Path) -> tuple[Any, str]:
    """(parsed, "") or (None, why). Bounded in size; nesting too deep for the parser is a reason, not a crash."""
    try:
        data = read_regular(path, MAX_JSON + 1)
        if len(data) > MAX_JSON:
            return None, f"larger than {MAX_JSON >> 20} MiB"
        return json.loads(data.decode("utf-8-sig")), ""
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return None, f"not valid JSON ({type(exc).__name__}: {str(exc)[:200]})"


@functools.lru_cache(maxsize=512)
def profile_errors(kind: str, text: str) -> tuple[str, ...]:
    """frictionless's profile errors for a descriptor or Table Schema, memoised on its JSON text in the process and
    between runs (verdicts.py: the same text under the same frictionless has the same errors, so a cache keyed on
    content cannot go stale)."""
    return verdicts.cached(f"profile-{kind}", text, verdicts.code_version("frictionless"), lambda: frictionless_errors(kind, text))


def frictionless_errors(kind: str, text: str) -> tuple[str, ...]:
    from frictionless import FrictionlessException, Package, Schema

    try:
        errors = (Package if kind == "package" else Schema).metadata_validate(json.loads(text))
        return tuple(e.message for e in errors)
    except (FrictionlessException, RecursionError, TypeError, ValueError, AttributeError, KeyError) as exc:
        return (f"frictionless cannot read it: {exc}",)


@rule("descriptor-invalid", "package")
def descriptor_invalid(descriptor: dict[str, Any]) -> list[str]:
    """The descriptor is valid against the Data Package v2 profile (frictionless)."""
    messages = profile_errors("package", json.dumps(descriptor, sort_keys=True))
    return [m for m in messages if "is not safe" not in m]  # unsafe paths: path-unsafe says why, more clearly


@rule("schema-invalid", "package")
def schema_invalid(schema: Any) -> list[str]:
    """Each Table Schema parses, is valid against the Table Schema profile, has a primary key, uses only the types and
    extensions the validator implements, and names only fields and tables that exist."""
    if not isinstance(schema, dict):
        return ["the Table Schema is not a JSON object"]
    errors = list(profile_errors("schema", json.dumps(schema, sort_keys=True)))
    if errors:
        return errors
    errors = list(extension_problems(json.dumps(schema, sort_keys=True)))
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict)]
    names = [f.get("name") for f in fields]
    for f in fields:
        errors += types.unsupported(f)
        errors += pattern_errors(f)
        errors += field_name_errors(f.get("name"))
    pk = as_list(schema.get("primaryKey"))
    if not pk:
        errors.append("no primaryKey: every table of this package has one")
    errors += [f"primaryKey names a field the schema does not have: {k!r}" for k in pk if k not in names]
    for fk in schema.get("foreignKeys", []):
        errors += [f"foreignKeys: no field {k!r}" for k in as_list(fk.get("fields")) if k not in names]
    if errors:
        return errors
    return name_errors(schema, names)


@functools.lru_cache(maxsize=512)
def extension_problems(text: str) -> tuple[str, ...]:
    """extensions.problems for a Table Schema's JSON text, memoised like profile_errors (keyed also by the bytes of
    extensions.py and jsonschema's version, so an edited extension is checked afresh)."""
    salt = f"{verdicts.code_version('jsonschema')} {hashlib.sha256(Path(extensions.__file__).read_bytes()).hexdigest()}"
    return verdicts.cached("extensions", text, salt, lambda: extensions.problems(json.loads(text)))


def field_name_errors(name: Any) -> list[str]:
    """A field name polars would not read as one column by its exact name, or that the validator's own columns use."""
    if not isinstance(name, str):
        return []  # the profile says so
    if name.startswith("__"):
        return [f"field {name!r}: a name starting with '__' is reserved for the validator's own columns (such as '__row'); rename the field"]
    if name == "*" or (name.startswith("^") and name.endswith("$")):
        return [f"field {name!r}: polars reads this name as a pattern ('^...$' or '*') that selects other columns, not as one column; "
                "rename the field"]
    return []


def pattern_errors(field: dict[str, Any]) -> list[str]:
    pattern = field.get("constraints", {}).get("pattern") if isinstance(field.get("constraints"), dict) else None
    if pattern is None:
        return []
    why = pattern_refused(str(pattern))
    return [f"field {field.get('name')!r}: pattern {pattern!r} is not a valid regular expression ({why})"] if why else []


@functools.lru_cache(maxsize=4096)
def pattern_refused(pattern: str) -> str:
    """Why the Rust regex engine refuses a pattern, or "": a pure function of the pattern, so each is compiled once a
    process (the test suite loads the same schemas hundreds of times)."""
    import polars as pl

    try:
        pl.select(pl.lit("").str.contains(f"^(?:{pattern})$"))
    except Exception as exc:  # the Rust regex engine refuses it (ComputeError): report, never crash
        return str(exc)[:120]
    return ""


def name_errors(schema: dict[str, Any], names: list[str]) -> list[str]:
    """Extensions that name fields the schema does not have (their shape is already known to be right)."""
    out = []
    for rule_spec in schema.get("x-rules", []):
        kind = rule_spec["rule"]
        if kind == "min-children":
            continue  # names another table's fields: checked once every schema is read (package_errors)
        named = (set(rule_spec.get("fields", [])) | set(rule_spec.get("columns", [])) | {rule_spec.get("field"), rule_spec.get("other")}
                 | set(rule_spec.get("when", {})))
        missing = sorted(named - {None} - set(names))
        if missing:
            out.append(f"x-rules {kind}: no field {missing}")
        if (kind == "explained-if" or rule_spec.get("unless-explained")) and "note" not in names:
            out.append(f"x-rules {kind}: the table needs a 'note' field for the explanations")
    by_name = {f["name"]: f for f in schema["fields"]}
    for f in schema["fields"]:
        quoted = f.get("x-quoted")
        unless = quoted.get("unless") if isinstance(quoted, dict) else None
        if unless and by_name.get(unless, {}).get("type") != "boolean":
            out.append(f"field {f['name']!r} x-quoted: 'unless' must name a boolean field of the table, not {unless!r}")
        if f.get("x-partial-date") and f.get("type", "string") != "string":
            out.append(f"field {f['name']!r}: x-partial-date needs a string field")
    out += [f"x-names: no field {n!r}" for n in schema.get("x-names", []) if n not in by_name]
    out += [f"x-aliases: no field {n!r}" for n in (schema.get("x-aliases") or {}).values() if n not in by_name]
    out += [f"x-retired-ids: no field {n!r}" for n in (schema.get("x-retired-ids") or {}).values() if n not in by_name]
    via = schema.get("x-cited-via")
    if via and not any(as_list(fk.get("fields")) == [via] for fk in schema.get("foreignKeys", [])):
        out.append(f"x-cited-via {via!r} is not a foreign key of the table")
    return out or parameter_errors(schema, by_name)


def type_of(field: dict[str, Any]) -> str:
    return str(field.get("type", "string"))


def is_date(field: dict[str, Any]) -> bool:
    return type_of(field) in DATE_TYPES or (type_of(field) == "string" and bool(field.get("x-partial-date")))


def misfits(field: dict[str, Any], values: Any) -> list[Any]:
    """The values (an enum, a `when` list) that are not values of the field's type; all of them when they are not a list."""
    return [v for v in values if not types.fits(field, v)] if isinstance(values, list) else [values]


def parameter_errors(schema: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> list[str]:
    """Constraint and x-rules parameters checked against the types of the fields they apply to, so that no rule compares a
    column with values of another type (names and shapes are already known to be right)."""
    out = []
    for f in schema["fields"]:
        kind, constraints = type_of(f), f.get("constraints", {})
        for key in ("minimum", "maximum"):
            if key in constraints and not types.fits(f, constraints[key]):
                out.append(f"field {f['name']!r}: {key} {constraints[key]!r} is not a value of its type {kind!r}")
        if "enum" in constraints and (bad := misfits(f, constraints["enum"])):
            out.append(f"field {f['name']!r}: enum value(s) {bad!r} are not values of its type {kind!r} (an enum has one type, the field's)")
    for key in ("x-aliases", "x-retired-ids"):  # their columns are compared with IDs, which are text
        out += [f"{key}: {role} {name!r} is of type {type_of(by_name[name])!r}; it must be a string field"
                for role, name in (schema.get(key) or {}).items() if type_of(by_name[name]) not in ("string", "any")]
    for i, spec in enumerate(schema.get("x-rules", [])):
        kind = spec["rule"]
        where = f"x-rules[{i}] {kind}"
        if kind in ("not-before", "not-after-source"):
            for key in ("field", "other"):
                if key in spec and not is_date(by_name[spec[key]]):
                    out.append(f"{where}: {key} {spec[key]!r} is of type {type_of(by_name[spec[key]])!r}; the rule compares dates "
                               f"(a field of type {', '.join(DATE_TYPES)}, or a string marked x-partial-date)")
        for column, values in spec.get("when", {}).items():
            if bad := misfits(by_name[column], values):
                out.append(f"{where}: when {column!r} has value(s) {bad!r} that are not of its type {type_of(by_name[column])!r}")
        if kind == "explained-if" and (bad := misfits(by_name[spec["field"]], spec["values"])):
            out.append(f"{where}: values {bad!r} are not of the type {type_of(by_name[spec['field']])!r} of {spec['field']!r}")
        if kind == "distinct-columns" and len({types.DTYPES[type_of(by_name[c])] for c in spec["fields"]}) > 1:
            out.append(f"{where}: the fields {spec['fields']} have different types {[type_of(by_name[c]) for c in spec['fields']]}; "
                       "they name records of one kind")
    return out


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def build_table(name: str, path: Path, raw_path: str, schema_path: str, resource: dict[str, Any], schema: dict[str, Any]) -> Table:
    fields = []
    for f in schema["fields"]:
        quoted = f.get("x-quoted")
        if isinstance(quoted, str):
            quoted = Quoted(quoted)
        elif isinstance(quoted, dict):
            quoted = Quoted(quoted["kind"], quoted.get("unless"))
        fields.append(Field(f["name"], f.get("type", "string"), f.get("title", ""), f.get("description", ""),
                            dict(f.get("constraints", {})), bool(f.get("x-partial-date")), quoted, bool(f.get("x-verbatim")), f))
    fks = [ForeignKey(as_list(fk["fields"]), fk["reference"].get("resource") or name, as_list(fk["reference"]["fields"]))
           for fk in schema.get("foreignKeys", [])]
    return Table(name, path, raw_path, schema_path, str(resource.get("title", "")), str(resource.get("description", "")), fields,
                 as_list(schema.get("primaryKey")), fks, list(schema.get("x-rules", [])), schema.get("x-cited-via"),
                 bool(schema.get("x-must-be-referenced")), list(schema.get("x-names", [])), schema.get("x-aliases"),
                 schema.get("x-retired-ids"), schema)


@rule("resource-missing", "package")
def resource_missing(declared: list[str], path: Path | None = None, raw: str = "") -> list[str]:
    """Each resource's file exists, and the sources, citations and countries resources are declared."""
    if path is not None:
        return [f"file {raw} does not exist"]
    return [f"the package has no '{name}' resource, which the provenance and integrity rules need"
            for name in REQUIRED_RESOURCES if name not in declared]


def package_errors(tables: dict[str, Table], declared: list[str]) -> dict[str, list[str]]:
    """Names and types that cross schemas: foreign-key targets, their fields and types, min-children tables, and the fields
    the provenance and integrity rules read. table -> reasons."""
    out: dict[str, list[str]] = {}
    for table in tables.values():
        reasons = []
        for fk in table.foreign_keys:
            if fk.resource not in declared:
                reasons.append(f"foreignKeys {fk.fields}: refers to a resource {fk.resource!r} the package does not have")
            elif fk.resource in tables:
                target = tables[fk.resource]
                missing = [r for r in fk.reference if r not in target.field_names]
                if missing or len(fk.reference) != len(fk.fields):
                    reasons.append(f"foreignKeys {fk.fields}: {fk.resource} has no field {missing}" if missing
                                   else f"foreignKeys {fk.fields}: refers to {len(fk.reference)} fields of {fk.resource}")
                else:
                    reasons += [f"foreignKeys {fk.fields}: {c!r} is of type {a!r} but {fk.resource}.{r} is of type {b!r}; "
                                "a key and the key it refers to have one type"
                                for c, r in zip(fk.fields, fk.reference, strict=True)
                                if types.DTYPES[a := table.field(c).type] != types.DTYPES[b := target.field(r).type]]
        for spec in table.rules_of("distinct-records"):
            link = spec.get("children")
            child = tables.get(link["table"]) if link else None
            if link and (child is None or {link["field"], *link["fields"]} - set(child.field_names)):
                reasons.append(f"x-rules distinct-records: children table {link['table']!r} with fields {sorted({link['field'], *link['fields']})} is needed")
        for spec in table.rules_of("min-children"):
            child = tables.get(spec["table"])
            needed = {spec["field"], *spec.get("unless", {})}
            if child is None or needed - set(child.field_names):
                reasons.append(f"x-rules min-children: table {spec['table']!r} with fields {sorted(needed)} is needed")
                continue
            key = table.field(table.primary_key[0])
            if len(table.primary_key) != 1 or types.DTYPES[key.type] != types.DTYPES[child.field(spec["field"]).type]:
                reasons.append(f"x-rules min-children: {spec['table']}.{spec['field']} must have the type of the one-field primary key "
                               f"{table.primary_key} it counts children of")
            for column, values in spec.get("unless", {}).items():
                if bad := misfits(child.field(column).raw, values):
                    reasons.append(f"x-rules min-children: unless {column!r} has value(s) {bad!r} that are not of its type "
                                   f"{child.field(column).type!r}")
        needed = REQUIRED_FIELDS.get(table.name, ())
        if missing := [n for n in needed if n not in table.field_names or table.field(n).type not in ("string", "any")]:
            reasons.append(f"the provenance and integrity rules read the string field(s) {list(needed)} of {table.name}; "
                           f"missing or not strings: {missing}")
        if reasons:
            out[table.name] = reasons
    return out


def load(root: Path) -> tuple[Package, list[Finding]]:
    """Read the descriptor and every Table Schema once. Raises Unreadable when there is no package to read."""
    if not root.is_dir():
        raise Unreadable(f"{root}: not a folder")
    guard = PathGuard(root)
    descriptor = load_descriptor(guard)
    messages, found = attempt("descriptor-invalid", "datapackage.json", descriptor_invalid, descriptor, default=[])
    found += [Finding("descriptor-invalid", m, "datapackage.json") for m in messages]
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise Unreadable("datapackage.json: 'resources' is missing or empty")
    declared = [str(r.get("name")) for r in resources if isinstance(r, dict)]
    messages, failed = attempt("resource-missing", "datapackage.json", resource_missing, declared, default=[])
    found += failed + [Finding("resource-missing", m, "datapackage.json") for m in messages]
    tables: dict[str, Table] = {}
    for index, res in enumerate(resources):
        if not isinstance(res, dict):
            found.append(Finding("descriptor-invalid", f"resource {index} is not an object", "datapackage.json"))
            continue
        name = str(res.get("name", f"resource-{index}"))
        table, more = load_resource(guard, name, res)
        found += more
        if table is not None:
            tables[name] = table
    crossed, failed = attempt("schema-invalid", "datapackage.json", package_errors, tables, declared, default={})
    found += failed
    for name, reasons in crossed.items():
        found += [Finding("schema-invalid", reason, name) for reason in reasons]
        del tables[name]
    return Package(root, descriptor, tables, declared, guard), found


def load_resource(guard: PathGuard, name: str, res: dict[str, Any]) -> tuple[Table | None, list[Finding]]:
    if "data" in res:
        return None, [Finding("path-unsafe", "inline 'data' is not allowed; tables live in tables/", name)]
    raw_path = res.get("path")
    csv_path, why, missing = guard.file(raw_path)
    if csv_path is None:
        if missing:
            return None, [Finding("resource-missing", resource_missing([], guard.root, str(raw_path))[0], name, column="path")]
        return None, [Finding("path-unsafe", why, name, column="path", value=str(raw_path))]
    schema_ref = res.get("schema")
    if not isinstance(schema_ref, str):
        reason = "the resource has no Table Schema ('schema')" if schema_ref is None else "the Table Schema must be a file under schemas/"
        return None, [Finding("schema-invalid", reason, name)]
    schema_path, why, missing = guard.file(schema_ref)
    if schema_path is None:
        return None, [Finding("schema-invalid" if missing else "path-unsafe", why, name, column="schema", value=schema_ref)]
    schema, why = read_json(schema_path)
    if schema is None:
        return None, [Finding("schema-invalid", f"{schema_ref}: {why}", name)]
    reasons, failed = attempt("schema-invalid", name, schema_invalid, schema, default=[])
    if reasons or failed:  # a schema that cannot be checked is not used either
        return None, failed + [Finding("schema-invalid", reason, name) for reason in reasons]
    table, failed = attempt("schema-invalid", name, build_table, name, csv_path, str(raw_path), schema_ref, res, schema, default=None)
    return table, failed


@rule("validator-error", "package")
def validator_error(exc: BaseException) -> str:
    """The validator itself failed outside any rule (a bug to report): exit 2 with the error, never a traceback. A rule
    that fails is a rule-error instead, and the run goes on."""
    return f"the validator could not finish: {type(exc).__name__}: {exc}"

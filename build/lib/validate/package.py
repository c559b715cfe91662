"""Reading the descriptor and the Table Schemas, and keeping every path inside the package."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import extensions
from .findings import Finding


class Unreadable(Exception):
    """The package cannot be read at all (exit code 2)."""


@dataclass
class Table:
    name: str
    path: Path
    schema: dict
    fields: list[dict] = field(init=False)

    def __post_init__(self) -> None:
        self.fields = self.schema.get("fields", [])

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]


@dataclass
class Package:
    root: Path
    descriptor: dict
    tables: dict[str, Table]


@functools.lru_cache(maxsize=1024)
def real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def safe_path(root: Path, raw: object, real_root: str | None = None) -> tuple[Path | None, str]:
    """Resolve a descriptor path, refusing anything that could leave the package.

    Returns the path, or None and the reason. Nothing is opened and no URL is fetched.
    """
    if not isinstance(raw, str) or not raw:
        return None, f"path {raw!r} is not a non-empty string"
    if "://" in raw or raw.startswith(("http:", "https:", "ftp:", "file:")):
        return None, f"path {raw!r} is a URL; only local files inside the package are allowed"
    if os.path.isabs(raw) or raw.startswith(("\\", "~")) or (len(raw) > 1 and raw[1] == ":"):
        return None, f"path {raw!r} is absolute"
    if ".." in Path(raw).parts or "\\" in raw:
        return None, f"path {raw!r} climbs out of the package with '..' or uses backslashes"
    real_root = real_root or os.path.realpath(root)
    target = root / raw
    # one realpath per folder (cached), and one lstat for the file itself
    resolved = os.path.realpath(target) if target.is_symlink() else os.path.join(real_folder(str(target.parent)), target.name)
    if resolved != real_root and not resolved.startswith(real_root + os.sep):
        return None, f"path {raw!r} leads outside the package (through a symlink)"
    return root / raw, ""


def load_descriptor(root: Path) -> dict:
    path, why = safe_path(root, "datapackage.json")
    if path is None:
        raise Unreadable(f"datapackage.json: {why}")
    if not path.is_file():
        raise Unreadable(f"{path}: no datapackage.json in the package folder")
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Unreadable(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(descriptor, dict):
        raise Unreadable(f"{path}: the top level is not a JSON object")
    return descriptor


def check_descriptor(descriptor: dict) -> list[Finding]:
    from frictionless import Package as FrictionlessPackage  # imported lazily: 0.2 s

    return [
        Finding("descriptor-invalid", e.message, table="datapackage.json")
        for e in FrictionlessPackage.metadata_validate(descriptor)
        if "is not safe" not in e.message  # reported by path-unsafe with a clearer reason
    ]


def load_tables(root: Path, descriptor: dict) -> tuple[dict[str, Table], list[Finding]]:
    from frictionless import FrictionlessException, Schema

    findings: list[Finding] = []
    tables: dict[str, Table] = {}
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise Unreadable("datapackage.json: 'resources' is missing or empty")
    for index, res in enumerate(resources):
        if not isinstance(res, dict):
            findings.append(Finding("descriptor-invalid", f"resource {index} is not an object", table="datapackage.json"))
            continue
        name = str(res.get("name", f"resource-{index}"))
        if "data" in res:
            findings.append(Finding("path-unsafe", "inline 'data' is not allowed; tables live in tables/", table=name))
            continue
        csv_path, why = safe_path(root, res.get("path"))
        if csv_path is None:
            findings.append(Finding("path-unsafe", why, table=name, column="path", value=str(res.get("path"))))
            continue
        if not csv_path.is_file():
            findings.append(Finding("resource-missing", f"file {res.get('path')} does not exist", table=name, column="path"))
            continue
        schema_ref = res.get("schema")
        if schema_ref is None:
            findings.append(Finding("schema-invalid", "the resource has no Table Schema ('schema')", table=name))
            continue
        if isinstance(schema_ref, dict):
            schema = schema_ref
        else:
            schema_path, why = safe_path(root, schema_ref)
            if schema_path is None:
                findings.append(Finding("path-unsafe", why, table=name, column="schema", value=str(schema_ref)))
                continue
            try:
                schema = json.loads(schema_path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                findings.append(Finding("schema-invalid", f"{schema_ref}: cannot be read as JSON ({exc})", table=name))
                continue
        if not isinstance(schema, dict):
            findings.append(Finding("schema-invalid", "the Table Schema is not a JSON object", table=name))
            continue
        try:
            errors = [e.message for e in Schema.metadata_validate(schema)]
        except FrictionlessException as exc:
            errors = [str(exc)]
        if errors:
            findings.extend(Finding("schema-invalid", m, table=name) for m in errors)
            continue
        tables[name] = Table(name, csv_path, schema)
    declared = {str(r.get("name")) for r in resources if isinstance(r, dict)}
    bad, more = extensions.check({name: t.schema for name, t in tables.items()}, declared)
    return {name: t for name, t in tables.items() if name not in bad}, findings + more


def open_package(root: Path) -> tuple[Package, list[Finding]]:
    if not root.is_dir():
        raise Unreadable(f"{root}: not a folder")
    descriptor = load_descriptor(root)
    findings = check_descriptor(descriptor)
    tables, more = load_tables(root, descriptor)
    return Package(root, descriptor, tables), findings + more

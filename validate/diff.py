"""A row-level diff between two versions of the package, and the semantic-version bump it requires.

    python -m validate.diff OLD NEW [--format markdown|json]

OLD and NEW are package folders, release zips, versions of this repository (`0.3.0` or `v0.3.0`: the commit that
CHANGELOG.md records for the release, else its tag) or other git revisions (`HEAD`, a commit). Rows are
matched by primary key: per table, the rows added, removed and changed (each changed column with its old and new
value), and the schema changes. The bump follows CONVENTIONS: MAJOR for a table or column removed, renamed or
retyped; MINOR for a table, column or row added, a row removed (its ID retired) or a vocabulary widened; PATCH for
corrected values only.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from . import changelog

BUMPS = ("none", "patch", "minor", "major")
VERSION = re.compile(r"v?(\d+\.\d+\.\d+)")


@dataclass
class TableDiff:
    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list[str | None]]] = field(default_factory=dict)  # key -> column -> [old, new]
    schema: list[str] = field(default_factory=list)  # human-readable schema changes
    bump: str = "none"


@dataclass
class Diff:
    old_version: str
    new_version: str
    tables: list[TableDiff]

    @property
    def bump(self) -> str:
        return max((t.bump for t in self.tables), key=BUMPS.index, default="none")

    @property
    def retired(self) -> list[str]:
        return [key for t in self.tables for key in t.removed]


def revision(spec: str, repo: Path) -> str:
    """The git revision spec names: a version (`0.3.0`, `v0.3.0`) is the commit its CHANGELOG link reference records,
    else its tag `vX.Y.Z`; anything else is passed to git as written."""
    version = VERSION.fullmatch(spec)
    if version is None:
        return spec
    log = repo / "CHANGELOG.md"
    commit = changelog.parse(log.read_text("utf-8")).commit(version.group(1)) if log.is_file() else None
    return commit or f"v{version.group(1)}"


def materialise(spec: str, work: Path, repo: Path) -> Path:
    """A folder holding the package named by spec: a folder, a release zip, a version or a git revision."""
    path = Path(spec)
    if path.is_dir():
        return path
    if path.is_file() and zipfile.is_zipfile(path):
        target = work / "zip"
        with zipfile.ZipFile(path) as archive:
            archive.extractall(target)
        inner = [p for p in target.iterdir() if p.is_dir()]
        return inner[0] if len(inner) == 1 and not (target / "datapackage.json").exists() else target
    target = work / "rev"
    target.mkdir(parents=True)
    rev = revision(spec, repo)
    tar = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", rev, "datapackage.json", "tables", "schemas"],
                         capture_output=True, check=False)
    if tar.returncode:
        named = ""
        if VERSION.fullmatch(spec) and VERSION.fullmatch(rev):
            named = f" (CHANGELOG.md records no commit for it, and there is no tag {rev})"
        elif rev != spec:
            named = f" (the commit CHANGELOG.md records for it, {rev[:12]}, is not here: is this a full clone?)"
        raise SystemExit(f"{spec!r} is neither a folder, a zip, a version nor a git revision{named}: {tar.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(target)], input=tar.stdout, check=True)
    return target


def load(root: Path) -> tuple[dict, dict[str, dict], dict[str, pl.DataFrame]]:
    descriptor = json.loads((root / "datapackage.json").read_text("utf-8"))
    schemas, frames = {}, {}
    for resource in descriptor["resources"]:
        schemas[resource["name"]] = json.loads((root / resource["schema"]).read_text("utf-8"))
        frames[resource["name"]] = pl.read_csv(root / resource["path"], infer_schema=False)
    return descriptor, schemas, frames


def schema_changes(old: dict, new: dict) -> tuple[list[str], str]:
    old_fields = {f["name"]: f for f in old["fields"]}
    new_fields = {f["name"]: f for f in new["fields"]}
    notes, bump = [], "none"
    for name in old_fields.keys() - new_fields.keys():
        notes.append(f"column `{name}` removed")
        bump = "major"
    for name in new_fields.keys() - old_fields.keys():
        notes.append(f"column `{name}` added")
        bump = max(bump, "minor", key=BUMPS.index)
    for name in old_fields.keys() & new_fields.keys():
        a, b = old_fields[name], new_fields[name]
        if a.get("type", "string") != b.get("type", "string"):
            notes.append(f"column `{name}` retyped from {a.get('type', 'string')} to {b.get('type', 'string')}")
            bump = "major"
        old_enum, new_enum = set(a.get("constraints", {}).get("enum", [])), set(b.get("constraints", {}).get("enum", []))
        if old_enum - new_enum and new_enum:
            notes.append(f"column `{name}`: codes removed {sorted(old_enum - new_enum)}")
            bump = max(bump, "minor", key=BUMPS.index)
        if new_enum - old_enum and old_enum:
            notes.append(f"column `{name}`: codes added {sorted(new_enum - old_enum)}")
            bump = max(bump, "minor", key=BUMPS.index)
    if [f["name"] for f in old["fields"] if f["name"] in new_fields] != [f["name"] for f in new["fields"] if f["name"] in old_fields]:
        notes.append("columns reordered")
        bump = max(bump, "minor", key=BUMPS.index)
    return notes, bump


def table_diff(name: str, old_schema: dict | None, new_schema: dict | None, old: pl.DataFrame | None, new: pl.DataFrame | None) -> TableDiff:
    out = TableDiff(name)
    if old is None:
        out.schema, out.bump = ["table added"], "minor"
        out.added = new.get_column(new.columns[0]).to_list() if new is not None else []
        return out
    if new is None:
        out.schema, out.bump = ["table removed"], "major"
        return out
    out.schema, out.bump = schema_changes(old_schema, new_schema)
    pk = new_schema.get("primaryKey", [new.columns[0]])
    pk = [pk] if isinstance(pk, str) else pk
    key = pl.concat_str([pl.col(c).fill_null("") for c in pk], separator="|").alias("__key")
    a, b = old.with_columns(key), new.with_columns(key)
    out.added = b.join(a, on="__key", how="anti").get_column("__key").to_list()
    out.removed = a.join(b, on="__key", how="anti").get_column("__key").to_list()
    shared = [c for c in old.columns if c in new.columns]
    both = a.select("__key", *shared).join(b.select("__key", *shared), on="__key", suffix="__new")
    for c in shared:
        differs = both.filter(pl.col(c).ne_missing(pl.col(f"{c}__new"))).select("__key", c, f"{c}__new")
        for k, was, now in differs.iter_rows():
            out.changed.setdefault(k, {})[c] = [was, now]
    if out.added or out.removed:
        out.bump = max(out.bump, "minor", key=BUMPS.index)
    elif out.changed:
        out.bump = max(out.bump, "patch", key=BUMPS.index)
    return out


def diff(old_root: Path, new_root: Path) -> Diff:
    old_d, old_s, old_f = load(old_root)
    new_d, new_s, new_f = load(new_root)
    names = list(dict.fromkeys([*old_s, *new_s]))
    tables = [table_diff(n, old_s.get(n), new_s.get(n), old_f.get(n), new_f.get(n)) for n in names]
    return Diff(str(old_d.get("version")), str(new_d.get("version")), [t for t in tables if t.bump != "none"])


def required_bump(old_version: str, new_version: str) -> str:
    """The bump that new_version makes over old_version."""
    a, b = [tuple(int(x) for x in v.split(".")) for v in (old_version, new_version)]
    if b[0] > a[0]:
        return "major"
    if b[:2] > a[:2]:
        return "minor"
    return "patch" if b > a else "none"


def markdown(d: Diff, limit: int = 50) -> str:
    lines = [f"## Changes from {d.old_version} to {d.new_version} (requires a {d.bump} version bump)", ""]
    if not d.tables:
        lines.append("No table changed.")
    for t in d.tables:
        lines.append(f"### `{t.table}`: {len(t.added)} added, {len(t.removed)} removed, {len(t.changed)} changed ({t.bump})")
        lines += [f"- schema: {s}" for s in t.schema]
        lines += [f"- added `{k}`" for k in t.added[:limit]]
        lines += [f"- removed `{k}`" for k in t.removed[:limit]]
        for k, cols in list(t.changed.items())[:limit]:
            lines += [f"- `{k}`.`{c}`: {was!r} → {now!r}" for c, (was, now) in cols.items()]
        hidden = max(0, len(t.added) - limit) + max(0, len(t.removed) - limit) + max(0, len(t.changed) - limit)
        if hidden:
            lines.append(f"- ... and {hidden} more")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validate.diff", description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="package folder, release zip, version (0.3.0) or git revision")
    parser.add_argument("new", help="package folder, release zip, version (0.4.0) or git revision")
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        d = diff(materialise(args.old, Path(tmp) / "old", repo), materialise(args.new, Path(tmp) / "new", repo))
    print(json.dumps(asdict(d) | {"bump": d.bump}, indent=2, ensure_ascii=False) if args.format == "json" else markdown(d))
    return 0


if __name__ == "__main__":
    sys.exit(main())

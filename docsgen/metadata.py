"""The package's version and authors, written from one place into every file that repeats them.

The version is `version` in datapackage.json; the release date is the newest release heading of CHANGELOG.md; the
authors are `authors` in CITATION.cff (persons with `given-names`, `family-names` and optionally `orcid`, `email`,
`affiliation`, or entities with `name`). From them this module writes pyproject.toml's `version`, CITATION.cff's
`version` and `date-released`, .zenodo.json's `version` and `creators`, and datapackage.json's `contributors`. Each
file is edited in place: only those keys change, every other line stays as it is. The validator keeps its own version
(`validate.__version__`), which is not the package's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from validate import changelog


def authors(root: Path) -> list[dict]:
    """CITATION.cff's authors, as written there."""
    found = yaml.safe_load((root / "CITATION.cff").read_text("utf-8")).get("authors") or []
    if not found or not all(isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in found):
        raise SystemExit("CITATION.cff: authors must list at least one person (family-names) or entity (name)")
    return found


def full_name(author: dict) -> str:
    return author.get("name") or " ".join(filter(None, [author.get("given-names"), author.get("family-names")]))


def contributor(author: dict) -> dict:
    """A Data Package contributor (https://datapackage.org/standard/data-package/#contributors)."""
    out: dict = {"title": full_name(author)}
    if author.get("family-names"):
        out |= {k: author[c] for k, c in (("givenName", "given-names"), ("familyName", "family-names")) if author.get(c)}
    if author.get("orcid"):
        out["path"] = author["orcid"]
    if author.get("email"):
        out["email"] = author["email"]
    if author.get("affiliation"):
        out["organization"] = author["affiliation"]
    return out | {"roles": ["author"]}


def creator(author: dict) -> dict:
    """A Zenodo creator (`name` as 'Family, Given' for a person)."""
    if author.get("name"):
        return {"name": author["name"]}
    out: dict = {"name": ", ".join(filter(None, [author.get("family-names"), author.get("given-names")]))}
    if author.get("affiliation"):
        out["affiliation"] = author["affiliation"]
    if author.get("orcid"):
        out["orcid"] = author["orcid"].rsplit("/", 1)[-1]
    return out


def dumped(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def set_line(text: str, pattern: str, line: str, where: str) -> str:
    """text with the one line that matches pattern replaced by line."""
    new, count = re.subn(pattern, line.replace("\\", "\\\\"), text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise SystemExit(f"{where}: no line matches {pattern!r}")
    return new


def outputs(root: Path) -> dict[Path, str]:
    """The four files, each with its version, date and authors as the sources give them."""
    descriptor = json.loads((root / "datapackage.json").read_text("utf-8"))
    version = descriptor["version"]
    releases = changelog.parse((root / "CHANGELOG.md").read_text("utf-8")).releases
    people = authors(root)
    cff = (root / "CITATION.cff").read_text("utf-8")
    cff = set_line(cff, r"^version:.*$", f"version: {version}", "CITATION.cff")
    if releases:
        cff = set_line(cff, r"^date-released:.*$", f'date-released: "{releases[0].date}"', "CITATION.cff")
    zenodo = json.loads((root / ".zenodo.json").read_text("utf-8"))
    zenodo |= {"version": version, "creators": [creator(a) for a in people]}
    descriptor["contributors"] = [contributor(a) for a in people]
    pyproject = (root / "pyproject.toml").read_text("utf-8")
    head, sep, rest = pyproject.partition("[project]\n")
    if not sep:
        raise SystemExit("pyproject.toml: no [project] table")
    rest = set_line(rest, r'^version = ".*"$', f'version = "{version}"', "pyproject.toml")
    return {
        root / "CITATION.cff": cff,
        root / ".zenodo.json": dumped(zenodo),
        root / "datapackage.json": dumped(descriptor),
        root / "pyproject.toml": head + sep + rest,
    }

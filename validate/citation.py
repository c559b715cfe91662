"""How to cite one version of the package, in one sentence, from the files that hold each part of it: the title, the
authors and the licence from CITATION.cff, the version from datapackage.json, the year from the CHANGELOG's newest
release. The README (`python -m docsgen`), the release's own README and its spreadsheet all print this sentence, so
they never disagree."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import changelog


@dataclass(frozen=True)
class Citation:
    authors: str
    title: str
    version: str
    date: str  # the day the version was released (its CHANGELOG heading)
    licence: str

    def text(self) -> str:
        return f"{self.authors} ({self.date[:4]}). *{self.title}*, version {self.version} [data package]. {self.licence}."


def of(root: Path) -> Citation:
    cff = yaml.safe_load((root / "CITATION.cff").read_text("utf-8"))
    people = [a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")])) for a in cff.get("authors") or []]
    version = json.loads((root / "datapackage.json").read_text("utf-8"))["version"]
    releases = changelog.parse((root / "CHANGELOG.md").read_text("utf-8")).releases
    date = next((r.date for r in releases if r.version == version), releases[0].date if releases else "")
    return Citation(", ".join(people), str(cff.get("title", "")), str(version), str(date), str(cff.get("license", "")))

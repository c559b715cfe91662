"""The package version is semantic and equals the newest release in CHANGELOG.md."""

from __future__ import annotations

import re
from pathlib import Path

from .findings import Finding
from .package import safe_path

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+[^\]]*)\]", re.MULTILINE)


def check(root: Path, descriptor: dict) -> list[Finding]:
    version = descriptor.get("version")
    found = []
    if not isinstance(version, str) or not SEMVER.match(version):
        found.append(Finding("version-semver", f"version {version!r} is not MAJOR.MINOR.PATCH", "datapackage.json", column="version",
                             value=str(version)))
    changelog, why = safe_path(root, "CHANGELOG.md")
    if changelog is None:
        return [*found, Finding("path-unsafe", f"CHANGELOG.md: {why}", "CHANGELOG.md")]
    if not changelog.is_file():
        return [*found, Finding("version-changelog", "CHANGELOG.md is missing", "CHANGELOG.md")]
    releases = RELEASE.findall(changelog.read_text("utf-8", errors="replace"))
    if not releases:
        found.append(Finding("version-changelog", "CHANGELOG.md has no release heading '## [X.Y.Z] - YYYY-MM-DD'", "CHANGELOG.md"))
    elif releases[0] != version:
        found.append(Finding("version-changelog", f"datapackage.json version {version!r} is not the newest CHANGELOG release {releases[0]!r}",
                             "datapackage.json", column="version", value=str(version)))
    return found

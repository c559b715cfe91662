"""The version in datapackage.json and CHANGELOG.md (Keep a Changelog), parsed line by line.

The parser is a single pass over the lines with no backtracking pattern, so its time is linear in the
file's size (issue 8: an 800 KB CHANGELOG took 140 s under the old multi-line regex). It reads every
release, not only the newest: their order, their dates, the IDs each lists as retired, and the git commit each was
built from (the link reference `[X.Y.Z]: ../../tree/<commit>` at the foot of the file, which `python -m validate.diff`
and `python -m validate.release --previous` resolve a bare version number to).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import polars as pl

from .boundary import PACKAGE, run_registered
from .findings import Finding, listed
from .lazy import ENGINE
from .model import Package
from .paths import read_regular
from .registry import rule

SEMVER = re.compile(r"(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
COMMIT = re.compile(r"[0-9a-f]{40}")
MAX_CHANGELOG = 20 << 20


@dataclass
class Release:
    version: str
    date: str
    line: int
    retired: list[tuple[str, int]] = field(default_factory=list)  # (ID, line)
    commit: str | None = None  # the full git commit it was built from, from its link reference


@dataclass
class Changelog:
    releases: list[Release]
    unreleased: bool
    problems: list[tuple[int, str]]  # (line, why) for headings that cannot be read

    def commit(self, version: str) -> str | None:
        """The commit the release of this version was built from, as its link reference records it."""
        return next((r.commit for r in self.releases if r.version == version), None)


def parse(text: str) -> Changelog:
    """Release headings `## [X.Y.Z] - YYYY-MM-DD` (and `## [Unreleased]`); under each release, `### Retired` bullets
    whose first backticked word is a retired ID (`- \\`old-id\\` ...`); link references `[X.Y.Z]: .../tree/<commit>`
    (a full 40-digit commit) anywhere in the file."""
    releases: list[Release] = []
    problems: list[tuple[int, str]] = []
    unreleased = False
    section = ""
    links: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("[") and "]: " in line:
            label, target = line[1:].split("]: ", 1)
            commit = target.strip().rstrip("/").rsplit("/", 1)[-1]
            if SEMVER.fullmatch(label) and COMMIT.fullmatch(commit):
                links[label] = commit
        elif line.startswith("## "):
            section = ""
            head = line[3:].strip()
            if head.lower() == "[unreleased]":
                unreleased = True
                continue
            release = release_heading(head, number)
            if release is None:
                problems.append((number, f"cannot read the release heading {line[:80]!r}: write '## [X.Y.Z] - YYYY-MM-DD'"))
            else:
                releases.append(release)
        elif line.startswith("### "):
            section = line[4:].strip().lower()
        elif section == "retired" and releases and line.lstrip().startswith(("- ", "* ")):
            parts = line.split("`")
            if len(parts) >= 3 and parts[1]:
                releases[-1].retired.append((parts[1], number))
    for release in releases:
        release.commit = links.get(release.version)
    return Changelog(releases, unreleased, problems)


def release_heading(head: str, line: int) -> Release | None:
    if not head.startswith("[") or "]" not in head:
        return None
    version, rest = head[1:].split("]", 1)
    rest = rest.strip()
    if not SEMVER.fullmatch(version) or not rest.startswith("-"):
        return None
    date = rest[1:].strip()
    return Release(version, date, line) if DATE.fullmatch(date) else None


def semver(version: str) -> tuple[int, int, int]:
    major, minor, patch = version.split(".")
    return int(major), int(minor), int(patch)


@rule("version-semver", "versioning")
def version_semver(version: object) -> list[Finding]:
    """The datapackage.json version is semantic: MAJOR.MINOR.PATCH."""
    if isinstance(version, str) and SEMVER.fullmatch(version):
        return []
    return [Finding("version-semver", f"version {version!r} is not MAJOR.MINOR.PATCH", "datapackage.json", column="version", value=str(version))]


@rule("version-changelog", "versioning")
def version_changelog(version: object, log: Changelog) -> list[Finding]:
    """The version equals the newest release in CHANGELOG.md, and every release heading there can be read."""
    found = [Finding("version-changelog", why, "CHANGELOG.md", line) for line, why in log.problems]
    if not log.releases:
        found.append(Finding("version-changelog", "CHANGELOG.md has no release heading '## [X.Y.Z] - YYYY-MM-DD'", "CHANGELOG.md"))
    elif log.releases[0].version != version:
        found.append(Finding("version-changelog", f"datapackage.json version {version!r} is not the newest CHANGELOG release "
                             f"{log.releases[0].version!r}", "datapackage.json", column="version", value=str(version)))
    return found


@rule("changelog-order", "versioning")
def changelog_order(log: Changelog) -> list[Finding]:
    """Releases are listed newest first: each version and date is below the one above it (dates may repeat)."""
    found = []
    for newer, older in zip(log.releases, log.releases[1:], strict=False):
        if semver(older.version) >= semver(newer.version):
            found.append(Finding("changelog-order", f"release {older.version} is listed below {newer.version}: newest first, no repeats",
                                 "CHANGELOG.md", older.line, value=older.version))
        elif older.date > newer.date:
            found.append(Finding("changelog-order", f"release {older.version} ({older.date}) is dated after the newer {newer.version} "
                                 f"({newer.date})", "CHANGELOG.md", older.line, value=older.date))
    return found


@rule("changelog-date", "versioning")
def changelog_date(log: Changelog, today: dt.date) -> list[Finding]:
    """Each release date is a real calendar date, and none is in the future."""
    found = []
    for release in log.releases:
        try:
            when = dt.date.fromisoformat(release.date)
        except ValueError:
            found.append(Finding("changelog-date", f"release {release.version}: {release.date!r} is not a real date", "CHANGELOG.md",
                                 release.line, value=release.date))
            continue
        if when > today:
            found.append(Finding("changelog-date", f"release {release.version} is dated {release.date}, after today ({today})",
                                 "CHANGELOG.md", release.line, value=release.date))
    return found


@rule("retired-id-reused", "versioning")
def retired_id_reused(package: Package, frames: dict[str, pl.DataFrame], log: Changelog) -> list[Finding]:
    """An ID the CHANGELOG lists as retired is never used again as a primary key (IDs are never reused)."""
    retired = {rid: (release.version, line) for release in log.releases for rid, line in release.retired}
    if not retired:
        return []
    found: list[Finding] = []
    for name, frame in frames.items():
        pk = package.tables[name].primary_key
        if len(pk) != 1 or package.tables[name].retired:
            continue
        hit = frame.with_row_index("__row").filter(pl.col(pk[0]).cast(pl.String).is_in(list(retired))).select("__row", pk[0])
        found += listed(name, "retired-id-reused", pk[0], hit, "{value!r} is listed as retired in CHANGELOG.md and must not be used again")
    return found


@rule("retired-id-map", "versioning")
def retired_id_map(package: Package, frames: dict[str, pl.DataFrame], log: Changelog) -> list[Finding]:
    """The ID map (the table marked `x-retired-ids`) lists exactly the IDs the CHANGELOG retires, each with the version
    that retired it, and each successor it names is an ID of the package: a researcher who cited an older release can
    follow every record."""
    table = next((t for t in package.tables.values() if t.retired and t.name in frames), None)
    if table is None:
        return []
    spec, frame = table.retired, frames[table.name].with_row_index("__row")
    in_log = {rid: release.version for release in log.releases for rid, _ in release.retired}
    found: list[Finding] = []
    mapped = dict(frame.select(pl.col(spec["old"]), pl.col(spec["version"])).iter_rows())
    wrong = frame.filter(~pl.col(spec["old"]).is_in(list(in_log)) | pl.col(spec["old"]).replace_strict(in_log, default=None).ne_missing(pl.col(spec["version"])))
    found += listed(table.name, "retired-id-map", spec["old"], wrong.select("__row", spec["old"]),
                    "{value!r} is not retired under this version in CHANGELOG.md")
    for rid, version in in_log.items():
        if rid not in mapped:
            found.append(Finding("retired-id-map", f"{rid!r}, retired in {version} by CHANGELOG.md, is not in {table.name}", table.name,
                                 column=spec["old"], value=rid))
    if set(package.declared) - set(frames):
        return found  # a table that could not be read may hold the successors: its own findings say why
    keys = [f.lazy().select(pl.col(package.tables[name].primary_key[0]).cast(pl.String).alias("__key")) for name, f in frames.items()
            if name != table.name and len(package.tables[name].primary_key) == 1]
    every = pl.concat(keys).drop_nulls().unique() if keys else pl.LazyFrame(schema={"__key": pl.String})
    dangling = (frame.lazy().filter(pl.col(spec["new"]).is_not_null()).join(every, left_on=pl.col(spec["new"]).cast(pl.String), right_on="__key", how="anti")
                .select("__row", spec["new"]).sort("__row").collect(engine=ENGINE))
    found += listed(table.name, "retired-id-map", spec["new"], dangling, "{value!r}, named as a successor, is no ID of the package")
    return found


def read(package: Package) -> tuple[Changelog | None, list[Finding]]:
    path, why, missing = package.paths.file("CHANGELOG.md")
    if path is None:
        return None, [Finding("version-changelog" if missing else "path-unsafe", f"CHANGELOG.md: {why}", "CHANGELOG.md")]
    data = read_regular(path, MAX_CHANGELOG + 1)
    if len(data) > MAX_CHANGELOG:
        return None, [Finding("version-changelog", f"CHANGELOG.md is larger than {MAX_CHANGELOG >> 20} MiB", "CHANGELOG.md")]
    return parse(data.decode("utf-8", errors="replace")), []


def check(package: Package, frames: dict[str, pl.DataFrame], today: dt.date | None = None) -> list[Finding]:
    """Every rule registered here, each through the error boundary; those that read the CHANGELOG only where it could be read."""
    log, found = read(package)
    inputs = {"package": package, "frames": frames, "version": package.descriptor.get("version"), "today": today or dt.datetime.now(dt.UTC).date()}
    return found + run_registered(__name__, PACKAGE, **inputs, **({"log": log} if log is not None else {}))

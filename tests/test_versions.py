"""Versions you can name and one version story: every release recorded at its commit and dated by it, the README's diff
command run as written against this repository's history, the versions and authors equal wherever they are repeated,
and an install extra for what the README's examples import."""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import tomllib
from importlib.metadata import packages_distributions

import pytest
import yaml
from conftest import ROOT

from validate import changelog, diff


def git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr.strip()} (the tests need a clone with its full history)"
    return done.stdout.strip()


def releases() -> list[changelog.Release]:
    return changelog.parse((ROOT / "CHANGELOG.md").read_text("utf-8")).releases


def test_the_readme_diff_command_runs_as_written(capsys):
    """The command after <!-- diff-command -->, exactly as the README writes it, in-process on this repository."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"<!-- diff-command -->\n```sh\n(.*?)\n```", readme, flags=re.DOTALL)
    assert block, "the README shows its diff command in a sh block after <!-- diff-command -->"
    argv = shlex.split(block.group(1))
    assert argv[:3] == ["python", "-m", "validate.diff"] and len(argv) == 5, argv
    old, new = (a.removeprefix("v") for a in argv[3:])
    assert diff.main(argv[3:]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"## Changes from {old} to {new} "), out[:200]
    assert "No table changed." not in out


def test_every_release_is_recorded_at_a_commit_of_its_version_and_dated_by_it():
    """Each release but the newest (recorded in the commit after its tag) names its commit: a commit of this history
    whose datapackage.json carries that version and whose CHANGELOG's newest release is it, made on the heading's date;
    a tag of the version, where there is one, is that commit."""
    found = releases()
    assert len(found) >= 4
    for release in found[1:]:
        assert release.commit, f"CHANGELOG.md records no commit for {release.version}: add [{release.version}]: ../../tree/<commit>"
    for release in found:
        if release.commit is None:
            continue
        commit = release.commit
        git("merge-base", "--is-ancestor", commit, "HEAD")
        assert json.loads(git("show", f"{commit}:datapackage.json"))["version"] == release.version, release
        assert changelog.parse(git("show", f"{commit}:CHANGELOG.md")).releases[0].version == release.version, release
        assert git("log", "-1", "--format=%cs", commit) == release.date, f"{release.version} is dated {release.date}, its commit is not"
        if git("tag", "--list", f"v{release.version}"):
            assert git("rev-parse", f"v{release.version}^{{commit}}") == commit, f"tag v{release.version} is not the recorded commit"


def test_a_version_is_its_recorded_commit_else_its_tag(tmp_path):
    recorded = {r.version: r.commit for r in releases() if r.commit}
    version, commit = next(iter(recorded.items()))
    assert diff.revision(version, ROOT) == diff.revision(f"v{version}", ROOT) == commit
    assert diff.revision("HEAD", ROOT) == "HEAD" and diff.revision("1.2", ROOT) == "1.2"
    (tmp_path / "CHANGELOG.md").write_text("## [1.2.0] - 2026-01-01\n", "utf-8")
    assert diff.revision("1.2.0", tmp_path) == "v1.2.0"
    assert json.loads((diff.materialise(version, tmp_path / "work", ROOT) / "datapackage.json").read_text("utf-8"))["version"] == version
    with pytest.raises(SystemExit, match=r"records no commit for it, and there is no tag v9\.9\.9"):
        diff.materialise("9.9.9", tmp_path / "none", ROOT)


def test_link_references_give_each_release_its_commit():
    sha = "0123456789abcdef0123456789abcdef01234567"
    text = (f"## [Unreleased]\n\n## [1.1.0] - 2026-01-02\n\n### Retired\n- `old-id` (t): why\n[1.1.0]: ../../tree/{sha}\n"
            f"\n## [1.0.0] - 2026-01-01\n\n[1.0.0]: https://example.org/tree/{sha[:7]}\n[notes]: ../../tree/{sha}\n")
    log = changelog.parse(text)
    assert [(r.version, r.commit) for r in log.releases] == [("1.1.0", sha), ("1.0.0", None)]  # a short commit is not recorded
    assert log.releases[0].retired == [("old-id", 6)] and not log.problems


def test_one_version_where_it_is_repeated_and_the_validator_apart():
    import validate

    version = json.loads((ROOT / "datapackage.json").read_text("utf-8"))["version"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"] == version
    assert cff["version"] == version == json.loads((ROOT / ".zenodo.json").read_text("utf-8"))["version"]
    assert str(cff["date-released"]) == releases()[0].date
    assert re.fullmatch(r"\d+\.\d+\.\d+", validate.__version__)


def test_one_author_list():
    """CITATION.cff lists the authors; .zenodo.json, datapackage.json and the README's citation name the same."""
    from docsgen import metadata

    people = metadata.authors(ROOT)
    zenodo = json.loads((ROOT / ".zenodo.json").read_text("utf-8"))["creators"]
    contributors = json.loads((ROOT / "datapackage.json").read_text("utf-8"))["contributors"]
    assert zenodo == [metadata.creator(a) for a in people]
    assert [c["title"] for c in contributors] == [metadata.full_name(a) for a in people]
    cite = (ROOT / "README.md").read_text("utf-8").split("## Cite it", 1)[1].split("\n## ", 1)[0]
    assert all(metadata.full_name(a) in cite for a in people)
    person = {"given-names": "Ada", "family-names": "Lovelace", "orcid": "https://orcid.org/0000-0002-1825-0097", "affiliation": "X"}
    assert metadata.creator(person) == {"name": "Lovelace, Ada", "affiliation": "X", "orcid": "0000-0002-1825-0097"}
    assert metadata.contributor(person)["title"] == "Ada Lovelace"


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[;\s]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_the_examples_extra_brings_what_the_examples_import():
    """Every module the README's (and docs/examples.md's) Python examples import is a dependency or in the `examples`
    extra; the extra also brings DuckDB for the SQL and Datasette for the release's database; `test` includes it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project["optional-dependencies"]
    available = _names(project["dependencies"]) | _names(extras["examples"])
    assert {"duckdb", "datasette", "pandas"} <= _names(extras["examples"])
    assert f"{project['name']}[examples]" in extras["test"]
    pages = [ROOT / "README.md", *[p for p in [ROOT / "docs" / "examples.md"] if p.is_file()]]
    imported = set()
    for page in pages:
        for block in re.findall(r"```python\n(.*?)```", page.read_text("utf-8"), flags=re.DOTALL):
            for node in ast.walk(ast.parse(block)):
                if isinstance(node, ast.Import):
                    imported |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    imported.add((node.module or "").split(".")[0])
    imported -= {"validate", "pathlib", "json", "datetime", "re", "collections", "itertools", "sqlite3", "csv"}
    distributions = packages_distributions()
    missing = {m for m in imported if not _names(distributions.get(m, [m])) & available}
    assert {"polars", "pandas", "frictionless"} <= imported
    assert not missing, f"the README's examples import {sorted(missing)}, which neither the dependencies nor the examples extra install"

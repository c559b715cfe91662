"""Shared fixtures: fresh copies of the real package and of the small fixture package, and in-process validator runs."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from validate.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixture"
PACKAGE_FILES = ["datapackage.json", "CHANGELOG.md", "tables", "schemas", "sources"]
RELEASE_FILES = ["README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", ".zenodo.json"]


@dataclass
class Result:
    code: int
    report: dict
    stdout: str
    stderr: str

    def rules(self) -> set[str]:
        return {e["rule"] for e in self.report.get("errors", [])}

    def at(self, rule: str) -> list[dict]:
        return [e for e in self.report.get("errors", []) if e["rule"] == rule]


def copy_package(dest: Path, source: Path = ROOT) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PACKAGE_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copyfile(src, dest / name)
    return dest


def release_copy(dest: Path) -> Path:
    """A copy of the package with the files a release also carries."""
    copy_package(dest)
    for name in RELEASE_FILES:
        shutil.copyfile(ROOT / name, dest / name)
    return dest


def run_validator(path: Path, *args: str) -> Result:
    """Run the command line in-process (fast); the JSON report is parsed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(path), "--format", "json", *args])
    text = out.getvalue()
    report = json.loads(text) if text.strip() else {}
    return Result(code, report, text, err.getvalue())


def run_subprocess(path: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validate", str(path), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, check=False, stdin=subprocess.DEVNULL)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the real package."""
    return copy_package(tmp_path / "pkg")


@pytest.fixture
def fixture(tmp_path: Path) -> Path:
    """A copy of the fixture package."""
    return copy_package(tmp_path / "fixture", FIXTURE)

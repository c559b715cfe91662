"""Shared fixtures: fresh copies of the real package and of the small fixture package, and in-process validator runs."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest


def _one_polars_thread_per_worker() -> None:
    """Under pytest-xdist the workers already fill the cores: a polars pool per worker only adds context switches on
    the suite's small frames (about 10% of the fault corpus's CPU). polars reads the variable when it is imported, so
    this runs before anything imports it (conftest is imported before the test modules, and imports the validator
    lazily); it is then unset, so that a child process (`python -m validate`, the memory test) has polars' defaults."""
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) < 2 or "POLARS_MAX_THREADS" in os.environ or "polars" in sys.modules:
        return
    os.environ["POLARS_MAX_THREADS"] = "1"
    try:
        import polars

        polars.thread_pool_size()
    finally:
        del os.environ["POLARS_MAX_THREADS"]


_one_polars_thread_per_worker()
# each test process keeps its verdict cache (validate/verdicts.py) in a folder of its own, never the user's
os.environ.setdefault("CAS_CACHE_DIR", tempfile.mkdtemp(prefix="cas-verdicts-"))

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
    """Real copies, never links (the validator refuses a symlink out of the package, and an edit must not reach the
    original); contents only, since nothing reads a file's times or mode, which makes the copy 2-3x faster than copy2."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PACKAGE_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, dest / name, copy_function=shutil.copyfile)
        else:
            shutil.copyfile(src, dest / name)
    return dest


def release_copy(dest: Path) -> Path:
    """A copy of the package with the files a release also carries (its top-level files and the docs its README links)."""
    from validate.datareadme import DOCS

    copy_package(dest)
    for name in [*RELEASE_FILES, *DOCS]:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, dest / name)
    return dest


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """`python -m validate ARGV` in-process: the process exits with what main returns, so its return is the exit code."""
    from validate.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return subprocess.CompletedProcess(["python", "-m", "validate", *argv], code, out.getvalue(), err.getvalue())


def run_validator(path: Path, *args: str) -> Result:
    """Run the command line in-process (fast); the JSON report is parsed."""
    done = run_cli(str(path), "--format", "json", *args)
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    return Result(done.returncode, report, done.stdout, done.stderr)


def run_subprocess(path: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """A real `python -m validate`, for the few tests of the command line itself; every other test runs in-process.
    The timeout only stops a hung run: it is far beyond any run on a loaded machine, and nothing is tested against it."""
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


@pytest.fixture(scope="session")
def release_build(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the package with its release built in its dist/: (package, dist). Built once per run and shared by the
    xdist workers: the first to need it builds it while holding a file lock, and the others wait on the lock (never on
    a clock). Only read it: copy what a test changes."""
    import fcntl

    from validate import release

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the run's own folder, above the workers'
    done = shared / "release-build"
    with open(shared / "release-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_dir():
            building = Path(tempfile.mkdtemp(prefix="release-build-", dir=shared))  # renamed once whole: never seen half-built
            root = release_copy(building / "pkg")
            release.build(root, root / "dist")
            building.rename(done)
    return done / "pkg", done / "pkg" / "dist"

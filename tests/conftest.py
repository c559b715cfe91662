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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


def _one_core_and_one_polars_thread_per_worker() -> None:
    """Under pytest-xdist the workers already fill the cores: a polars pool per worker only adds context switches on
    the suite's small frames (about 10% of the fault corpus's CPU). Each worker is also pinned to a core of its own
    (where the operating system allows it): polars hands every query to its pool's thread, and on the suite's frames of
    a few rows that hand-over, not the query, is most of the cost; between two threads on one core it is a context
    switch instead of a wake-up of another core, which took a filter of 100 rows from 190 to 110 us, a fault run from
    300 to 190 ms of CPU and the suite from 58 to 50 s on two cores. polars reads the variable when it is imported, so
    this runs before anything imports it (conftest is imported before the test modules, and imports the validator
    lazily), and before polars starts its pool (a thread takes the cores of the thread that starts it); the variable is
    then unset, so that a child process (`python -m validate`, the memory test) sizes polars' pool as polars does, to the
    one core it inherits from its worker (the other core is the other worker's). Timings and peak memory measured in a
    child are therefore those of a one-core machine; no test depends on them beyond a generous bound."""
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) < 2 or "POLARS_MAX_THREADS" in os.environ or "polars" in sys.modules:
        return
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
        os.sched_setaffinity(0, {cores[worker % len(cores)]})
    os.environ["POLARS_MAX_THREADS"] = "1"
    try:
        import polars

        polars.thread_pool_size()
    finally:
        del os.environ["POLARS_MAX_THREADS"]


_one_core_and_one_polars_thread_per_worker()


def _one_verdict_cache_per_run() -> str | None:
    """The verdict cache (validate/verdicts.py) of a run is a folder of its own, never the user's, shared by the run's
    processes: the first process to import this file (pytest's main process, before it starts the xdist workers) makes
    it, the workers and the validator's child processes inherit it, and that process removes it when the run ends
    (pytest_unconfigure). Sharing is exact: a verdict is keyed by the document's text and the checking code's version,
    and written whole (a temporary file renamed), so a worker reads what any other would have computed, or computes it.
    Returns the folder this process made, None where it was given one."""
    if "CAS_CACHE_DIR" in os.environ:
        return None
    os.environ["CAS_CACHE_DIR"] = tempfile.mkdtemp(prefix="cas-verdicts-")
    return os.environ["CAS_CACHE_DIR"]


_OWN_VERDICT_CACHE = _one_verdict_cache_per_run()


def _hypothesis_the_same_on_every_run() -> None:
    """The suite's property tests draw the same examples on every run (a failure reproduces, CI never goes red at random),
    keep no example database, and never fail on a clock: no deadline, and no health check for slow data generation, which
    a busy machine would trip. A test's own @settings still set what they name; this is what the others inherit (conftest
    is imported before the test modules, whose @settings take their defaults from the profile loaded then)."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("suite", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("suite")


_hypothesis_the_same_on_every_run()


def pytest_unconfigure(config) -> None:
    if _OWN_VERDICT_CACHE:
        shutil.rmtree(_OWN_VERDICT_CACHE, ignore_errors=True)

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


_TREES: dict[Path, list[tuple[str, bytes | None]]] = {}


def _package_tree(source: Path) -> list[tuple[str, bytes | None]]:
    """(relative path, bytes, or None for a folder) of a package's files, read once a process: the suite copies the
    fixture some 250 times and never changes the originals."""
    if source not in _TREES:
        tree: list[tuple[str, bytes | None]] = []
        for name in PACKAGE_FILES:
            src = source / name
            if src.is_dir():
                tree.append((name, None))
                for path in sorted(src.rglob("*")):
                    tree.append((str(path.relative_to(source)), None if path.is_dir() else path.read_bytes()))
            else:
                tree.append((name, src.read_bytes()))
        _TREES[source] = tree
    return _TREES[source]


def copy_package(dest: Path, source: Path = ROOT) -> Path:
    """Real copies, never links (the validator refuses a symlink out of the package, and an edit must not reach the
    original); contents only (nothing reads a file's times or mode), written from the bytes read once a process."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in _package_tree(source):
        if data is None:
            (dest / name).mkdir(exist_ok=True)
        else:
            (dest / name).write_bytes(data)
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


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name`, made by make(folder) once per run and shared by the xdist workers: the first to need it makes it
    while holding a file lock, and the others wait on the lock (never on a clock). make writes into a fresh folder that is
    renamed once whole, so a folder is never seen half made, and one that failed is made again by the next to need it.
    Only read it: copy what a test changes."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the run's own folder, above the workers'
    done = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_dir():
            making = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=shared))
            make(making)
            making.rename(done)
    return done


@pytest.fixture(scope="session")
def release_build(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the package with its release built in its dist/: (package, dist), built once per run (once_per_run)."""
    from validate import release

    def make(folder: Path) -> None:
        root = release_copy(folder / "pkg")
        release.build(root, root / "dist")

    done = once_per_run(tmp_path_factory, "release-build", make)
    return done / "pkg", done / "pkg" / "dist"

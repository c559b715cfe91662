"""Benchmark of `python -m validate` against frictionless and a bare polars read, on synthetic packages.

    .venv/bin/python bench/run.py                       # scales 10k, 100k, 1M rows
    .venv/bin/python bench/run.py --scales 10000 100000 --skip-frictionless
    .venv/bin/python bench/run.py --big                 # adds 4M rows
    .venv/bin/python bench/run.py --ref HEAD --data-ref HEAD   # validator and package as committed, while others edit

For each scale: generate a clean package (bench/synth.py) and require our validator to find it
valid; copy it and plant eight defects at known rows (five that frictionless can also see); then time `python -m validate`,
`frictionless validate` and a typed polars read (bench/polars_read.py) on that copy, each in its own
child process (wall time, peak RSS from os.wait4), and check which planted defects each tool reports.
Prints a Markdown table; exits 1 when our validator misses a planted defect or reports an error on
a clean package, when frictionless misses a planted defect that its own rules cover, or when our time or peak
memory grows faster than linear between two scales of 100,000 rows or more (`growth_failures`). Packages
are written under bench/out/ (git-ignored) and removed unless --keep.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import measure
import synth

from docsgen import performance

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = REPO / ".venv" / "bin" / "python"
FRICTIONLESS = REPO / ".venv" / "bin" / "frictionless"
DEFAULT_SCALES = [10_000, 100_000, 1_000_000]
BIG = 4_000_000


@dataclass
class Row:
    label: str
    rows: int
    csv_mb: float
    ours: measure.Measured
    frictionless: measure.Measured | None
    polars: measure.Measured
    ours_clean: measure.Measured | None = None
    generate_s: float | None = None
    caught_ours: list[str] = field(default_factory=list)
    caught_frictionless: list[str] | None = None
    planted: int = 0


def python() -> str:
    return str(PYTHON if PYTHON.exists() else Path(sys.executable))


VALIDATOR = {"cwd": REPO}  # the folder `python -m validate` runs from: the working tree, or a git ref extracted by --ref
DATA = {"root": REPO}  # the real package that is timed and grown: the working tree, or a git ref extracted by --data-ref


def ours(root: Path, fmt: str = "json") -> measure.Measured:
    return measure.run([python(), "-m", "validate", str(root.resolve()), "--format", fmt], VALIDATOR["cwd"])


def extract_ref(ref: str, out: Path) -> Path:
    """validate/ as of a git ref, extracted read-only from the repository into out/ref-<ref>/ (nothing in the repo changes)."""
    target = out / f"ref-{ref.replace('/', '_')}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", ref, "validate"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def extract_data(ref: str, out: Path) -> Path:
    """The whole package as of a git ref, extracted read-only into out/data-<ref>/: a stable package to grow while the
    working tree's tables are being edited (nothing in the repo changes)."""
    target = out / f"data-{ref.replace('/', '_')}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", ref], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def frictionless(root: Path) -> measure.Measured:
    exe = str(FRICTIONLESS) if FRICTIONLESS.exists() else shutil.which("frictionless") or "frictionless"
    return measure.run([exe, "validate", str(root / "datapackage.json"), "--json"], REPO)


def polars_read(root: Path) -> measure.Measured:
    return measure.run([python(), str(BENCH / "polars_read.py"), str(root)], REPO)


def csv_mb(root: Path) -> float:
    return sum((root / r["path"]).stat().st_size for r in synth.resources(root)) / 1e6


def parse_json(m: measure.Measured, tool: str) -> dict:
    try:
        return json.loads(m.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"{tool} printed no JSON (exit {m.exit_code}):\n{m.stdout[-2000:]}\n{m.stderr[-2000:]}") from None


def caught_by_ours(report: dict, defects: list[synth.Defect]) -> list[str]:
    return [d.id for d in defects
            if any(e["rule"] in d.ours and e["table"] == d.table and d.at(e["line"]) for e in report["errors"])]


def caught_by_frictionless(report: dict, defects: list[synth.Defect]) -> list[str]:
    errors = [(task["name"], e) for task in report.get("tasks", []) for e in task.get("errors", [])]
    return [d.id for d in defects
            if any(e.get("type") in d.frictionless and name == d.table and d.at(e.get("rowNumber")) for name, e in errors)]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench_scale(target: int, out: Path, skip_frictionless: bool, failures: list[str], model: str = "replicated") -> Row:
    where = out / f"rows-{target}-{model}"
    clean, damaged = where / "clean", where / "defects"
    start = time.perf_counter()
    generated = synth.generate(DATA["root"], clean, target, model)
    generate_s = time.perf_counter() - start
    log(f"[{target:,}] generated {generated.total_rows:,} rows ({generated.replicas} replicas) in {generate_s:.1f} s: {generated.rows}")

    clean_run = ours(clean)
    report = parse_json(clean_run, "python -m validate")
    if clean_run.exit_code != 0:
        failures.append(f"{target:,} rows: our validator reports errors on the clean package: {report['counts']}")
        for e in report["errors"][:10]:
            log(f"  {e['rule']} {e['table']} line {e['line']} {e['column']}: {e['message']}")
    log(f"[{target:,}] ours on the clean package: exit {clean_run.exit_code}, {clean_run.seconds:.2f} s, {clean_run.peak_mb:.0f} MB")

    synth.copy_package(clean, damaged)
    defects = synth.plant_defects(damaged)
    for d in defects:
        log(f"  planted {d.id}: {d.table} line {d.line} {d.column} = {d.value!r}")

    mine = ours(damaged)
    damaged_report = parse_json(mine, "python -m validate")
    found = caught_by_ours(damaged_report, defects)
    missed = [d.id for d in defects if d.id not in found]
    if missed or mine.exit_code != 1:
        failures.append(f"{target:,} rows: our validator missed {missed} (exit {mine.exit_code}: {damaged_report['verdict']}"
                        + "".join(f"; {e['message']}" for e in damaged_report["errors"] if e["rule"] == "descriptor-unreadable") + ")")
    log(f"[{target:,}] ours: {mine.seconds:.2f} s, {mine.peak_mb:.0f} MB, caught {found}")

    theirs, found_fr = None, None
    if not skip_frictionless:
        theirs = frictionless(damaged)
        found_fr = caught_by_frictionless(parse_json(theirs, "frictionless"), defects)
        log(f"[{target:,}] frictionless: {theirs.seconds:.2f} s, {theirs.peak_mb:.0f} MB, caught {found_fr}")
        should = [d.id for d in defects if d.frictionless and d.id not in found_fr]
        if should:
            failures.append(f"{target:,} rows: frictionless missed {should}, which its rules cover")
    floor = polars_read(damaged)
    if floor.exit_code != 0:
        failures.append(f"{target:,} rows: the polars read failed: {floor.stderr[-500:]}")
    log(f"[{target:,}] polars read: {floor.seconds:.2f} s, {floor.peak_mb:.0f} MB")
    return Row(f"{target:,} ({model})", generated.total_rows, csv_mb(damaged), mine, theirs, floor, clean_run, generate_s, found, found_fr,
               len(defects))


REAL_RUNS = 5  # the real package's runs take about a second, where one run's noise is a tenth of that: the median of five


def median_run(runs: list[measure.Measured]) -> measure.Measured:
    """The run with the median time (an odd number of runs), whole: its time, memory and output belong together."""
    return sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]


def bench_real(skip_frictionless: bool, failures: list[str]) -> Row:
    """The real package, each tool run REAL_RUNS times in turn (a warm-up of ours first: it compiles the extracted code)."""
    real = DATA["root"]
    ours(real, "text")
    runs: dict[str, list[measure.Measured]] = {"ours": [], "frictionless": [], "polars": []}
    for _ in range(REAL_RUNS):
        runs["ours"].append(ours(real, "text"))
        if not skip_frictionless:
            runs["frictionless"].append(frictionless(real))
        runs["polars"].append(polars_read(real))
    mine = median_run(runs["ours"])
    if any(m.exit_code != 0 for m in runs["ours"]):
        failures.append(f"the real package does not validate (exit {mine.exit_code})")
    theirs = median_run(runs["frictionless"]) if runs["frictionless"] else None
    rows = sum(synth.read_strings(real / r["path"]).height for r in synth.resources(real))
    return Row("real package", rows, csv_mb(real), mine, theirs, median_run(runs["polars"]))


def write_docs(results: list[dict], growth: list[str], growth_missed: list[str], docs: Path) -> None:
    """Record the run in docs/performance.json (with the date and the machine) and render docs/performance.md's tables
    from it; `python -m docsgen` renders the README's summary from the same record. `growth` and `growth_missed` are the
    linear-growth gate's measurements that passed and that failed: both are recorded, so that a failed gate is shown."""
    import datetime as dt
    import os
    import platform

    import polars as pl

    record = {"date": dt.datetime.now(dt.UTC).date().isoformat(),
              "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, polars {pl.__version__}",
              "results": [r | {k: {**r[k], "stderr": None} if r[k] else None for k in ("ours", "polars", "frictionless")} for r in results],
              "growth": growth, "growth_missed": growth_missed}
    (docs.parent / "performance.json").write_text(json.dumps(record, indent=2) + "\n", "utf-8")
    docs.write_text(performance.performance_page(REPO, docs.read_text("utf-8")), "utf-8")


def profile(root: Path, out: Path) -> str:
    """Where our validator spends its time: cProfile of one run, the validate/ and pandera calls by cumulative time."""
    prof = out / "validate.prof"
    measure.run([python(), "-m", "cProfile", "-o", str(prof.resolve()), "-m", "validate", str(root.resolve())], VALIDATOR["cwd"])
    code = ("import pstats, sys; s = pstats.Stats(sys.argv[1]); s.sort_stats('cumulative')"
            "; s.print_stats(r'validate/|pandera/.*(container|components)\\.py', 30)")
    return measure.run([python(), "-c", code, str(prof.resolve())], REPO).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", default=None,
                        help="total row counts, separated by spaces or commas (default: 10000 100000 1000000)")
    parser.add_argument("--big", action="store_true", help=f"add a scale of {BIG:,} rows")
    parser.add_argument("--skip-frictionless", action="store_true", help="do not run frictionless (slow at 1M rows and more)")
    parser.add_argument("--no-real", action="store_true", help="do not time the real package")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where packages are written (default: bench/out, git-ignored)")
    parser.add_argument("--keep", action="store_true", help="keep the generated packages")
    parser.add_argument("--ref", help="benchmark validate/ as of this git ref (e.g. HEAD) instead of the working tree")
    parser.add_argument("--data-ref", help="time and grow the package as of this git ref (e.g. HEAD) instead of the working tree")
    parser.add_argument("--models", nargs="+", choices=synth.MODELS, default=list(synth.MODELS),
                        help="how replicas quote: the real quotes (replicated) or words of their own (distinct); default both")
    parser.add_argument("--profile", action="store_true", help="cProfile our validator on the largest clean package")
    parser.add_argument("--docs", action="store_true", help="write the table into docs/performance.md")
    parser.add_argument("--docs-from", type=Path, help="only render docs/performance.md's table from a results.json of an earlier run")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    if args.docs_from:
        saved = json.loads(args.docs_from.read_text("utf-8"))
        write_docs(saved["results"], saved.get("growth", []), saved.get("growth_missed", []), REPO / "docs" / "performance.md")
        return 0
    chosen = [int(x.replace("_", "")) for arg in args.scales for x in arg.split(",") if x] if args.scales else DEFAULT_SCALES
    scales = chosen + ([BIG] if args.big and BIG not in chosen else [])

    if args.ref:
        VALIDATOR["cwd"] = extract_ref(args.ref, args.out)
        log(f"validator: validate/ as of {args.ref}, extracted to {VALIDATOR['cwd']}")
    if args.data_ref:
        DATA["root"] = extract_data(args.data_ref, args.out)
        log(f"package: as of {args.data_ref}, extracted to {DATA['root']}")
    failures: list[str] = []
    if differ := synth.style_check(DATA["root"]):
        failures.append(f"polars does not write these real tables back byte for byte, the synthetic CSVs may differ in style: {differ}")
    rows = [] if args.no_real else [bench_real(args.skip_frictionless, failures)]
    args.out.mkdir(parents=True, exist_ok=True)
    profiled = ""
    for model in args.models:
        for target in scales:
            rows.append(bench_scale(target, args.out, args.skip_frictionless, failures, model))
            if args.profile and target == max(scales) and model == args.models[-1]:
                profiled = profile(args.out / f"rows-{target}-{model}" / "clean", args.out)
            if not args.keep:
                shutil.rmtree(args.out / f"rows-{target}-{model}", ignore_errors=True)

    results = [{"scale": r.label, "rows": r.rows, "csv_mb": r.csv_mb, "generate_s": r.generate_s,
                "ours": vars(r.ours) | {"stdout": None}, "polars": vars(r.polars) | {"stdout": None},
                "frictionless": vars(r.frictionless) | {"stdout": None} if r.frictionless else None,
                "caught_ours": r.caught_ours, "caught_frictionless": r.caught_frictionless, "planted": r.planted} for r in rows]
    print(performance.results_table(results))
    gen = [f"{r.label}: {r.generate_s:.1f} s" for r in rows if r.generate_s is not None]
    if gen:
        print(f"\nGeneration time: {', '.join(gen)}. Timings are on the copy with planted defects; ours on the clean copy: "
              + ", ".join(f"{r.label}: {r.ours_clean.seconds:.2f} s" for r in rows if r.ours_clean) + ".")
    for r in rows:
        if r.planted:
            print(f"- {r.label}: ours caught {r.caught_ours or 'none'}; frictionless caught "
                  f"{r.caught_frictionless if r.caught_frictionless is not None else 'skipped'}")
    growth: list[str] = []
    growth_missed = [f for model in args.models
                     for f in growth_failures([r for r in rows if r.ours_clean is not None and r.label.endswith(f"({model})")], growth)]
    failures += growth_missed
    (args.out / "results.json").write_text(json.dumps({"results": results, "growth": growth, "growth_missed": growth_missed}, indent=2), "utf-8")
    if args.docs:
        write_docs(results, growth, growth_missed, REPO / "docs" / "performance.md")
    if profiled:
        print("\nWhere our validator spends its time (cProfile, cumulative):\n")
        print(profiled)
    for f in failures:
        print(f"FAIL: {f}", file=sys.stderr)
    return 1 if failures else 0


GROWTH = 1.1  # from one scale to the next, time and peak memory may grow at most 1.1 times as fast as the rows


def growth_failures(scaled: list[Row], measured: list[str]) -> list[str]:
    """Linear growth, gated: between consecutive scales of at least 100,000 rows, the clean run's time and peak memory
    grow at most GROWTH times the rows (10x the rows: at most 11x; 4x: at most 4.4x). Below 100,000 rows the fixed
    cost of a run (interpreter, imports) dominates, and the ratio says nothing about growth."""
    out = []
    big = [r for r in scaled if r.rows >= 90_000]  # the 100,000 scale rounds to whole replicas (97,705 rows)
    for small, large in itertools.pairwise(big):
        limit = GROWTH * large.rows / small.rows
        for what, a, b in (("time", small.ours_clean.seconds, large.ours_clean.seconds), ("peak memory", small.ours_clean.peak_mb, large.ours_clean.peak_mb)):
            if b / a > limit:
                out.append(f"{what} grew {b / a:.1f}x from {small.label} to {large.label} rows, more than {limit:.1f}x (linear growth)")
            else:
                measured.append(f"{what} {b / a:.1f}x from {small.label} to {large.label} rows (at most {limit:.1f}x)")
                print(f"growth: {measured[-1]}")
    return out


if __name__ == "__main__":
    sys.exit(main())

"""Where the time goes: each stage of one validation run, timed in one process, tables checked one at a time.

    .venv/bin/python bench/stages.py PACKAGE_DIR [--pandera]

With --pandera, pandera's own run is also timed on every table (the validator runs it only on a table whose
clean-path screen fails), so that its share can be reported. Prints a Markdown table of wall-clock and CPU seconds (all
threads of the process): on a machine shared with other work the CPU seconds are the steadier figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

START = time.perf_counter()
START_CPU = time.process_time()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path)
    parser.add_argument("--pandera", action="store_true", help="also time pandera's own run on every table")
    args = parser.parse_args(argv)
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name: str, fn, *a):
        t, c = time.perf_counter(), time.process_time()
        out = fn(*a)
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - t
        cpu[name] = cpu.get(name, 0.0) + time.process_time() - c
        return out

    from validate import cells, changelog, claims, csvfile, integrity, model, provenance, schema_checks, types

    stages["interpreter and imports"] = time.perf_counter() - START
    cpu["interpreter and imports"] = time.process_time() - START_CPU
    package, _ = timed("descriptor and schemas (frictionless, extensions)", model.load, args.package)
    frames: dict[str, pl.DataFrame] = {}
    for table in package.tables.values():
        read = timed("CSV: bytes, header, read, row widths", csvfile.read, table)
        if read.strings is None:
            continue
        text = {f.name for f in table.fields if f.is_text}
        timed("cell hygiene", cells.check, table.name, read.strings, text, read.ascii, frozenset(f.name for f in table.fields if f.verbatim))
        typed, _, _ = timed("types", types.cast, [f.raw for f in table.fields], table.name, read.strings)
        derived = timed("schema and row rules: clean-path screen", schema_checks.derive, table)
        timed("schema and row rules: clean-path screen", schema_checks.passes, table, derived, typed)
        if args.pandera:
            timed("pandera's own run (every table, for its share)", lambda d=derived, f=typed: d.schema.validate(f, lazy=True))
        frames[table.name] = typed
    timed("CHANGELOG and version", changelog.check, package, frames)
    timed("cross-table rules", integrity.check, package, frames)
    _, quotes = timed("provenance", provenance.check, package, frames)
    timed("claims", claims.check, package, frames, quotes)
    total, total_cpu = sum(stages.values()), sum(cpu.values())
    print("| stage | seconds | share | CPU seconds | CPU share |\n|---|---:|---:|---:|---:|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} | {cpu[name]:.2f} | {cpu[name] / total_cpu:.0%} |")
    print(f"| total | {total:.2f} | | {total_cpu:.2f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

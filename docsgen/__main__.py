"""Command line: `python -m docsgen [--check] [--root PATH]` writes the generated docs; `--check` writes nothing and exits 1 naming what is stale."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import generated


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docsgen", description="Write the generated docs, figures and constants of the package.")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 and name the files that are missing or stale")
    parser.add_argument("--root", type=Path, default=generated.ROOT, help="the repository (default: the one docsgen is in)")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.check:
        old = generated.stale(root)
        for path in old:
            print(f"stale: {path.relative_to(root)}", file=sys.stderr)
        if old:
            print("run: python -m docsgen", file=sys.stderr)
        return 1 if old else 0
    for path in generated.write(root):
        print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: python -m validate [PACKAGE_DIR] [--format text|json].

Exit codes: 0 valid, 1 the data has errors, 2 the package cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validate", description="Validate the central-asia-space data package.")
    parser.add_argument("package", nargs="?", default=".", help="package folder (default: the current folder)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="report format (default: text)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2

    from . import report
    from .findings import Finding
    from .package import Unreadable
    from .run import validate_package

    root = Path(args.package)
    try:
        findings = validate_package(root)
    except Unreadable as exc:
        unreadable = [Finding("descriptor-unreadable", str(exc), "datapackage.json")]
        print(report.render(unreadable, str(root), args.format, final=f"UNREADABLE: {exc}"))
        return 2
    except Exception as exc:
        crash = [Finding("validator-error", f"the validator could not finish: {type(exc).__name__}: {exc}", "datapackage.json")]
        print(report.render(crash, str(root), args.format, final="UNREADABLE: the validator could not finish"))
        return 2
    print(report.render(findings, str(root), args.format))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: python -m validate [PACKAGE_DIR] [--format text|json]."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__

EPILOG = """exit codes:
  0  the package is valid
  1  the data has errors (each is listed with its table, line, column, value and rule); a rule that failed is
     listed as rule-error, and every other rule still ran
  2  the package cannot be read, the arguments are wrong, or the validator failed outside any rule (validator-error)

Every rule ID in a report is described in docs/validation.md, with the fault that breaks it in tests/faults.py;
its one definition is the function registered under that ID (grep for '@rule("ID"' in validate/)."""


def package_version(root: Path) -> str:
    """The version datapackage.json states, or "" where it cannot be read (never blocking: see paths.py)."""
    from .model import Unreadable, load_descriptor
    from .paths import PathGuard

    try:
        return str(load_descriptor(PathGuard(root)).get("version", ""))
    except Unreadable:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validate", description="Validate the central-asia-space data package.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", nargs="?", default=".", help="package folder (default: the current folder)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="report format (default: text)")
    parser.add_argument("--version", action="store_true", help="print the validator's and the package's versions")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    root = Path(args.package)
    versions = {"validator": __version__, "package": package_version(root)}
    if args.version:
        print(f"validator {versions['validator']}, package {versions['package'] or '(none found)'}")
        return 0

    from . import report
    from .findings import Finding
    from .model import Unreadable, validator_error
    from .run import validate_package

    try:
        _, findings = validate_package(root)
    except Unreadable as exc:
        unreadable = [Finding("descriptor-unreadable", str(exc), "datapackage.json")]
        print(report.render(unreadable, str(root), args.format, versions, final=f"UNREADABLE: {exc}"))
        return 2
    except Exception as exc:  # a bug in the validator: a report, never a traceback
        crash = [Finding("validator-error", validator_error(exc), "datapackage.json")]
        print(report.render(crash, str(root), args.format, versions, final="UNREADABLE: the validator could not finish"))
        return 2
    print(report.render(findings, str(root), args.format, versions))
    return 1 if findings else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the reader of the report stopped early (`| head`): exit 1 (not all was written), no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)

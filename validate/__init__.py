"""Validation suite of the central-asia-space data package: `python -m validate [PACKAGE_DIR]`."""

__version__ = "2.2.1"  # the validator's own version, printed by --version beside the package's

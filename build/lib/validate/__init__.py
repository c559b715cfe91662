"""Validation suite of the central-asia-space data package: `python -m validate [PACKAGE_DIR]`."""

from .run import validate_package

__all__ = ["validate_package"]

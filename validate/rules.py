"""Every rule of the validator, loaded: the one place that imports the rule modules, so that registering a rule (registry.py)
stays passive data and no module below the runner imports the modules above it."""

from __future__ import annotations

from . import archive, boundary, cells, changelog, claims, csvfile, integrity, layout, model, names, paths, provenance, schema_checks, timeline, types  # noqa: F401
from .registry import Rule
from .registry import catalogue as registered_rules


def catalogue() -> dict[str, Rule]:
    """Every rule, in family order, once each rule module has been imported (and so has registered its rules)."""
    return registered_rules()

"""The rule catalogue: every rule ID is defined once, by one registered function.

A rule module decorates each of its checks with `@rule(ID, FAMILY)`. The function's docstring (its first
paragraph) is the rule's one description: the text report, the JSON report, `--help` and the rule table
in docs/validation.md all read it from here. Functions of one family share a signature, stated in the
family's module:

| family | module | a rule is |
|---|---|---|
| package | model.py, paths.py | a check of the descriptor, a Table Schema or a path, returning reasons |
| file | csvfile.py | a check of one CSV file's bytes or structure |
| cell | cells.py | a polars expression that is true where a cell breaks the rule |
| schema | schema_checks.py | the pandera check a Table Schema field constraint becomes |
| row | schema_checks.py | the pandera check an `x-rules` row rule becomes |
| integrity | integrity.py | a cross-table check of the loaded frames |
| provenance | provenance.py | a check against the archived sources and the quotes |
| claims | claims.py | a check of the values citations claim for one column of their record |
| versioning | changelog.py | a check of the version and CHANGELOG.md |
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

FAMILIES = ("package", "file", "cell", "schema", "row", "integrity", "provenance", "claims", "versioning")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    description: str
    function: Callable[..., Any]

    @property
    def where(self) -> str:
        """module:function of the rule's one definition."""
        return f"{self.function.__module__}:{self.function.__name__}"


RULES: dict[str, Rule] = {}


def rule(rule_id: str, family: str) -> Callable[[F], F]:
    """Register a function as the one definition of a rule ID."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}")

    def register(function: F) -> F:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} is defined twice: {RULES[rule_id].where} and {function.__module__}:{function.__name__}")
        doc = inspect.getdoc(function)
        if not doc:
            raise ValueError(f"rule {rule_id!r} has no docstring: its first paragraph is the rule's description")
        RULES[rule_id] = Rule(rule_id, family, " ".join(doc.split("\n\n")[0].split()), function)
        return function

    return register


def catalogue() -> dict[str, Rule]:
    """Every rule, in family order. Importing the rule modules registers their rules."""
    from . import cells, changelog, claims, csvfile, integrity, model, paths, provenance, schema_checks, types  # noqa: F401

    def place(item: tuple[str, Rule]) -> tuple[int, str, int]:  # family, then where it is defined: never the import order
        fn = item[1].function
        return FAMILIES.index(item[1].family), fn.__module__, fn.__code__.co_firstlineno

    return dict(sorted(RULES.items(), key=place))

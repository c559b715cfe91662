"""The rule catalogue: every rule ID is defined once, by one registered function.

A rule module decorates each of its checks with `@rule(ID, FAMILY)`. The function's docstring (its first
paragraph) is the rule's one description: the text report, the JSON report, `--help` and the rule table
in docs/validation.md all read it from here. Functions of one family share a signature, stated in the
family's module:

| family | module | a rule is |
|---|---|---|
| package | model.py, paths.py, boundary.py, layout.py | a check of the descriptor, a Table Schema, a path or the package's files; a rule that failed |
| file | csvfile.py | a check of one CSV file's bytes or structure |
| cell | cells.py | a polars expression that is true where a cell breaks the rule |
| schema | schema_checks.py | the pandera check a Table Schema field constraint becomes |
| row | schema_checks.py | the pandera check an `x-rules` row rule becomes |
| integrity | integrity.py, names.py | a cross-table check of the loaded frames |
| time | timeline.py | a check of dates against each other, across rows and tables: acts in order, nothing before what it belongs to began |
| provenance | provenance.py, archive.py | a check against the archived sources and the quotes; a check of one archived file as it is read |
| claims | claims.py | a check of the values citations claim for one column of their record |
| versioning | changelog.py | a check of the version and CHANGELOG.md |
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

FAMILIES = ("package", "file", "cell", "schema", "row", "integrity", "time", "provenance", "claims", "versioning")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    description: str
    function: Callable[..., Any]
    reads: tuple[str, ...] = ()  # the function's parameters: what the rule reads, by name (boundary.run_registered passes them)
    needs: frozenset[str] = frozenset()  # the parameters without a default: the rule runs only where all of these are given
    module: str = ""  # where it is defined: a module's check runs the rules registered in it (`registered`)
    line: int = 0  # the line of its definition there: rules run, and are listed, in the order they are defined

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
        params = inspect.signature(function).parameters.values()
        RULES[rule_id] = Rule(rule_id, family, " ".join(doc.split("\n\n")[0].split()), function, tuple(p.name for p in params),
                              frozenset(p.name for p in params if p.default is inspect.Parameter.empty), function.__module__,
                              function.__code__.co_firstlineno)
        return function

    return register


def catalogue() -> dict[str, Rule]:
    """The rules registered so far, in family order. Passive: importing a rule module registers its rules, and
    validate.rules imports them all (use its catalogue() for every rule)."""

    def place(item: tuple[str, Rule]) -> tuple[int, str, int]:  # family, then where it is defined: never the import order
        return FAMILIES.index(item[1].family), item[1].module, item[1].line

    return dict(sorted(RULES.items(), key=place))


def registered(module: str) -> list[Rule]:
    """The rules defined in one module (its `__name__`), in the order they are defined there."""
    return sorted((r for r in catalogue().values() if r.module == module), key=lambda r: r.line)

"""The error boundary: every rule runs through here, so that a rule that raises is a `rule-error` finding for that rule
and table, and every other rule still runs and reports (as frictionless's `check-error` and pandera's `CHECK_ERROR`).

`validator-error` (exit 2) is left for a failure outside any rule. Three ways in, one `try`:

- `attempt(rule_id, where, call, *args, default=...)`: one invocation of one rule, its result or the default and the
  rule-error; `findings(...)` is the same for a rule that returns findings.
- `run_registered(module, where, **inputs)`: every rule registered in a module, in the order they are defined, each given
  the inputs its parameters name; a rule whose inputs are not all given does not run (the cross-table families).
- `fused(where, items, run)`: many rules' polars expressions evaluated in one pass (the clean path); where that pass
  raises, each rule's own expressions are tried alone, the ones that raise are reported and the rest run together again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .findings import Finding, shorten
from .registry import registered, rule

T = TypeVar("T")
X = TypeVar("X")
PACKAGE = "datapackage.json"  # where a rule that spans tables is reported


@rule("rule-error", "package")
def rule_error(rule_id: str, where: str, exc: BaseException) -> Finding:
    """A rule that fails (raises) on a table is reported as this finding, naming the rule, the table and the error; the
    rule's own findings there are missing, and every other rule still runs and reports. A bug to report, or a schema or
    file the validator does not foresee."""
    return Finding("rule-error", f"rule {rule_id!r} could not finish: {type(exc).__name__}: {shorten(str(exc).strip(), 240)}", where,
                   value=rule_id, hint=f"the findings of {rule_id!r} here are missing; please report this with the message")


def attempt(rule_id: str, where: str, call: Callable[..., T], *args: Any, default: T, **kwargs: Any) -> tuple[T, list[Finding]]:
    """(what the rule returned, []) or (default, [its rule-error])."""
    try:
        return call(*args, **kwargs), []
    except Exception as exc:  # the boundary: any failure of one rule is that rule's finding
        return default, [rule_error(rule_id, where, exc)]


def findings(rule_id: str, where: str, call: Callable[..., list[Finding]], *args: Any, **kwargs: Any) -> list[Finding]:
    """The findings of one rule, or its rule-error."""
    found, failed = attempt(rule_id, where, call, *args, default=[], **kwargs)
    return failed or found


def run_registered(module: str, where: str, **inputs: Any) -> list[Finding]:
    """Every rule registered in `module`, in definition order, each given the inputs its parameters name. A rule that needs
    an input that is not given (the sources could not be read, so there are no quotes) does not run."""
    found: list[Finding] = []
    for r in registered(module):
        if r.needs <= inputs.keys():
            found += findings(r.id, where, r.function, **{name: inputs[name] for name in r.reads if name in inputs})
    return found


def fused(where: str, items: Sequence[tuple[str, X]], run: Callable[[Sequence[tuple[str, X]]], T],
          default: T) -> tuple[T, list[tuple[str, X]], list[Finding]]:
    """(run's result, the items it ran, rule-errors). `items` are (rule ID, one part run evaluates for that rule); run
    evaluates them together. Only where that raises is each part tried alone: a part that raises is left out (its rule is
    reported once), and the rest run together again."""
    try:
        return run(items), list(items), []
    except Exception:
        pass
    failed: dict[str, Finding] = {}
    kept = []
    for item in items:
        _, error = attempt(item[0], where, run, [item], default=None)
        if error:
            failed.setdefault(item[0], error[0])
        else:
            kept.append(item)
    try:
        return run(kept), kept, list(failed.values())
    except Exception as exc:  # each part runs alone but not together: every rule of the pass is reported
        return default, [], list(failed.values()) + [rule_error(i, where, exc) for i in dict.fromkeys(i for i, _ in kept)]

"""The SDK's unknown-value check, without leaving a reference cycle behind on every call.

`pulumi.runtime.rpc.contains_unknowns` walks a value for unknowns each time an Output is made,
applied or combined (some 270,000 times at 1000 pairs). It does so with a nested function that
calls itself by name, so every call leaves a function, its closure cell and a tuple in a
reference cycle that only the cyclic collector frees. The offline engine pauses the collector
while a program runs (`_engine.COLLECT_WHILE_RUNNING`), so these piled up: 34 MiB at the peak
of a 1000-pair render and 65 MiB by its end (tracemalloc, docs/BENCHMARKS.md).

`contains_unknowns` here is the same walk (same order, same answer, containers seen twice
looked into once) as a module-level function, and tells a scalar without starting one; it took
half the time of the SDK's in a micro-benchmark on a manifest-like dict. `acyclic_unknowns_check`
puts it in the SDK's place while a program runs; every caller looks it up as
`rpc.contains_unknowns` at call time (the SDK's `pulumi.contains_unknowns` and `Output` go
through that name too).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from pulumi.output import Unknown
from pulumi.runtime import rpc


def contains_unknowns(val: Any) -> bool:
    """Return whether `val`, or any dict value or list item inside it, is unknown."""
    # The SDK's parameter name, so a call by keyword works the same.
    if isinstance(val, dict | list):
        return _contains_unknowns(val, set())
    return isinstance(val, Unknown)


def _contains_unknowns(container: dict[Any, Any] | list[Any], seen_ids: set[int]) -> bool:
    # Only containers are remembered: a scalar seen twice gives the same answer both times,
    # and the walk stops at the first unknown anyway. Loops, not `any(...)` over a generator:
    # this runs for every Output made, and the generators were half its cost.
    if id(container) in seen_ids:
        return False
    seen_ids.add(id(container))
    for item in container.values() if isinstance(container, dict) else container:
        if isinstance(item, dict | list):
            if _contains_unknowns(item, seen_ids):
                return True
        elif isinstance(item, Unknown):
            return True
    return False


@contextlib.contextmanager
def acyclic_unknowns_check() -> Iterator[None]:
    """Use `contains_unknowns` for the SDK's meanwhile; put the SDK's back afterwards."""
    original = rpc.contains_unknowns
    rpc.contains_unknowns = contains_unknowns
    try:
        yield
    finally:
        rpc.contains_unknowns = original

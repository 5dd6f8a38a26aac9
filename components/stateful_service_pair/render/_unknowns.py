"""The SDK's unknown-value check, without leaving a reference cycle behind on every call.

`pulumi.runtime.rpc.contains_unknowns` walks a value for unknowns each time an Output is made,
applied or combined (some 270,000 times at 1000 pairs). It does so with a nested function that
calls itself by name, so every call leaves a function, its closure cell and a tuple in a
reference cycle that only the cyclic collector frees. The offline engine pauses the collector
while a program runs (`_engine.COLLECT_WHILE_RUNNING`), so these piled up: 34 MiB at the peak
of a 1000-pair render and 65 MiB by its end (tracemalloc, docs/BENCHMARKS.md).

`contains_unknowns` here is the same walk (same order, same answer, values seen twice counted
once) as a module-level function. `acyclic_unknowns_check` puts it in the SDK's place while a
program runs; every caller looks it up as `rpc.contains_unknowns` at call time (the SDK's
`pulumi.contains_unknowns` and `Output` go through that name too).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from pulumi.runtime import known_types, rpc


def contains_unknowns(val: Any) -> bool:
    """Return whether `val`, or any dict value or list item inside it, is unknown."""
    # The SDK's parameter name, so a call by keyword works the same.
    return _contains_unknowns(val, set())


def _contains_unknowns(value: Any, seen_ids: set[int]) -> bool:
    if known_types.is_unknown(value):
        return True
    value_id = id(value)
    if value_id in seen_ids:
        return False
    seen_ids.add(value_id)
    if isinstance(value, dict):
        return any(_contains_unknowns(value[key], seen_ids) for key in value)
    if isinstance(value, list):
        return any(_contains_unknowns(item, seen_ids) for item in value)
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

"""The SDK's type lookups, each answered once per type while a program runs offline.

For every property of every resource, the SDK works out the property's declared type from
class annotations again: `_types.unwrap_type` (`Output[T]`, `Input[T]`, `Optional[T]` to `T`)
when it serializes inputs, `_types.unwrap_optional_type` when it turns outputs into their
classes, and `_types.resource_types`, which calls `typing.get_type_hints` on the resource's
class, for every registration. Each answer depends only on the type it is given, and types do
not change while a program runs. Together they took 9% of a 500-pair run's samples (py-spy);
remembered, a 100-pair render took about 6% less time (docs/BENCHMARKS.md, change 11).

`remembered_type_lookups` puts remembering versions in the SDK's place meanwhile; every caller
looks them up in `pulumi._types` at call time, the SDK's own module included. The SDK's own
functions are put back afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from pulumi import _types

# Pure functions of their one argument, a type (pulumi/_types.py, 3.260 to 3.272).
REMEMBERED = ("unwrap_type", "unwrap_optional_type", "resource_types")


def remembering(lookup: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`lookup`, answering each type object it was asked about before from what it said then.

    Keyed by identity, not equality: `Union[A, B] == Union[B, A]`, but the SDK's lookups read a
    union's arguments by position, so equal types may get different answers. The typing module
    caches the types it builds, so the SDK asks about the same objects again and again.
    """
    # id(val) -> (val, answer); keeping `val` keeps its id from being reused.
    answers: dict[int, tuple[Any, Any]] = {}

    # Positional only: the SDK calls each with its one argument (rpc.py and _types.py).
    def remembered(val: Any, /) -> Any:
        found = answers.get(id(val))
        if found is not None and found[0] is val:
            return found[1]
        answer = lookup(val)
        answers[id(val)] = (val, answer)
        return answer

    return remembered


@contextlib.contextmanager
def remembered_type_lookups() -> Iterator[None]:
    """Remember the SDK's type lookups meanwhile; put the SDK's own back afterwards.

    A lookup this SDK version does not have is left alone. Not for two programs at once in
    one process: like the engine's other replacements, it swaps module attributes.
    """
    originals = {name: getattr(_types, name) for name in REMEMBERED if hasattr(_types, name)}
    for name, lookup in originals.items():
        setattr(_types, name, remembering(lookup))
    try:
        yield
    finally:
        for name, lookup in originals.items():
            setattr(_types, name, lookup)

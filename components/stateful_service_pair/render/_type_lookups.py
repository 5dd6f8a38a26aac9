"""The SDK's type lookups, each answered once per type while a program runs offline.

For every property of every resource, the SDK works out the property's declared type from
class annotations again: `_types.unwrap_type` (`Output[T]`, `Input[T]`, `Optional[T]` to `T`)
when it serializes inputs, `_types.unwrap_optional_type` when it turns outputs into their
classes, and `_types.resource_types`, which calls `typing.get_type_hints` on the resource's
class, for every registration. Each answer depends only on the type it is given, and types do
not change while a program runs. Together they took 9% of a 500-pair run's samples (py-spy);
remembered, a 100-pair render took about 4% less time (docs/BENCHMARKS.md).

`remembered_type_lookups` puts remembering versions in the SDK's place meanwhile; every caller
looks them up in `pulumi._types` at call time, the SDK's own module included. A type that
cannot be a dict key is looked up every time, as before. The SDK's own functions are put back
afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from pulumi import _types

# Pure functions of their one argument, a type (pulumi/_types.py, 3.260 to 3.272).
REMEMBERED = ("unwrap_type", "unwrap_optional_type", "resource_types")


def remembering(lookup: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`lookup`, answering each type it was asked about before from what it said then."""
    answers: dict[Any, Any] = {}

    # Positional only: the SDK calls each with its one argument (rpc.py and _types.py).
    def remembered(val: Any, /) -> Any:
        try:
            return answers[val]
        except KeyError:
            answer = answers[val] = lookup(val)
            return answer
        except TypeError:  # not hashable: not remembered
            return lookup(val)

    return remembered


@contextlib.contextmanager
def remembered_type_lookups() -> Iterator[None]:
    """Remember the SDK's type lookups meanwhile; put the SDK's own back afterwards."""
    originals = {name: getattr(_types, name) for name in REMEMBERED}
    for name, lookup in originals.items():
        setattr(_types, name, remembering(lookup))
    try:
        yield
    finally:
        for name, lookup in originals.items():
            setattr(_types, name, lookup)

"""Output attributes that become a ``pulumi.Output`` only when they are read.

Each Output costs the SDK a future, a task and their callbacks, and a pending one is examined
by every garbage collection until the event loop runs it. A default pair knows all its name
outputs while it is constructed, and most programs read two or three of them; making an
Output for each of the others up front cost every pair about 20 Outputs nobody read, a tenth
of the time of a unit test of 300 pairs under the SDK's stock mocks (docs/BENCHMARKS.md).

The component keeps each output with :func:`keep_output_values`, as a plain value or as an
Output (when it waits for an Output argument), registers the same dict with
``register_outputs`` (the SDK serializes plain values and Outputs alike), and
:func:`read_as_outputs` puts a descriptor on the class for each name. The first read of a
plain value makes its Output: one ``apply`` on a known Output the instance shares (known, not
secret, no dependencies, as the ``apply`` that made it before this module gave), not
``pulumi.Output.from_input``, which would unpack a list or dict into an Output per element.
The Output is stored on the instance, so later reads return the same one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pulumi

# Instance attributes: each output's value (plain or an Output) by name, and the known Output
# that plain values are applied to.
_VALUES_ATTRIBUTE = "_output_values"
_KNOWN_ATTRIBUTE = "_known_output"

_Class = TypeVar("_Class", bound=type)


class _OutputAttribute:
    """A non-data descriptor: once it has run, the instance's own attribute answers."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        values: Mapping[str, Any] = getattr(instance, _VALUES_ATTRIBUTE)
        value = values[self._name]
        output = (
            value if isinstance(value, pulumi.Output) else _known(instance).apply(lambda _: value)
        )
        instance.__dict__[self._name] = output
        return output


def _known(instance: object) -> pulumi.Output[None]:
    known: pulumi.Output[None] | None = instance.__dict__.get(_KNOWN_ATTRIBUTE)
    if known is None:
        known = instance.__dict__[_KNOWN_ATTRIBUTE] = pulumi.Output.from_input(None)
    return known


def keep_output_values(instance: object, values: Mapping[str, Any]) -> None:
    """Keep ``values`` (by output name, each plain or an Output) for the descriptors to read."""
    setattr(instance, _VALUES_ATTRIBUTE, dict(values))


def read_as_outputs(*names: str) -> Callable[[_Class], _Class]:
    """A class decorator: each of ``names`` is read from ``_output_values`` as an Output.

    The class keeps its annotations (``pod_names: pulumi.Output[list[str]]``), which type
    checkers and the SDK's schema analyzer read; only the class attributes are added.
    """

    def install(cls: _Class) -> _Class:
        for name in names:
            setattr(cls, name, _OutputAttribute(name))
        return cls

    return install

"""Alias URNs the SDK would compute for nothing offline are not computed.

`Resource.__init__` turns every alias of a resource into a URN Output at once
(`collapse_alias_to_urn`: an `apply` that builds `Output.all`s and more `apply`s, about eight
Outputs and their tasks per alias), and keeps them in `Resource._aliases`. The SDK reads those
only to send an engine without alias specs full alias URNs (`all_aliases`, in
`prepare_aliases`); an engine with alias specs, which the mock monitor is, gets the aliases
themselves, from the resource options, and the URN Outputs are never read. pulumi-kubernetes
gives each StatefulSet two aliases and each PodDisruptionBudget one (their older API versions):
at 1000 pairs 3,000 aliases, 12 MiB of the peak RSS (docs/BENCHMARKS.md).

`uncollapsed_aliases` makes `collapse_alias_to_urn` return an `UncollapsedAlias` instead, while
the monitor supports alias specs, for an alias whose collapse could not fail: a plain string, or
an `Alias` whose name, type, parent, project and stack are plain values and whose name and type
are not None (the SDK's collapse raises inside its `apply` for those, which fails the program).
Anything else still goes through the SDK's function, so a program fails as it would.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi.resource as sdk_resource
from pulumi.runtime import settings
from pulumi.runtime.proto import resource_pb2

COLLAPSE = "collapse_alias_to_urn"


@dataclass(frozen=True)
class UncollapsedAlias:
    """Stands in `Resource._aliases` for an alias whose URN was not computed (never read)."""

    alias: str | pulumi.Alias


def cannot_fail(alias: Any, default_name: str, default_type: str) -> bool:
    """Return whether the SDK's collapse of `alias` certainly succeeds (see the module doc)."""
    if isinstance(alias, str):
        return True
    if not isinstance(alias, pulumi.Alias):
        return False  # an Output or awaitable of an alias: resolved, and checked, by the SDK
    # Its fields default to `...` (unset), which its annotations do not admit.
    given: Any = alias
    name = default_name if given.name is ... else given.name
    type_ = default_type if given.type_ is ... else given.type_
    plain = (type(...), type(None), str)
    return (
        isinstance(name, str)
        and isinstance(type_, str)
        and isinstance(given.project, plain)
        and isinstance(given.stack, plain)
        and isinstance(given.parent, (*plain, pulumi.Resource))
    )


@contextlib.contextmanager
def uncollapsed_aliases() -> Iterator[None]:
    """Skip alias URNs nobody reads meanwhile; put the SDK's `collapse_alias_to_urn` back after."""
    # Resource.__init__ calls it by this module-level name (imported from pulumi.runtime.resource).
    original = getattr(sdk_resource, COLLAPSE)

    def collapse_alias_to_urn(
        alias: Any, default_name: str, default_type: str, default_parent: Any
    ) -> Any:
        if cannot_fail(alias, default_name, default_type) and settings.monitor_supports_feature(
            resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS
        ):
            return UncollapsedAlias(alias)
        return original(alias, default_name, default_type, default_parent)

    setattr(sdk_resource, COLLAPSE, collapse_alias_to_urn)
    try:
        yield
    finally:
        setattr(sdk_resource, COLLAPSE, original)

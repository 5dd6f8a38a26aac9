"""The render's unknown-value check answers like the SDK's and leaves no garbage behind."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc
from stateful_service_pair.render._unknowns import acyclic_unknowns_check, contains_unknowns

SDK_CONTAINS_UNKNOWNS = rpc.contains_unknowns
SHARED: dict[str, Any] = {"a": [1, 2]}


def _self_referential() -> dict[str, Any]:
    value: dict[str, Any] = {"x": 1}
    value["self"] = value
    return value


def _cycle_then_unknown() -> dict[str, Any]:
    value: dict[str, Any] = {"x": []}
    value["x"].append(value)
    value["y"] = [Unknown()]
    return value


VALUES: list[Any] = [
    None,
    "text",
    3.0,
    Unknown(),
    [],
    {},
    [1, [2, [3, Unknown()]]],
    {"a": {"b": [{"c": "d"}]}},
    {"a": {"b": [{"c": Unknown()}]}},
    [SHARED, SHARED, {"later": Unknown()}],
    _self_referential(),
    _cycle_then_unknown(),
    [{"a": 1}, Unknown()],
    {"unknown": Unknown()},
    ("tuples", Unknown()),  # the SDK does not look into tuples
]


@pytest.fixture
def collector_paused() -> Iterator[None]:
    """No automatic collection meanwhile, as while the offline engine runs a program."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_answer_is_the_sdks(value: Any) -> None:
    """Same answer as pulumi.runtime.rpc.contains_unknowns for plain, nested and cyclic values."""
    assert contains_unknowns(value) == SDK_CONTAINS_UNKNOWNS(value)


def _garbage_after(check: Callable[[Any], bool]) -> int:
    for _ in range(200):
        check({"a": [1, {"b": 2}]})
    return gc.collect()


def test_no_reference_cycle_is_left_per_call(collector_paused: None) -> None:
    """The SDK's check leaves cyclic garbage on every call (why this exists); this one none."""
    assert _garbage_after(SDK_CONTAINS_UNKNOWNS) >= 200
    assert _garbage_after(contains_unknowns) == 0


def test_it_stands_in_for_the_sdks_only_meanwhile() -> None:
    """Inside the context the SDK (and pulumi.contains_unknowns) uses it; afterwards its own."""
    import pulumi

    with acyclic_unknowns_check():
        assert rpc.contains_unknowns is contains_unknowns
        assert pulumi.contains_unknowns([Unknown()]) is True
    assert rpc.contains_unknowns is SDK_CONTAINS_UNKNOWNS

"""The offline render remembers the SDK's type lookups per type object, with the same answers."""

from typing import Any, Union

import pytest
from pulumi import _types
from stateful_service_pair.render._type_lookups import (
    REMEMBERED,
    remembered_type_lookups,
    remembering,
)

from benchmarks.run import load_bench_project, run_side


def test_a_type_object_is_looked_up_once_and_equal_unions_each_get_their_own_answer() -> None:
    """Keyed by identity: `Union[int, str] == Union[str, int]`, but their first arguments differ."""
    asked: list[Any] = []

    def first_argument(val: Any) -> Any:
        asked.append(val)
        return val.__args__[0]

    remembered = remembering(first_argument)
    int_or_str, str_or_int = Union[int, str], Union[str, int]  # noqa: UP007 (typing.Union on purpose)
    assert int_or_str == str_or_int
    assert remembered(int_or_str) is int
    assert remembered(str_or_int) is str
    assert remembered(int_or_str) is int
    assert asked == [int_or_str, str_or_int]


def test_the_sdks_lookups_are_replaced_meanwhile_and_put_back_after_an_error() -> None:
    """Inside the context each lookup is a remembering one; afterwards the SDK's own again."""
    originals = {name: getattr(_types, name) for name in REMEMBERED}
    with pytest.raises(RuntimeError), remembered_type_lookups():
        assert all(getattr(_types, name) is not originals[name] for name in REMEMBERED)
        raise RuntimeError
    assert {name: getattr(_types, name) for name in REMEMBERED} == originals


def test_a_lookup_the_sdk_does_not_have_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """An SDK without one of the three still renders; nothing is added to its module."""
    monkeypatch.delattr(_types, "unwrap_optional_type")
    with remembered_type_lookups():
        assert not hasattr(_types, "unwrap_optional_type")
    assert not hasattr(_types, "unwrap_optional_type")


def test_a_render_asks_the_sdk_once_per_type_object_and_gets_its_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """During a real offline run the SDK's own lookups see each type object once, and a fresh
    call of the SDK's gives the answer the remembering one gives (the same object)."""
    originals = {name: getattr(_types, name) for name in REMEMBERED}
    asked: dict[str, list[Any]] = {name: [] for name in REMEMBERED}

    def recording(name: str) -> Any:
        def record(val: Any) -> Any:
            asked[name].append(val)
            return originals[name](val)

        return record

    for name in REMEMBERED:
        monkeypatch.setattr(_types, name, recording(name))
    run_side(load_bench_project(), "pair", 2)
    monkeypatch.undo()

    for name in REMEMBERED:
        assert asked[name], f"the SDK never called {name} during the run"
        assert len({id(val) for val in asked[name]}) == len(asked[name]), name
        remembered = remembering(originals[name])
        for val in asked[name]:
            first, again, fresh = remembered(val), remembered(val), originals[name](val)
            if name == "resource_types":  # a new dict on every call
                assert first == again == fresh
            else:
                assert first is again is fresh

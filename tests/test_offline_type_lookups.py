"""The offline render remembers the SDK's type lookups per type, with the same answers."""

import inspect
from typing import Any

import pulumi_kubernetes as k8s
import pytest
from pulumi import _types
from stateful_service_pair.render._type_lookups import (
    REMEMBERED,
    remembered_type_lookups,
    remembering,
)


def test_a_type_is_looked_up_once_and_an_unhashable_one_every_time() -> None:
    """The second question about a type is answered from the first answer."""
    asked: list[Any] = []

    def lookup(val: Any) -> Any:
        asked.append(val)
        return repr(val)

    remembered = remembering(lookup)
    assert remembered(int) == remembered(int) == repr(int)
    assert remembered(list[str]) == repr(list[str])
    assert asked == [int, list[str]]
    unhashable: list[Any] = [int]
    assert remembered(unhashable) == remembered(unhashable) == repr(unhashable)
    assert asked == [int, list[str], unhashable, unhashable]


def test_the_sdks_lookups_are_replaced_meanwhile_and_put_back_after_an_error() -> None:
    """Inside the context each lookup is a remembering one; afterwards the SDK's own again."""
    originals = {name: getattr(_types, name) for name in REMEMBERED}
    with pytest.raises(RuntimeError), remembered_type_lookups():
        assert all(getattr(_types, name) is not originals[name] for name in REMEMBERED)
        raise RuntimeError
    assert {name: getattr(_types, name) for name in REMEMBERED} == originals


def _annotation_types() -> list[Any]:
    """Every property type of the Args classes and resources a default pair uses."""
    classes = [
        k8s.apps.v1.StatefulSetSpecArgs,
        k8s.core.v1.PodSpecArgs,
        k8s.core.v1.ContainerArgs,
        k8s.core.v1.ServiceSpecArgs,
        k8s.meta.v1.ObjectMetaArgs,
        k8s.policy.v1.PodDisruptionBudgetSpecArgs,
    ]
    found = []
    for cls in classes:
        init = inspect.signature(cls.__init__)
        found += [p.annotation for p in init.parameters.values() if p.name != "self"]
    return found


def test_remembered_answers_equal_the_sdks_on_real_types() -> None:
    """Asked twice, about the types a pair's objects really have: the SDK's answers."""
    types = _annotation_types()
    resources = [k8s.apps.v1.StatefulSet, k8s.core.v1.Service, k8s.policy.v1.PodDisruptionBudget]
    expected = (
        [_types.unwrap_type(t) for t in types],
        [_types.unwrap_optional_type(t) for t in types],
        [_types.resource_types(r) for r in resources],
    )
    with remembered_type_lookups():
        for _ in range(2):
            assert [_types.unwrap_type(t) for t in types] == expected[0]
            assert [_types.unwrap_optional_type(t) for t in types] == expected[1]
            assert [_types.resource_types(r) for r in resources] == expected[2]
    assert len(types) > 50

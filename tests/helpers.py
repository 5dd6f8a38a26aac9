"""Lookups over what the mocks really registered."""

from typing import Any

from components.testing import KubernetesMocks, MockedObject


def by_kind_and_name(mocks: KubernetesMocks) -> dict[tuple[str, str], MockedObject]:
    """The Kubernetes objects that were registered, keyed by (kind, name)."""
    objects = {(obj.kind, obj.name): obj for obj in mocks.objects}
    assert len(objects) == len(mocks.objects), "two objects share a kind and name"
    return objects


def manifest(mocks: KubernetesMocks, kind: str, name: str) -> dict[str, Any]:
    """The manifest of one registered object (wire form: numbers are floats, 3.0 == 3)."""
    return by_kind_and_name(mocks)[(kind, name)].manifest

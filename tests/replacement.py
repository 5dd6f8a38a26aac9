"""Which field changes make pulumi-kubernetes replace an object instead of updating it.

Kubernetes forbids changing some fields of a live object; pulumi-kubernetes then
deletes and re-creates it (with a fixed ``metadata.name``, delete first). The
lists below follow the provider's ``forceNewProperties``
(``provider/pkg/provider/diff.go``, pulumi/pulumi-kubernetes commit 00302beb)
for the kinds a pair creates. Newer providers learn which fields are immutable
from the API server's dry-run instead of a fixed list; for a StatefulSet those
are the same fields Kubernetes forbids changing (serviceName, selector,
volumeClaimTemplates, podManagementPolicy, name, namespace). Pure functions:
compare two manifests and say which of those fields differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_METADATA = ("metadata.name", "metadata.namespace")

FORCE_NEW: dict[str, tuple[str, ...]] = {
    "StatefulSet": (
        *_METADATA,
        "spec.podManagementPolicy",
        "spec.revisionHistoryLimit",
        "spec.selector",
        "spec.serviceName",
        "spec.volumeClaimTemplates",
    ),
    "Service": (*_METADATA, "spec.clusterIP"),
    # policy/v1 has no spec entry in the provider's list (only v1beta1 does).
    "PodDisruptionBudget": _METADATA,
    "NetworkPolicy": _METADATA,
}


def field(manifest: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path such as ``spec.serviceName``, or None."""
    value: Any = manifest
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def replacing_changes(
    kind: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    ignored: Iterable[str] = (),
) -> list[str]:
    """The fields whose change makes the provider replace this object.

    Args:
        kind: The object's kind; kinds without such fields never replace.
        before: The manifest as deployed.
        after: The manifest the program asks for now.
        ignored: Paths under the resource's ``ignore_changes``; Pulumi keeps their
            deployed value, so they cannot cause a replacement. Default: none.
    """
    skipped = set(ignored)
    return [
        path
        for path in FORCE_NEW.get(kind, _METADATA)
        if path not in skipped and field(before, path) != field(after, path)
    ]

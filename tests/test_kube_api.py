"""Pure Kubernetes API facts: scope, plurals, error wording, names."""

from __future__ import annotations

import pytest
from stateful_service_pair.testing import _kube_api as kube_api


@pytest.mark.parametrize(
    ("kind", "plural"),
    [
        ("Service", "services"),
        ("NetworkPolicy", "networkpolicies"),
        ("Ingress", "ingresses"),
        ("StorageClass", "storageclasses"),
        ("Endpoints", "endpoints"),
        ("Gateway", "gateways"),
    ],
)
def test_resource_plural(kind: str, plural: str) -> None:
    """Kinds pluralize the way the API server names their resources."""
    assert kube_api.resource_plural(kind) == plural


def test_already_exists_message_for_core_and_group_kinds() -> None:
    """Core kinds are unqualified, others carry their group; cluster scope names no namespace."""
    assert (
        kube_api.already_exists_message("v1", "Service", "db", "prod")
        == 'services "db" already exists in namespace "prod"'
    )
    assert (
        kube_api.already_exists_message("rbac.authorization.k8s.io/v1", "ClusterRole", "r", None)
        == 'clusterroles.rbac.authorization.k8s.io "r" already exists'
    )


def test_scope_is_decided_by_group_and_kind() -> None:
    """Cluster-scoped kinds are recognized by group and kind; unknown kinds count as namespaced."""
    assert kube_api.is_namespaced("v1", "Namespace") is False
    assert kube_api.is_namespaced("storage.k8s.io/v1", "StorageClass") is False
    assert kube_api.is_namespaced("apps/v1", "StatefulSet") is True
    assert kube_api.is_namespaced("example.com/v1", "Namespace") is True


def test_autoname_has_the_providers_shape() -> None:
    """An auto-name is the logical name, a dash and 8 hex characters."""
    assert kube_api.autoname("settings") == "settings-d0bdc405"
    assert kube_api.autoname("other") != kube_api.autoname("settings")

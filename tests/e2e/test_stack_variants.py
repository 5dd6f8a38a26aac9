"""Root-stack variants on the real engine: a custom cluster domain, and a protected pair."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .cluster import ControlPlane
from .dns import Resolver
from .pulumi_cli import PulumiProject
from .test_root_stack import assert_pod_names_resolve, pods

pytestmark = pytest.mark.e2e


def test_custom_domain_ordinals_start_and_the_providers_namespace(
    new_root_project: Callable[..., PulumiProject], cluster: ControlPlane, resolver: Resolver
) -> None:
    """corp.example, Pods from ordinal 2, no namespace in config: the names resolve."""
    cluster.kubectl("create", "namespace", "e2e-apps")
    stack = new_root_project(
        "custom",
        {
            "name": "cache",
            "clusterDomain": "corp.example",
            "ordinalsStart": 2,
            # No `namespace` key: the objects go to the provider's namespace.
            "kubernetes:namespace": "e2e-apps",
        },
    )
    stack.up()
    names = [f"cache-{i}.cache-headless.e2e-apps.svc.corp.example" for i in (2, 3, 4)]
    assert stack.outputs() == {
        "podDnsNames": names,
        "headlessServiceDns": "cache-headless.e2e-apps.svc.corp.example",
        "clientServiceDns": "cache.e2e-apps.svc.corp.example",
        "srvRecords": {"redis": "_redis._tcp.cache-headless.e2e-apps.svc.corp.example"},
        "namespace": "e2e-apps",
    }
    selector = "stateful-service-pair/statefulset=cache"
    assert [p["metadata"]["name"] for p in pods(cluster, selector, "e2e-apps")] == [
        "cache-2",
        "cache-3",
        "cache-4",
    ]
    assert_pod_names_resolve(resolver, cluster, names, "e2e-apps", selector)
    stack.destroy()


def test_a_protected_component_protects_its_objects_from_destroy(
    new_root_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """`protect=True` on the component: `pulumi destroy` is refused and nothing is deleted."""
    stack = new_root_project(
        "protected", {"name": "vault", "protect": True, "replicas": 1, "storageSize": ""}
    )
    stack.up()
    uids = {
        kind: cluster.get_json(kind, "vault", "-n", "default")["metadata"]["uid"]
        for kind in ("statefulset", "service", "poddisruptionbudget")
    }
    refused = stack.destroy(check=False)
    assert refused.returncode != 0
    assert "protected" in refused.output
    for kind, uid in uids.items():
        assert cluster.get_json(kind, "vault", "-n", "default")["metadata"]["uid"] == uid
    assert cluster.get_json("service", "vault-headless", "-n", "default")

    # Unprotect through config, as a user would, and clean up.
    stack.config_set("protect", False)
    stack.up()
    stack.destroy()
    assert pods(cluster, "stateful-service-pair/statefulset=vault") == []


def test_the_kubeconfig_contexts_namespace_is_where_objects_land_and_what_names_say(
    new_root_project: Callable[..., PulumiProject],
    cluster: ControlPlane,
    resolver: Resolver,
    tmp_path: Path,
) -> None:
    """No namespace anywhere in the stack, but the kubeconfig context sets one (as `kubectl
    config set-context --current --namespace=…` or kubens do): the provider puts the objects
    there, and the DNS outputs must name it."""
    cluster.kubectl("create", "namespace", "e2e-context")
    document = yaml.safe_load(cluster.kubeconfig.read_text())
    current = document["current-context"]
    for entry in document["contexts"]:
        if entry["name"] == current:
            entry["context"]["namespace"] = "e2e-context"
    context_kubeconfig = tmp_path / "kubeconfig"
    context_kubeconfig.write_text(yaml.safe_dump(document))

    stack = new_root_project("context", {"name": "ctx", "replicas": 2, "storageSize": ""})
    stack.pulumi = dataclasses.replace(stack.pulumi, kubeconfig=context_kubeconfig)
    try:
        stack.up()
        names = [f"ctx-{i}.ctx-headless.e2e-context.svc.cluster.local" for i in range(2)]
        outputs = stack.outputs()
        assert (outputs["namespace"], outputs["podDnsNames"]) == ("e2e-context", names)
        selector = "stateful-service-pair/statefulset=ctx"
        assert [p["metadata"]["name"] for p in pods(cluster, selector, "e2e-context")] == [
            "ctx-0",
            "ctx-1",
        ]
        assert_pod_names_resolve(resolver, cluster, names, "e2e-context", selector)
    finally:
        stack.destroy()

"""Lookups over what the mocks really registered, and assertions shared by test modules."""

import copy
from typing import Any

import pulumi
import pytest
from pulumi.runtime.mocks import MockResourceArgs
from pulumi.runtime.settings import SETTINGS
from stateful_service_pair import StatefulServicePair
from stateful_service_pair._validation import PairArgumentError
from stateful_service_pair.testing import KubernetesMocks, MockedObject


def by_kind_and_name(mocks: KubernetesMocks) -> dict[tuple[str, str], MockedObject]:
    """The Kubernetes objects that were registered, keyed by (kind, name)."""
    objects = {(obj.kind, obj.name): obj for obj in mocks.objects}
    assert len(objects) == len(mocks.objects), "two objects share a kind and name"
    return objects


def manifest(mocks: KubernetesMocks, kind: str, name: str) -> dict[str, Any]:
    """The manifest of one registered object (wire form: numbers are floats, 3.0 == 3)."""
    return by_kind_and_name(mocks)[(kind, name)].manifest


# A two-port Kafka pair: one port whose container port differs from its Service port.
KAFKA_ARGS: dict[str, Any] = {
    "image": "apache/kafka:3.9.0",
    "ports": [
        {"name": "broker", "port": 9092},
        {"name": "controller", "port": 19093, "target_port": 9093},
    ],
    "namespace": "streaming",
    "labels": {"team": "data"},
}


def assert_kafka_pair_wiring(mocks: KubernetesMocks) -> None:
    """serviceName, selectors, named target ports and namespace of the KAFKA_ARGS pair line up.

    Shared by the Python and the cross-language tests, so both check the same wiring.
    """
    sts = manifest(mocks, "StatefulSet", "kafka")
    headless = manifest(mocks, "Service", "kafka-headless")
    client = manifest(mocks, "Service", "kafka")
    pdb = manifest(mocks, "PodDisruptionBudget", "kafka")
    selector = {"stateful-service-pair/statefulset": "kafka"}

    assert sts["spec"]["serviceName"] == headless["metadata"]["name"] == "kafka-headless"
    assert headless["spec"]["clusterIP"] == "None"
    assert "clusterIP" not in client["spec"] and client["spec"]["type"] == "ClusterIP"
    assert sts["spec"]["selector"]["matchLabels"] == selector
    assert headless["spec"]["selector"] == client["spec"]["selector"] == selector
    assert pdb["spec"]["selector"]["matchLabels"] == selector
    assert sts["spec"]["template"]["metadata"]["labels"] == {
        "team": "data",
        "app.kubernetes.io/instance": "kafka",
        "app.kubernetes.io/managed-by": "pulumi",
        "stateful-service-pair/statefulset": "kafka",
    }
    main = sts["spec"]["template"]["spec"]["containers"][0]
    assert [(port["name"], port["containerPort"]) for port in main["ports"]] == [
        ("broker", 9092),
        ("controller", 9093),
    ]
    for service in (headless, client):
        assert [(p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [
            ("broker", 9092, "broker"),
            ("controller", 19093, "controller"),
        ]
    assert {obj.namespace for obj in mocks.objects} == {"streaming"}


# An etcd pair with every name, the domain and ordinals overridden: each must reach the
# DNS outputs. Shared by the Python and the cross-language tests, so both expect the same.
ETCD_ARGS: dict[str, Any] = {
    "image": "quay.io/coreos/etcd:v3.5.17",
    "ports": [
        {"name": "client", "port": 2379},
        {"name": "peer", "port": 2380},
        {"name": "metrics", "port": 9100, "protocol": "UDP"},
    ],
    "replicas": 2,
    "ordinals_start": 1,
    "namespace": "infra",
    "cluster_domain": "k8s.example.org",
    "stateful_set_name": "member",
    "headless_service_name": "peers",
    "client_service_name": "etcd-client",
}
ETCD_POD_DNS_NAMES = [
    "member-1.peers.infra.svc.k8s.example.org",
    "member-2.peers.infra.svc.k8s.example.org",
]
ETCD_CLIENT_SERVICE_DNS = "etcd-client.infra.svc.k8s.example.org"
ETCD_SRV_RECORDS = {
    "client": "_client._tcp.peers.infra.svc.k8s.example.org",
    "peer": "_peer._tcp.peers.infra.svc.k8s.example.org",
    "metrics": "_metrics._udp.peers.infra.svc.k8s.example.org",
}
ETCD_POD_SHORT_DNS_NAMES = ["member-1.peers.infra.svc", "member-2.peers.infra.svc"]
ETCD_TLS_DNS_NAMES = [
    "member-1.peers.infra.svc.k8s.example.org",
    "member-1.peers.infra.svc",
    "member-2.peers.infra.svc.k8s.example.org",
    "member-2.peers.infra.svc",
    "*.peers.infra.svc.k8s.example.org",
    "*.peers.infra.svc",
    "peers.infra.svc.k8s.example.org",
    "peers.infra.svc",
    "peers.infra",
    "peers",
    "etcd-client.infra.svc.k8s.example.org",
    "etcd-client.infra.svc",
    "etcd-client.infra",
    "etcd-client",
]


def assert_refused_before_registering(
    mocks: KubernetesMocks, name: str, args: dict[str, Any], message: str
) -> None:
    """The pair refuses ``args`` with a PairArgumentError matching ``message`` before the
    component or any child registers."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(name, args)

    with pytest.raises(PairArgumentError, match=message):
        run()
    assert SETTINGS.monitor.get_registered_resources() == {}
    assert mocks.objects == []


class DeployedEarlier(KubernetesMocks):
    """A cluster where the StatefulSet was deployed earlier with other claim templates.

    The StatefulSet ignores changes to volumeClaimTemplates, so Pulumi sends the
    deployed templates along with everything else that is new; the API server then
    validates that merged object.
    """

    def __init__(self, deployed_templates: list[dict[str, Any]]) -> None:
        super().__init__()
        self.deployed_templates = deployed_templates

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        if args.typ == "kubernetes:apps/v1:StatefulSet":
            inputs = copy.deepcopy(args.inputs)
            inputs["spec"]["volumeClaimTemplates"] = self.deployed_templates
            args = MockResourceArgs(
                args.typ, args.name, inputs, args.provider, args.resource_id, args.custom
            )
        return super().new_resource(args)


def storage_class(name: str, **fields: Any) -> dict[str, Any]:
    """A StorageClass as the cluster returns it to a read (for `KubernetesMocks(existing=)`)."""
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "provisioner": "csi.example.com",
        **fields,
    }

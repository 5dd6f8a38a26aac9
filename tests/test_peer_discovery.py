"""Peer discovery outputs of StatefulServicePair, computed from the objects the mocks created."""

import inspect
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
from pulumi.provider.experimental.analyzer import Analyzer, PropertyType
from stateful_service_pair import StatefulServicePair, peers
from stateful_service_pair._component import PACKAGE_NAME
from stateful_service_pair._validation import PairArgumentError
from stateful_service_pair.testing import KubernetesMocks

MYSQL: dict[str, Any] = {
    "image": "mysql:8.4",
    "ports": [{"name": "mysql", "port": 3306}],
    "replicas": 3,
}
# A Service port that differs from the container port: peers must get the container port.
KAFKA_CONTROLLERS: dict[str, Any] = {
    "image": "apache/kafka:3.9.1",
    "ports": [{"name": "controller", "port": 19093, "target_port": 9093}],
    "replicas": 3,
}


def declared_annotations() -> dict[str, Any]:
    """The component's own class annotations, evaluated (the module postpones them)."""
    return inspect.get_annotations(StatefulServicePair, eval_str=True)


def test_peer_endpoints_and_primary_by_default(mocks: KubernetesMocks) -> None:
    """host:port of every Pod per port name, and the lowest ordinal as the primary."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", MYSQL)
        assert await pair.peer_endpoints.future() == {
            "mysql": [
                "mysql-0.mysql-headless.default.svc.cluster.local:3306",
                "mysql-1.mysql-headless.default.svc.cluster.local:3306",
                "mysql-2.mysql-headless.default.svc.cluster.local:3306",
            ]
        }
        assert (
            await pair.primary_dns_name.future()
            == "mysql-0.mysql-headless.default.svc.cluster.local"
        )
        assert (
            await pair.primary_endpoint("mysql").future()
            == "mysql-0.mysql-headless.default.svc.cluster.local:3306"
        )

    run()


def test_peers_get_the_container_port_not_the_service_port(mocks: KubernetesMocks) -> None:
    """Peers connect to a Pod's own address, so they get target_port (9093), not port (19093)."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("kafka-controller", KAFKA_CONTROLLERS)
        assert await pair.endpoints("controller").future() == [
            f"kafka-controller-{i}.kafka-controller-headless.default.svc.cluster.local:9093"
            for i in range(3)
        ]

    run()


def test_member_lists_honour_names_namespace_domain_and_ordinals(mocks: KubernetesMocks) -> None:
    """Namespace, cluster domain, ordinals_start and object names reach every member."""

    @pulumi.runtime.test
    async def run() -> None:
        provider = k8s.Provider("streaming", namespace="streaming")
        pair = StatefulServicePair(
            "controllers",
            {
                **KAFKA_CONTROLLERS,
                "namespace": "streaming",
                "ordinals_start": 1,
                "cluster_domain": "k8s.example.org",
                "stateful_set_name": "controller",
                "headless_service_name": "voters",
            },
            opts=pulumi.ResourceOptions(provider=provider),
        )
        assert await pair.members("controller", peers.KAFKA_QUORUM_VOTERS).future() == (
            "1@controller-1.voters.streaming.svc.k8s.example.org:9093,"
            "2@controller-2.voters.streaming.svc.k8s.example.org:9093,"
            "3@controller-3.voters.streaming.svc.k8s.example.org:9093"
        )
        assert await pair.members(
            "controller", peers.KAFKA_QUORUM_VOTERS, id_offset=10
        ).future() == (
            "11@controller-1.voters.streaming.svc.k8s.example.org:9093,"
            "12@controller-2.voters.streaming.svc.k8s.example.org:9093,"
            "13@controller-3.voters.streaming.svc.k8s.example.org:9093"
        )
        assert (
            await pair.primary_dns_name.future()
            == "controller-1.voters.streaming.svc.k8s.example.org"
        )

    run()


def test_etcd_initial_cluster_from_the_created_pair(mocks: KubernetesMocks) -> None:
    """members() with the etcd form names each member after its Pod, on the peer port."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "etcd",
            {
                "image": "quay.io/coreos/etcd:v3.5.17",
                "ports": [{"name": "client", "port": 2379}, {"name": "peer", "port": 2380}],
                "replicas": 3,
                "namespace": "kv",
            },
        )
        assert await pair.members("peer", peers.ETCD_INITIAL_CLUSTER).future() == (
            "etcd-0=http://etcd-0.etcd-headless.kv.svc.cluster.local:2380,"
            "etcd-1=http://etcd-1.etcd-headless.kv.svc.cluster.local:2380,"
            "etcd-2=http://etcd-2.etcd-headless.kv.svc.cluster.local:2380"
        )
        assert await pair.members("client", separator=";").future() == (
            "etcd-0.etcd-headless.kv.svc.cluster.local:2379;"
            "etcd-1.etcd-headless.kv.svc.cluster.local:2379;"
            "etcd-2.etcd-headless.kv.svc.cluster.local:2379"
        )

    run()


def test_outputs_equal_the_pure_helpers_for_the_same_names(mocks: KubernetesMocks) -> None:
    """What a program computes in advance with peers.stateful_set_peers is what the pair reports."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", {**MYSQL, "namespace": "db", "ordinals_start": 5})
        planned = peers.stateful_set_peers("mysql", "mysql-headless", "db", 3, ordinals_start=5)
        assert await pair.endpoints("mysql").future() == peers.endpoints(planned, 3306)
        assert await pair.primary_dns_name.future() == planned[0].host

    run()


def test_no_replicas_means_no_members_and_no_primary(mocks: KubernetesMocks) -> None:
    """Scaled to zero: empty member lists and None for the primary, not an error."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", {**MYSQL, "replicas": 0})
        assert await pair.peer_endpoints.future() == {"mysql": []}
        assert await pair.primary_dns_name.future() is None
        assert await pair.primary_endpoint("mysql").future() is None
        assert await pair.members("mysql").future() == ""

    run()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda pair: pair.endpoints("peers"),
            "StatefulServicePair 'mysql': port_name='peers' must name one of the pair's ports: "
            "['mysql']",
        ),
        (lambda pair: pair.primary_endpoint("3306"), "port_name='3306' must name one of"),
        (lambda pair: pair.members("mysql", "{hostname}"), "template='{hostname}' refers to"),
    ],
)
def test_bad_port_names_and_templates_fail_at_the_call(
    mocks: KubernetesMocks, call: Any, message: str
) -> None:
    """An unknown port name or template field raises where it is written, not in an apply."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", MYSQL)
        with pytest.raises(PairArgumentError) as caught:
            call(pair)
        assert message in str(caught.value)

    run()


def test_new_outputs_are_declared_for_other_languages() -> None:
    """The SDK's analyzer reads both outputs from the class annotations, with their docstrings."""
    hints = declared_annotations()
    analyzer = Analyzer(PACKAGE_NAME)

    def analyzed(name: str) -> Any:
        return analyzer.analyze_property(
            hints[name], StatefulServicePair, name, can_be_plain=False, is_component_output=True
        )

    endpoints = analyzed("peer_endpoints")
    assert (endpoints.type, endpoints.optional) == (PropertyType.OBJECT, False)
    assert endpoints.additional_properties.type == PropertyType.ARRAY
    assert endpoints.additional_properties.items.type == PropertyType.STRING
    assert endpoints.description.startswith("``host:port`` of every Pod in ordinal order")
    primary = analyzed("primary_dns_name")
    assert (primary.type, primary.optional) == (PropertyType.STRING, True)
    assert primary.description.startswith("DNS name of the Pod with the lowest ordinal")


def test_registered_outputs_are_exactly_the_declared_ones(
    mocks: KubernetesMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """register_outputs gets a value for every output the class declares, and nothing else."""
    registered: dict[str, Any] = {}
    original = StatefulServicePair.register_outputs

    def spy(self: StatefulServicePair, outputs: dict[str, Any]) -> None:
        registered.update(outputs)
        original(self, outputs)

    monkeypatch.setattr(StatefulServicePair, "register_outputs", spy)

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", MYSQL)

    run()
    declared = {
        name
        for name, annotation in declared_annotations().items()
        if getattr(annotation, "__origin__", None) is pulumi.Output
    }
    assert {"peer_endpoints", "primary_dns_name"} <= declared
    # Plus the storage check, registered so that its refusal stops the run (not an output).
    assert set(registered) == declared | {"storage_matches_deployed"}
    assert registered["storage_matches_deployed"] is not None

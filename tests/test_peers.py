"""Member-list strings, checked against what each system's own documentation shows. No mocks."""

import re

import pytest
from stateful_service_pair import peers
from stateful_service_pair.peers import Peer

# etcd clustering guide, "Static" (https://etcd.io/docs/v3.4/op-guide/clustering/#static, the
# same text in v3.1 to latest): three members infra0..2 at 10.0.1.10..12, peer port 2380.
ETCD_GUIDE_MEMBERS = [
    Peer(0, "infra0", "10.0.1.10"),
    Peer(1, "infra1", "10.0.1.11"),
    Peer(2, "infra2", "10.0.1.12"),
]
ETCD_GUIDE_INITIAL_CLUSTER = (
    "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380"
)

# Kafka KRaft docs, "Quorum Voters": apache/kafka config/kraft/README.md (3.0) and the KRaft
# section of docs/ops.html (3.x): controllers controller1..3 with node.id 1..3, port 9093.
KAFKA_DOCS_CONTROLLERS = [
    Peer(ordinal, f"controller{ordinal}", f"controller{ordinal}.example.com")
    for ordinal in (1, 2, 3)
]
KAFKA_DOCS_VOTERS = (
    "1@controller1.example.com:9093,2@controller2.example.com:9093,3@controller3.example.com:9093"
)


def test_etcd_initial_cluster_matches_the_etcd_clustering_guide() -> None:
    """The etcd guide's --initial-cluster for infra0..2, character for character."""
    assert peers.etcd_initial_cluster(ETCD_GUIDE_MEMBERS, 2380) == ETCD_GUIDE_INITIAL_CLUSTER


def test_etcd_initial_cluster_over_tls_uses_https_urls() -> None:
    """scheme='https' changes every peer URL and nothing else."""
    assert peers.etcd_initial_cluster(ETCD_GUIDE_MEMBERS, 2380, scheme="https") == (
        ETCD_GUIDE_INITIAL_CLUSTER.replace("http://", "https://")
    )
    with pytest.raises(ValueError, match="scheme 'unix' must be 'http' or 'https'"):
        peers.etcd_initial_cluster(ETCD_GUIDE_MEMBERS, 2380, scheme="unix")


def test_kafka_quorum_voters_match_the_kraft_documentation() -> None:
    """The Kafka docs' controller.quorum.voters for controller1..3 (node ids 1..3)."""
    assert peers.kafka_quorum_voters(KAFKA_DOCS_CONTROLLERS, 9093) == KAFKA_DOCS_VOTERS


def test_kafka_node_ids_are_ordinal_plus_offset() -> None:
    """Ordinals 0..2 with node_id_offset=1 give the documented ids 1..3."""
    zero_based = [Peer(peer.ordinal - 1, peer.name, peer.host) for peer in KAFKA_DOCS_CONTROLLERS]
    assert peers.kafka_quorum_voters(zero_based, 9093) == (
        "0@controller1.example.com:9093,1@controller2.example.com:9093,2@controller3.example.com:9093"
    )
    assert peers.kafka_quorum_voters(zero_based, 9093, node_id_offset=1) == KAFKA_DOCS_VOTERS


def test_kafka_voters_of_a_statefulset_match_the_official_docker_example() -> None:
    """StatefulSet 'controller' from ordinal 1 gives the official docker example's voters."""
    # apache/kafka docker/examples/docker-compose-files/cluster/isolated/plaintext/
    # docker-compose.yml, where the hosts are the container names controller-1..3.
    members = peers.stateful_set_peers("controller", "controller", "kafka", 3, ordinals_start=1)
    as_in_compose = [Peer(peer.ordinal, peer.name, peer.name) for peer in members]
    assert peers.kafka_quorum_voters(as_in_compose, 9093) == (
        "1@controller-1:9093,2@controller-2:9093,3@controller-3:9093"
    )


def test_bootstrap_servers_match_the_kafka_4_kraft_documentation() -> None:
    """host:port members give Kafka 4's controller.quorum.bootstrap.servers example."""
    # apache/kafka docs/operations/kraft.md, "Controllers".
    assert peers.format_members(KAFKA_DOCS_CONTROLLERS, 9093) == (
        "controller1.example.com:9093,controller2.example.com:9093,controller3.example.com:9093"
    )


def test_stateful_set_peers_use_per_pod_dns_names() -> None:
    """Members are <sts>-<ordinal>.<headless>.<namespace>.svc.<domain>, from ordinals_start."""
    assert peers.stateful_set_peers(
        "etcd", "etcd-peers", "infra", 2, ordinals_start=3, cluster_domain="corp.internal"
    ) == [
        Peer(3, "etcd-3", "etcd-3.etcd-peers.infra.svc.corp.internal"),
        Peer(4, "etcd-4", "etcd-4.etcd-peers.infra.svc.corp.internal"),
    ]


def test_primary_is_the_lowest_ordinal() -> None:
    """The primary is the lowest ordinal: mysql-0.mysql, as in the Kubernetes MySQL tutorial."""
    # kubernetes.io "Run a Replicated Stateful Application": StatefulSet and headless Service
    # are both 'mysql', and writes go to the primary, mysql-0.mysql.
    members = peers.stateful_set_peers("mysql", "mysql", "default", 3)
    first = peers.primary(list(reversed(members)))
    assert first == Peer(0, "mysql-0", "mysql-0.mysql.default.svc.cluster.local")
    assert peers.primary([]) is None


def test_endpoints_are_host_port_in_ordinal_order() -> None:
    """endpoints() sorts by ordinal whatever order the members come in."""
    assert peers.endpoints(list(reversed(ETCD_GUIDE_MEMBERS)), 2379) == [
        "10.0.1.10:2379",
        "10.0.1.11:2379",
        "10.0.1.12:2379",
    ]


def test_format_members_templates_separators_and_ids() -> None:
    """Every template field, a custom separator and an id offset (MySQL server-id = 100 + n)."""
    members = peers.stateful_set_peers("db", "db-headless", "prod", 2)
    assert peers.format_members(
        members, 3306, "{ordinal}:{id}:{name}:{host}:{port}", separator=" ", id_offset=100
    ) == (
        "0:100:db-0:db-0.db-headless.prod.svc.cluster.local:3306 "
        "1:101:db-1:db-1.db-headless.prod.svc.cluster.local:3306"
    )


@pytest.mark.parametrize(
    ("template", "port", "id_offset", "message"),
    [
        (
            "{host}:{prot}",
            2380,
            0,
            "template '{host}:{prot}' refers to 'prot'; a member template may use only "
            "{host}, {id}, {name}, {ordinal}, {port}",
        ),
        ("{}", 2380, 0, "template '{}' refers to ''"),
        ("{host", 2380, 0, "template '{host' is not a format string"),
        ("static", 2380, 0, "template 'static' has no field"),
        ("{host}:{port}", 0, 0, "port 0 must be between 1 and 65535"),
        ("{id}@{host}", 2380, -1, "infra0: id 0 + -1 = -1 is negative"),
    ],
)
def test_format_members_refuses_what_cannot_be_right(
    template: str, port: int, id_offset: int, message: str
) -> None:
    """Unknown fields, broken templates, impossible ports and negative ids fail clearly."""
    with pytest.raises(ValueError, match=re.escape(message)):
        peers.format_members(ETCD_GUIDE_MEMBERS, port, template, id_offset=id_offset)

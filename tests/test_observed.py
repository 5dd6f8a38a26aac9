"""Every output is derived from what the created objects have: pure checks, no mocks."""

from components.observed import ObservedPair

OBSERVED = ObservedPair(
    stateful_set_name="member",
    stateful_set_namespace="infra",
    service_name="peers",
    replicas=2,
    ordinals_start=1,
    headless_service_name="peers",
    headless_service_namespace="infra",
    client_service_name="etcd",
    client_service_namespace="infra",
    published_ports=(("client", "TCP"), ("peer", "TCP"), ("gossip", "UDP")),
    container_ports={"client": 2379, "peer": 12380, "gossip": 7946},
    claim_templates=(),
)


def test_pod_and_service_names() -> None:
    """Pods follow ordinals.start; their subdomain is the StatefulSet's serviceName."""
    assert OBSERVED.pod_names() == ["member-1", "member-2"]
    assert OBSERVED.pod_dns_names("corp.internal") == [
        "member-1.peers.infra.svc.corp.internal",
        "member-2.peers.infra.svc.corp.internal",
    ]
    assert OBSERVED.headless_service_dns("corp.internal") == "peers.infra.svc.corp.internal"
    assert OBSERVED.client_service_dns("corp.internal") == "etcd.infra.svc.corp.internal"


def test_srv_records_carry_each_ports_protocol() -> None:
    """One SRV name per published port, with its own protocol."""
    assert OBSERVED.srv_records("cluster.local") == {
        "client": "_client._tcp.peers.infra.svc.cluster.local",
        "peer": "_peer._tcp.peers.infra.svc.cluster.local",
        "gossip": "_gossip._udp.peers.infra.svc.cluster.local",
    }


def test_peers_use_container_ports_and_the_lowest_ordinal_is_primary() -> None:
    """Peers reach a Pod's own (container) port; the primary is the lowest ordinal."""
    assert OBSERVED.peer_endpoints("cluster.local")["peer"] == [
        "member-1.peers.infra.svc.cluster.local:12380",
        "member-2.peers.infra.svc.cluster.local:12380",
    ]
    assert OBSERVED.primary_dns_name("cluster.local") == "member-1.peers.infra.svc.cluster.local"
    assert [member.ordinal for member in OBSERVED.members("cluster.local")] == [1, 2]


def test_no_replicas_means_no_primary() -> None:
    """With zero replicas there is no primary and no endpoint."""
    empty = ObservedPair(**{**OBSERVED.__dict__, "replicas": 0})
    assert empty.primary_dns_name("cluster.local") is None
    assert empty.peer_endpoints("cluster.local") == {"client": [], "peer": [], "gossip": []}

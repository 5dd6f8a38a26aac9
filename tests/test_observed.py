"""Every output is derived from the object it describes: pure checks, no mocks."""

from types import SimpleNamespace as Obj

from stateful_service_pair._observed import (
    ObservedStatefulSet,
    observe_stateful_set,
    service_dns,
    srv_records,
)

# serviceName and namespace deliberately differ from any Service's, so a derivation that
# read the wrong object would give other names.
OBSERVED = ObservedStatefulSet(
    name="member",
    namespace="infra",
    service_name="peers",
    replicas=2,
    ordinals_start=1,
    container_ports={"client": 2379, "peer": 12380},
    claim_templates=(),
)


def test_pod_names_follow_ordinals_and_the_stateful_sets_own_service_name() -> None:
    """Pods follow ordinals.start; their subdomain is the StatefulSet's serviceName."""
    assert OBSERVED.pod_names() == ["member-1", "member-2"]
    assert OBSERVED.pod_dns_names("corp.internal") == [
        "member-1.peers.infra.svc.corp.internal",
        "member-2.peers.infra.svc.corp.internal",
    ]


def test_peers_use_container_ports_and_the_lowest_ordinal_is_primary() -> None:
    """Peers reach a Pod's own (container) port; the primary is the lowest ordinal."""
    assert OBSERVED.peer_endpoints("cluster.local", ["peer"]) == {
        "peer": [
            "member-1.peers.infra.svc.cluster.local:12380",
            "member-2.peers.infra.svc.cluster.local:12380",
        ]
    }
    assert OBSERVED.primary_dns_name("cluster.local") == "member-1.peers.infra.svc.cluster.local"
    assert [member.ordinal for member in OBSERVED.members("cluster.local")] == [1, 2]


def test_no_replicas_means_no_primary() -> None:
    """With zero replicas there is no primary and no endpoint."""
    empty = ObservedStatefulSet(**{**OBSERVED.__dict__, "replicas": 0})
    assert empty.primary_dns_name("cluster.local") is None
    assert empty.peer_endpoints("cluster.local", ["client"]) == {"client": []}


def test_service_names_come_from_each_services_own_fields() -> None:
    """A Service's DNS and SRV names use that Service's name, namespace and port protocols."""
    metadata = Obj(name="etcd-peers", namespace="ops")
    spec = Obj(ports=[Obj(name="peer", protocol="TCP"), Obj(name="gossip", protocol="UDP")])
    assert service_dns(metadata, "corp.internal") == "etcd-peers.ops.svc.corp.internal"
    assert srv_records(metadata, spec, "corp.internal") == {
        "peer": "_peer._tcp.etcd-peers.ops.svc.corp.internal",
        "gossip": "_gossip._udp.etcd-peers.ops.svc.corp.internal",
    }


def test_observe_reads_ordinals_ports_and_claims() -> None:
    """The StatefulSet's fields are read as Kubernetes reports them (ordinals default 0)."""
    template = Obj(
        metadata=Obj(name="data"),
        spec=Obj(
            resources=Obj(requests={"storage": "5Gi"}),
            storage_class_name=None,
            access_modes=["ReadWriteOnce"],
        ),
    )
    spec = Obj(
        ordinals=None,
        service_name="db-headless",
        replicas=3,
        template=Obj(spec=Obj(containers=[Obj(ports=[Obj(name="db", container_port=5432)])])),
        volume_claim_templates=[template],
    )
    observed = observe_stateful_set(Obj(name="db", namespace="prod"), spec)
    assert (observed.ordinals_start, observed.container_ports) == (0, {"db": 5432})
    assert observed.claim_templates == (
        {
            "name": "data",
            "size": "5Gi",
            "storage_class_name": None,
            "access_modes": ["ReadWriteOnce"],
        },
    )

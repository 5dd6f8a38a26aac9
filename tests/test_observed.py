"""The Pod names from the StatefulSet as the Pods get it: pure checks, no mocks."""

from types import SimpleNamespace as Obj

from stateful_service_pair._observed import PlannedStatefulSet, claim_templates

# serviceName and namespace deliberately differ from any Service's, so a derivation that
# read the wrong object would give other names.
PLANNED = PlannedStatefulSet(
    name="member",
    namespace="infra",
    service_name="peers",
    replicas=2,
    ordinals_start=1,
    container_ports={"client": 2379, "peer": 12380},
)


def test_pod_names_follow_ordinals_and_the_stateful_sets_own_service_name() -> None:
    """Pods follow ordinals.start; their subdomain is the StatefulSet's serviceName."""
    assert PLANNED.pod_names() == ["member-1", "member-2"]
    assert PLANNED.pod_dns_names("corp.internal") == [
        "member-1.peers.infra.svc.corp.internal",
        "member-2.peers.infra.svc.corp.internal",
    ]


def test_peers_use_container_ports_and_the_lowest_ordinal_is_primary() -> None:
    """Peers reach a Pod's own (container) port; the primary is the lowest ordinal."""
    assert PLANNED.peer_endpoints("cluster.local", ["peer"]) == {
        "peer": [
            "member-1.peers.infra.svc.cluster.local:12380",
            "member-2.peers.infra.svc.cluster.local:12380",
        ]
    }
    assert PLANNED.primary_dns_name("cluster.local") == "member-1.peers.infra.svc.cluster.local"
    assert [member.ordinal for member in PLANNED.members("cluster.local")] == [1, 2]


def test_no_replicas_means_no_primary() -> None:
    """With zero replicas there is no primary and no endpoint."""
    empty = PlannedStatefulSet(**{**PLANNED.__dict__, "replicas": 0})
    assert empty.primary_dns_name("cluster.local") is None
    assert empty.peer_endpoints("cluster.local", ["client"]) == {"client": []}


def test_claim_templates_are_read_as_kubernetes_reports_them() -> None:
    """Name, size, class and access modes of each created claim template."""
    template = Obj(
        metadata=Obj(name="data"),
        spec=Obj(
            resources=Obj(requests={"storage": "5Gi"}),
            storage_class_name=None,
            access_modes=["ReadWriteOnce"],
        ),
    )
    assert claim_templates(Obj(volume_claim_templates=[template])) == [
        {
            "name": "data",
            "size": "5Gi",
            "storage_class_name": None,
            "access_modes": ["ReadWriteOnce"],
        },
    ]
    assert claim_templates(Obj(volume_claim_templates=None)) == []

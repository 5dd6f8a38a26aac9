"""Exposed client Service, per-Service annotations and per-Pod Services (issue 14, items 2, 3)."""

from typing import Any

import pulumi
import pytest
from stateful_service_pair import StatefulServicePair
from stateful_service_pair._exposure import external_address
from stateful_service_pair._validation import PairArgumentError
from stateful_service_pair.testing import KubernetesMocks

from .helpers import assert_refused_before_registering, by_kind_and_name, manifest

KAFKA: dict[str, Any] = {
    "image": "apache/kafka:3.9.0",
    "ports": [{"name": "broker", "port": 9092}, {"name": "controller", "port": 9093}],
    "namespace": "streaming",
}


def deploy(args: dict[str, Any]) -> StatefulServicePair:
    holder: list[StatefulServicePair] = []

    @pulumi.runtime.test
    async def run() -> None:
        holder.append(StatefulServicePair("kafka", args))

    run()
    return holder[0]


def test_client_service_defaults_to_cluster_ip_without_own_annotations(
    mocks: KubernetesMocks,
) -> None:
    """No argument: ClusterIP, no node ports, no source ranges, no annotations on either."""
    deploy(KAFKA)
    client = manifest(mocks, "Service", "kafka")
    headless = manifest(mocks, "Service", "kafka-headless")
    assert client["spec"]["type"] == "ClusterIP"
    assert "loadBalancerSourceRanges" not in client["spec"]
    assert all("nodePort" not in port for port in client["spec"]["ports"])
    assert "annotations" not in client["metadata"]
    assert "annotations" not in headless["metadata"]
    assert [o.kind for o in mocks.objects].count("Service") == 2


def test_client_service_can_be_a_load_balancer_with_its_own_annotations(
    mocks: KubernetesMocks,
) -> None:
    """type, annotations, source ranges and node ports reach the client Service only."""
    deploy(
        {
            **KAFKA,
            "annotations": {"team": "data"},
            "client_service": {
                "type": "LoadBalancer",
                "annotations": {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"},
                "load_balancer_source_ranges": ["203.0.113.0/24", "2001:db8::/32"],
                "node_ports": {"broker": 30092.0},
            },
            "headless_service_annotations": {"prometheus.io/scrape": "false"},
        }
    )
    client = manifest(mocks, "Service", "kafka")
    headless = manifest(mocks, "Service", "kafka-headless")
    assert client["spec"]["type"] == "LoadBalancer"
    assert client["spec"]["loadBalancerSourceRanges"] == ["203.0.113.0/24", "2001:db8::/32"]
    assert [(p["name"], p.get("nodePort")) for p in client["spec"]["ports"]] == [
        ("broker", 30092),
        ("controller", None),
    ]
    assert client["metadata"]["annotations"] == {
        "team": "data",
        "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    }
    assert headless["metadata"]["annotations"] == {"team": "data", "prometheus.io/scrape": "false"}
    sts = manifest(mocks, "StatefulSet", "kafka")
    assert sts["metadata"]["annotations"] == {"team": "data"}


def test_service_annotation_outputs_resolve_into_the_service(mocks: KubernetesMocks) -> None:
    """An annotation value that is an Output (a certificate ARN, say) is written when known."""
    deploy(
        {
            **KAFKA,
            "client_service": {
                "type": "NodePort",
                "annotations": {"example.com/cert": pulumi.Output.from_input("arn:cert")},
            },
        }
    )
    client = manifest(mocks, "Service", "kafka")
    assert client["metadata"]["annotations"] == {"example.com/cert": "arn:cert"}
    assert client["spec"]["type"] == "NodePort"


@pytest.mark.parametrize(
    ("extra", "argument"),
    [
        (
            {"headless_service_annotations": {"a": pulumi.Output.from_input(3)}},
            "headless_service_annotations['a']",
        ),
        (
            {"client_service": {"annotations": {"a": pulumi.Output.from_input(3)}}},
            "client_service.annotations['a']",
        ),
        (
            {"per_pod_services": {"annotations": {"a": pulumi.Output.from_input(3)}}},
            "per_pod_services.annotations['a']",
        ),
    ],
)
def test_a_bad_service_annotation_output_stops_every_registration(
    mocks: KubernetesMocks, extra: dict[str, Any], argument: str
) -> None:
    """A Service annotation Output that resolves to a non-string: every child's registration
    waits for its check and fails with it."""
    outcomes: dict[str, str] = {}

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("kafka", {**KAFKA, **extra})
        children = [pair.headless_service, pair.client_service, pair.stateful_set]
        for child in [*children, *pair.per_pod_services]:
            try:
                await child.urn.future()
                outcomes[child._name] = "registered"
            except PairArgumentError as error:
                outcomes[child._name] = error.argument
        await pair.pod_names.future()

    with pytest.raises(PairArgumentError, match=r"=3 must be a string"):
        run()
    expected = ["kafka-headless", "kafka-client", "kafka-statefulset"]
    if "per_pod_services" in extra:
        expected.append("kafka-pod-kafka-0")
    assert outcomes == dict.fromkeys(expected, argument)
    assert mocks.objects == []


def test_per_pod_services_select_one_pod_each(mocks: KubernetesMocks) -> None:
    """One Service per Pod, named like it, selecting it by the controller's pod-name label."""
    pair = deploy(
        {
            **KAFKA,
            "replicas": 3.0,
            "ordinals_start": 1,
            "per_pod_services": {
                "type": "LoadBalancer",
                "annotations": {"external-dns.alpha.kubernetes.io/ttl": "60"},
                "load_balancer_source_ranges": ["198.51.100.0/24"],
            },
        }
    )
    services = {
        name: obj for (kind, name), obj in by_kind_and_name(mocks).items() if kind == "Service"
    }
    assert sorted(services) == ["kafka", "kafka-1", "kafka-2", "kafka-3", "kafka-headless"]
    one = services["kafka-2"].manifest
    assert one["spec"]["selector"] == {
        "stateful-service-pair/statefulset": "kafka",
        "statefulset.kubernetes.io/pod-name": "kafka-2",
    }
    assert one["spec"]["type"] == "LoadBalancer"
    assert one["spec"]["loadBalancerSourceRanges"] == ["198.51.100.0/24"]
    assert [(p["name"], p["port"], p["targetPort"]) for p in one["spec"]["ports"]] == [
        ("broker", 9092, "broker"),
        ("controller", 9093, "controller"),
    ]
    assert one["metadata"]["annotations"] == {"external-dns.alpha.kubernetes.io/ttl": "60"}
    assert services["kafka-2"].namespace == "streaming"

    @pulumi.runtime.test
    async def outputs() -> None:
        assert await pair.per_pod_service_dns.future() == [
            f"kafka-{i}.streaming.svc.cluster.local" for i in (1, 2, 3)
        ]
        # The mocks report no load balancer status, like a cluster without a load balancer.
        assert await pair.per_pod_external_addresses.future() == ["", "", ""]
        names = await pair.tls_dns_names.future()
        assert names[-4:] == [
            "kafka-3.streaming.svc.cluster.local",
            "kafka-3.streaming.svc",
            "kafka-3.streaming",
            "kafka-3",
        ]

    outputs()


def test_per_pod_services_default_to_cluster_ip_and_outputs_are_empty_without_them(
    mocks: KubernetesMocks,
) -> None:
    """`{}` gives ClusterIP Services; without the argument the per-Pod outputs are empty."""
    deploy({**KAFKA, "replicas": 2, "per_pod_services": {}})
    assert manifest(mocks, "Service", "kafka-0")["spec"]["type"] == "ClusterIP"
    assert "loadBalancerSourceRanges" not in manifest(mocks, "Service", "kafka-1")["spec"]

    @pulumi.runtime.test
    async def outputs() -> None:
        pair = StatefulServicePair("other", {**KAFKA, "per_pod_services": {"enabled": False}})
        assert await pair.per_pod_service_dns.future() == []
        assert await pair.per_pod_external_addresses.future() == []

    outputs()
    assert not any(o.name == "other-0" for o in mocks.objects)


def test_external_address_reads_ip_then_hostname() -> None:
    """The load balancer's first ingress: its IP, else its hostname, else empty."""

    class Obj:
        def __init__(self, **fields: Any) -> None:
            self.__dict__.update(fields)

    def status(*ingress: Obj) -> Obj:
        return Obj(load_balancer=Obj(ingress=list(ingress)))

    assert external_address(status(Obj(ip="192.0.2.7", hostname=None))) == "192.0.2.7"
    assert external_address(status(Obj(ip=None, hostname="lb.example.com"))) == "lb.example.com"
    assert external_address(status()) == ""
    assert external_address(None) == ""


BAD: list[tuple[dict[str, Any], str]] = [
    ({"client_service": {"type": "External"}}, r"client_service.type='External' must be one of"),
    (
        {"client_service": {"type": "NodePort", "node_ports": {"broker": 80}}},
        r"client_service.node_ports\['broker'\]=80 must be between 30000 and 32767",
    ),
    (
        {"client_service": {"type": "NodePort", "node_ports": {"kafka": 30001}}},
        r"client_service.node_ports key='kafka' must name one of the pair's ports",
    ),
    (
        {"client_service": {"node_ports": {"broker": 30001}}},
        r"only applies with client_service.type='NodePort' or 'LoadBalancer'",
    ),
    (
        {
            "client_service": {
                "type": "NodePort",
                "node_ports": {"broker": 30001, "controller": 30001},
            }
        },
        r"is also the node port of 'broker'",
    ),
    (
        {"client_service": {"type": "NodePort", "load_balancer_source_ranges": ["10.0.0.0/8"]}},
        r"ranges=\['10.0.0.0/8'\] only applies with client_service.type='LoadBalancer'",
    ),
    (
        {"client_service": {"type": "LoadBalancer", "load_balancer_source_ranges": ["10.0.0.1"]}},
        r"load_balancer_source_ranges\[0\]='10.0.0.1' must be a CIDR",
    ),
    (
        {
            "client_service": {
                "type": "LoadBalancer",
                "load_balancer_source_ranges": ["10.0.0.0/33"],
            }
        },
        r"is not a CIDR",
    ),
    ({"client_service": {"annotation": {}}}, r"did you mean 'annotations'"),
    ({"headless_service_annotations": {"bad key!": "x"}}, r"headless_service_annotations key"),
    ({"per_pod_services": {"type": "Ingress"}}, r"per_pod_services.type='Ingress' must be one of"),
    (
        {"per_pod_services": {}, "replicas": pulumi.Output.from_input(3)},
        r"per_pod_services=\{\} needs a plain integer replicas",
    ),
    (
        {"per_pod_services": {}, "replicas": 2, "client_service_name": "kafka-1"},
        r"client_service_name='kafka-1' is also the name of a per-Pod Service",
    ),
    (
        {"per_pod_services": {}, "stateful_set_name": "0kafka"},
        r"per_pod_services='0kafka-0' would name a Service after the Pod",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD, ids=[m for _e, m in BAD])
def test_bad_exposure_registers_nothing(
    mocks: KubernetesMocks, extra: dict[str, Any], message: str
) -> None:
    """Each rule names argument, value and rule, before the component or a child registers."""
    assert_refused_before_registering(mocks, "kafka", {**KAFKA, **extra}, message)

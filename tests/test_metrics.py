"""Metrics port and Prometheus Operator ServiceMonitor (issue 14, item 4)."""

from typing import Any

import pulumi
import pytest
from stateful_service_pair import StatefulServicePair
from stateful_service_pair._metrics import DURATION
from stateful_service_pair.testing import KubernetesMocks, use_kubernetes_mocks

from .helpers import KAFKA_ARGS, assert_refused_before_registering, by_kind_and_name, manifest

KAFKA: dict[str, Any] = KAFKA_ARGS
METRICS: dict[str, Any] = {
    "port": 9404,
    "path": "/prometheus",
    "service_monitor": {"interval": "1m30s", "labels": {"release": "prometheus"}},
}


def deploy(args: dict[str, Any], name: str = "kafka") -> StatefulServicePair:
    holder: list[StatefulServicePair] = []

    @pulumi.runtime.test
    async def run() -> None:
        holder.append(StatefulServicePair(name, args))

    run()
    return holder[0]


def resolved(output: pulumi.Output[Any]) -> Any:
    holder: list[Any] = []

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        return output.apply(holder.append)

    run()
    return holder[0]


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a LabelSelector with only matchLabels (all the pair writes) selects ``labels``."""
    assert set(selector) == {"matchLabels"}, selector
    return all(labels.get(key) == value for key, value in selector["matchLabels"].items())


def port_names(ports: list[dict[str, Any]]) -> list[str]:
    return [port["name"] for port in ports]


def test_without_metrics_nothing_changes(mocks: KubernetesMocks) -> None:
    """No metrics port, no extra label, no ServiceMonitor, no endpoints."""
    pair = deploy(KAFKA)
    headless = manifest(mocks, "Service", "kafka-headless")
    sts = manifest(mocks, "StatefulSet", "kafka")
    assert port_names(headless["spec"]["ports"]) == ["broker", "controller"]
    assert "stateful-service-pair/metrics" not in headless["metadata"]["labels"]
    assert port_names(sts["spec"]["template"]["spec"]["containers"][0]["ports"]) == [
        "broker",
        "controller",
    ]
    assert "ServiceMonitor" not in {obj.kind for obj in mocks.objects}
    assert pair.service_monitor is None
    assert resolved(pair.metrics_endpoints) == []


def test_metrics_port_is_on_the_container_and_the_headless_service_only(
    mocks: KubernetesMocks,
) -> None:
    """A whole float port (from another language) is the integer; the client and per-Pod
    Services, which may be exposed outside the cluster, never publish it."""
    pair = deploy(
        {
            **KAFKA,
            "replicas": 2,
            "metrics": {"port": 9404.0},
            "client_service": {"type": "LoadBalancer"},
            "per_pod_services": {"type": "LoadBalancer"},
        }
    )
    main = manifest(mocks, "StatefulSet", "kafka")["spec"]["template"]["spec"]["containers"][0]
    assert main["ports"][-1] == {"name": "metrics", "containerPort": 9404, "protocol": "TCP"}
    headless = manifest(mocks, "Service", "kafka-headless")
    assert headless["spec"]["ports"][-1] == {
        "name": "metrics",
        "port": 9404,
        "protocol": "TCP",
        "targetPort": "metrics",
    }
    for service in ("kafka", "kafka-0", "kafka-1"):
        ports = manifest(mocks, "Service", service)["spec"]["ports"]
        assert "metrics" not in port_names(ports), service
        assert 9404 not in [port["port"] for port in ports], service
    # No ServiceMonitor unless asked; the label is there for one of the user's own.
    assert "ServiceMonitor" not in {obj.kind for obj in mocks.objects}
    assert headless["metadata"]["labels"]["stateful-service-pair/metrics"] == "kafka"
    assert resolved(pair.metrics_endpoints) == [
        "kafka-0.kafka-headless.streaming.svc.cluster.local:9404",
        "kafka-1.kafka-headless.streaming.svc.cluster.local:9404",
    ]


def test_service_monitor_scrapes_the_metrics_port_of_this_pair(mocks: KubernetesMocks) -> None:
    """apiVersion, kind, name, namespace, labels over the pair's, and the one endpoint."""
    pair = deploy({**KAFKA, "metrics": METRICS})
    objects = by_kind_and_name(mocks)
    monitor = objects[("ServiceMonitor", "kafka")]
    assert monitor.manifest["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor.namespace == "streaming"
    assert monitor.manifest["metadata"]["labels"] == {
        "team": "data",
        "release": "prometheus",
        "app.kubernetes.io/instance": "kafka",
        "app.kubernetes.io/managed-by": "pulumi",
        "stateful-service-pair/statefulset": "kafka",
    }
    spec = monitor.manifest["spec"]
    assert spec["endpoints"] == [{"port": "metrics", "path": "/prometheus", "interval": "1m30s"}]
    assert spec["namespaceSelector"] == {"matchNames": ["streaming"]}
    assert pair.service_monitor is not None
    assert "metrics" in port_names(manifest(mocks, "Service", "kafka-headless")["spec"]["ports"])


def test_service_monitor_selects_the_headless_service_and_no_other(
    mocks: KubernetesMocks,
) -> None:
    """Its selector matches the headless Service's labels, not the client Service's, not a
    per-Pod Service's, not another pair's headless Service in the namespace."""
    deploy({**KAFKA, "replicas": 2, "metrics": METRICS, "per_pod_services": {}})
    deploy({**KAFKA, "metrics": METRICS}, name="other")
    selector = manifest(mocks, "ServiceMonitor", "kafka")["spec"]["selector"]
    services = {obj.name: obj for obj in mocks.objects if obj.kind == "Service"}
    selected = [
        name
        for name, obj in services.items()
        if obj.namespace == "streaming" and selects(selector, obj.manifest["metadata"]["labels"])
    ]
    assert selected == ["kafka-headless"]
    assert set(services) >= {"kafka", "kafka-0", "kafka-1", "other-headless", "other"}


def test_service_monitor_lands_in_and_selects_the_derived_namespace() -> None:
    """Without a namespace argument the pair derives it as the provider does; the
    ServiceMonitor and the headless Service land there and it watches only there."""
    mocks, _monitor = use_kubernetes_mocks(default_namespace="observed")
    args = {key: value for key, value in KAFKA.items() if key != "namespace"}
    deploy({**args, "metrics": METRICS})
    monitor = by_kind_and_name(mocks)[("ServiceMonitor", "kafka")]
    headless = by_kind_and_name(mocks)[("Service", "kafka-headless")]
    assert monitor.namespace == headless.namespace == "observed"
    assert monitor.manifest["spec"]["namespaceSelector"] == {"matchNames": ["observed"]}


def test_service_monitor_defaults(mocks: KubernetesMocks) -> None:
    """path /metrics, interval 30s, no labels of its own."""
    deploy({**KAFKA, "metrics": {"port": 9404, "service_monitor": {}}})
    monitor = manifest(mocks, "ServiceMonitor", "kafka")
    assert monitor["spec"]["endpoints"] == [
        {"port": "metrics", "path": "/metrics", "interval": "30s"}
    ]
    assert "release" not in monitor["metadata"]["labels"]


def ingress_for(policy: dict[str, Any], port: str) -> list[dict[str, Any]]:
    """The rules of a NetworkPolicy that admit traffic to the named port."""
    return [
        rule
        for rule in policy["spec"]["ingress"]
        if port in [entry["port"] for entry in rule["ports"]]
    ]


def test_network_policy_admits_only_the_scrapers_to_the_metrics_port(
    mocks: KubernetesMocks,
) -> None:
    """Scrapers reach the metrics port and nothing else; allowed clients do not reach it."""
    scraper = {
        "namespace_labels": {"kubernetes.io/metadata.name": "monitoring"},
        "pod_labels": {"app.kubernetes.io/name": "prometheus"},
    }
    deploy(
        {
            **KAFKA,
            "metrics": {**METRICS, "scrapers": [scraper]},
            "network_policy": {"allowed_clients": [{"pod_labels": {"role": "client"}}]},
        }
    )
    policy = manifest(mocks, "NetworkPolicy", "kafka")
    (metrics_rule,) = ingress_for(policy, "metrics")
    assert metrics_rule == {
        "from": [
            {
                "namespaceSelector": {"matchLabels": scraper["namespace_labels"]},
                "podSelector": {"matchLabels": scraper["pod_labels"]},
            }
        ],
        "ports": [{"port": "metrics", "protocol": "TCP"}],
    }
    (pair_rule,) = ingress_for(policy, "broker")
    assert "metrics" not in [entry["port"] for entry in pair_rule["ports"]]


def test_network_policy_without_scrapers_admits_nobody_to_the_metrics_port(
    mocks: KubernetesMocks,
) -> None:
    """Documented: name the scrapers, or Prometheus cannot reach the Pods."""
    deploy({**KAFKA, "metrics": METRICS, "network_policy": {}})
    assert ingress_for(manifest(mocks, "NetworkPolicy", "kafka"), "metrics") == []


def test_a_udp_port_may_share_the_metrics_port_number(mocks: KubernetesMocks) -> None:
    """Kubernetes tells ports apart by number and protocol: 9404/UDP does not collide."""
    deploy(
        {
            **KAFKA,
            "ports": [*KAFKA["ports"], {"name": "gossip", "port": 9404, "protocol": "UDP"}],
            "metrics": {"port": 9404},
        }
    )
    ports = manifest(mocks, "Service", "kafka-headless")["spec"]["ports"]
    assert [(p["name"], p["port"], p["protocol"]) for p in ports][-2:] == [
        ("gossip", 9404, "UDP"),
        ("metrics", 9404, "TCP"),
    ]


@pytest.mark.parametrize("interval", ["0", "30s", "1m30s", "500ms", "1h", "2d12h", "1y"])
def test_the_crds_durations_are_accepted(interval: str) -> None:
    assert DURATION.match(interval)


@pytest.mark.parametrize("interval", ["30", "30 s", "1.5m", "30S", "30s1m", "-1s", "1m 30s"])
def test_what_the_crd_refuses_is_refused(interval: str) -> None:
    """(The CRD's pattern also matches "", which the pair refuses on its own, see BAD.)"""
    assert not DURATION.match(interval)


def with_metrics(**fields: Any) -> dict[str, Any]:
    return {"metrics": {"port": 9404, **fields}}


BAD: list[tuple[dict[str, Any], str]] = [
    (with_metrics(port=0), r"metrics\.port=0 must be between 1 and 65535"),
    (with_metrics(port=65536), r"metrics\.port=65536 must be between 1 and 65535"),
    (with_metrics(port=9404.5), r"metrics\.port=9404\.5 must be an integer"),
    (with_metrics(port="9404"), r"metrics\.port='9404' must be an integer"),
    (with_metrics(port=True), r"metrics\.port=True must be an integer"),
    ({"metrics": {"path": "/metrics"}}, r"metrics\.port=None is required by MetricsArgs"),
    (with_metrics(port=9092), r"metrics\.port=9092 is already published over TCP by port 'broker'"),
    (
        with_metrics(port=19093),
        r"metrics\.port=19093 is already published over TCP by port 'controller'",
    ),
    (
        with_metrics(port=9093),
        r"metrics\.port=9093 is already the container port of 'controller'",
    ),
    (
        {
            "ports": [{"name": "metrics", "port": 8080}],
            "metrics": {"port": 9404},
        },
        r"ports\[0\]\.name='metrics' is the name of the metrics port",
    ),
    (
        {
            "extra_container_spec": {"ports": [{"name": "metrics", "container_port": 9999}]},
            **with_metrics(),
        },
        r"extra_container_spec\['ports'\]\[0\]\.name='metrics' is also the name of metrics\.port",
    ),
    (with_metrics(path="metrics"), r"metrics\.path='metrics' must start with '/'"),
    (with_metrics(path=""), r"metrics\.path='' must be a non-empty string"),
    (with_metrics(service_monitor={"interval": "30"}), r"interval='30' must be a Prometheus"),
    (with_metrics(service_monitor={"interval": "1.5m"}), r"interval='1\.5m' must be a Prometheus"),
    (with_metrics(service_monitor={"interval": ""}), r"interval='' must be a Prometheus"),
    (with_metrics(service_monitor={"interval": 30}), r"interval=30 must be a Prometheus"),
    (
        with_metrics(service_monitor={"labels": {"bad key!": "x"}}),
        r"metrics\.service_monitor\.labels key='bad key!' must be",
    ),
    (
        with_metrics(service_monitor={"labels": {"release": "not ok"}}),
        r"metrics\.service_monitor\.labels\['release'\]='not ok' must be empty or",
    ),
    (
        with_metrics(service_monitor={"labels": {"app.kubernetes.io/instance": "x"}}),
        r"labels\['app\.kubernetes\.io/instance'\]='x' is reserved",
    ),
    (
        with_metrics(service_monitor={"labels": {"stateful-service-pair/metrics": "x"}}),
        r"labels\['stateful-service-pair/metrics'\]='x' is reserved",
    ),
    (
        with_metrics(service_monitor={"scrape_interval": "30s"}),
        r"metrics\.service_monitor\.scrape_interval='30s' is not an argument of "
        r"ServiceMonitorArgs",
    ),
    (with_metrics(paht="/m"), r"metrics\.paht='/m' is not an argument of MetricsArgs"),
    (
        with_metrics(scrapers=[{"pod_labels": {"app": "prometheus"}}]),
        r"metrics\.scrapers=.* only applies with network_policy",
    ),
    (
        {"network_policy": {}, **with_metrics(scrapers=[{}])},
        r"metrics\.scrapers\[0\]=\{\} must set pod_labels, namespace_labels or both",
    ),
    (
        {"labels": {"stateful-service-pair/metrics": "kafka"}},
        r"labels\['stateful-service-pair/metrics'\]='kafka' is reserved",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD, ids=[m for _e, m in BAD])
def test_bad_metrics_register_nothing(
    mocks: KubernetesMocks, extra: dict[str, Any], message: str
) -> None:
    """Each rule names argument, value and rule, before the component or a child registers."""
    assert_refused_before_registering(mocks, "kafka", {**KAFKA, **extra}, message)

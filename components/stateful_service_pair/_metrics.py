"""Prometheus metrics: a ``metrics`` container port and a ServiceMonitor for it. Pure.

:func:`arguments` checks ``metrics`` (defaults from :mod:`._arguments`); :func:`check_combinations`
the rules that need the whole spec; the remaining functions shape what :mod:`._builders` and the
component register.

The port is published on the headless Service only. Its Endpoints list every Pod (also an
unready one, with ``publish_not_ready_addresses``), which is what a ServiceMonitor scrapes: each
Pod on its own. The client Service and the per-Pod Services do not get it: through the client
Service a scrape reaches one Pod chosen at random, and a client or per-Pod Service may be a
``NodePort`` or ``LoadBalancer``, which would publish the metrics outside the cluster.

The ServiceMonitor selects Services by label. The pair's labels are on every object, so the
headless Service alone gets one more, ``stateful-service-pair/metrics: <statefulset>``, and the
ServiceMonitor selects that label in the pair's namespace only: exactly this pair's headless
Service, never its client or per-Pod Services, nor another pair's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_kubernetes as k8s

from . import _arguments as table
from . import _naming as naming
from ._args import MetricsArgs, NetworkClientArgs, ServiceMonitorArgs
from ._spec import LabelPair, MetricsSpec, PairSpec, PortSpec, ServiceMonitorSpec

if TYPE_CHECKING:
    from ._validation import _Checker

PORT_NAME = "metrics"
PROTOCOL = "TCP"
# Only on the headless Service: what the ServiceMonitor selects.
SERVICE_LABEL = "stateful-service-pair/metrics"
API_VERSION = "monitoring.coreos.com/v1"
KIND = "ServiceMonitor"
# The pattern of ServiceMonitor.spec.endpoints[].interval in the Prometheus Operator's CRD
# (monitoring.coreos.com_servicemonitors.yaml, type Duration).
DURATION = re.compile(
    r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?"
    r"(([0-9]+)ms)?)$"
)


def arguments(
    check: _Checker, raw: Mapping[str, Any], ports: tuple[PortSpec, ...]
) -> dict[str, Any]:
    """The checked ``metrics`` as a :class:`PairSpec` field (None when not given)."""
    labels = raw.get("labels")
    if isinstance(labels, Mapping) and SERVICE_LABEL in labels:
        raise check.fail(
            f"labels[{SERVICE_LABEL!r}]",
            labels[SERVICE_LABEL],
            "is reserved: the pair sets it on the headless Service for the metrics "
            "ServiceMonitor to select; use another key",
        )
    value = raw.get("metrics")
    if value is None:
        return {"metrics": None}
    given = check.keys("metrics", value, MetricsArgs)
    port = check.integer("metrics.port", given["port"], 1, 65535)
    for index, pair_port in enumerate(ports):
        if pair_port.name == PORT_NAME:
            raise check.fail(
                f"ports[{index}].name",
                pair_port.name,
                "is the name of the metrics port (metrics); rename this port, or leave out "
                "metrics if this port serves them (scrape it with your own ServiceMonitor)",
            )
        if pair_port.protocol != PROTOCOL:
            continue
        if port == pair_port.port:
            raise check.fail(
                "metrics.port",
                port,
                f"is already published over TCP by port {pair_port.name!r} (ports[{index}]); "
                "the metrics port needs a number of its own",
            )
        if port == pair_port.target_port:
            raise check.fail(
                "metrics.port",
                port,
                f"is already the container port of {pair_port.name!r} (ports[{index}]) over "
                "TCP; the metrics port needs a number of its own",
            )
    path = check.text("metrics.path", given.get("path", table.default("metrics.path")))
    if not path.startswith("/"):
        raise check.fail("metrics.path", path, "must start with '/', e.g. '/metrics'")
    return {
        "metrics": MetricsSpec(
            port=port,
            path=path,
            service_monitor=_service_monitor(check, given.get("service_monitor")),
            scrapers=_scrapers(check, given.get("scrapers", ())),
        )
    }


def _service_monitor(check: _Checker, value: object) -> ServiceMonitorSpec | None:
    if value is None:
        return None
    where = "metrics.service_monitor"
    given = check.keys(where, value, ServiceMonitorArgs)
    interval = given.get("interval", table.default(f"{where}.interval"))
    if not isinstance(interval, str) or not interval or not DURATION.match(interval):
        raise check.fail(
            f"{where}.interval",
            interval,
            "must be a Prometheus duration such as '30s', '1m' or '1m30s' (units y, w, d, h, "
            "m, s, ms, largest first)",
        )
    labels = check.string_map(
        f"{where}.labels",
        given.get("labels", {}),
        naming.label_key_problem,
        naming.label_value_problem,
    )
    for key in labels:
        if key in naming.owned_labels("") or key == SERVICE_LABEL:
            raise check.fail(
                f"{where}.labels[{key!r}]",
                labels[key],
                "is reserved: the pair sets it on its objects; use another key",
            )
    return ServiceMonitorSpec(interval=interval, labels=labels)


def _scrapers(
    check: _Checker, value: object
) -> tuple[tuple[dict[str, str] | None, dict[str, str] | None], ...]:
    """Like ``network_policy.allowed_clients``: (pod labels, namespace labels) per scraper."""
    where = "metrics.scrapers"
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise check.fail(where, value, "must be a list of NetworkClientArgs")
    scrapers = []
    for index, item in enumerate(value):
        client = check.keys(f"{where}[{index}]", item, NetworkClientArgs)
        if not client:
            raise check.fail(
                f"{where}[{index}]", dict(client), "must set pod_labels, namespace_labels or both"
            )
        pod_labels, namespace_labels = (
            check.string_map(
                f"{where}[{index}].{key}",
                client[key],
                naming.label_key_problem,
                naming.label_value_problem,
            )
            if key in client
            else None
            for key in ("pod_labels", "namespace_labels")
        )
        scrapers.append((pod_labels, namespace_labels))
    return tuple(scrapers)


def check_combinations(check: _Checker, pair: PairSpec) -> None:
    """``scrapers`` only mean something to the pair's NetworkPolicy."""
    if pair.metrics is not None and pair.metrics.scrapers and pair.network_policy is None:
        raise check.fail(
            "metrics.scrapers",
            [list(filter(None, scraper)) for scraper in pair.metrics.scrapers],
            "only applies with network_policy: without one, nothing stops a scraper",
        )


def headless_service_labels(spec: PairSpec) -> dict[str, str]:
    """The label only the headless Service carries, for the ServiceMonitor; none without
    metrics."""
    if spec.metrics is None:
        return {}
    return {SERVICE_LABEL: spec.stateful_set_name}


def container_ports(spec: PairSpec) -> list[k8s.core.v1.ContainerPortArgs]:
    """The main container's ``metrics`` port; none without metrics."""
    if spec.metrics is None:
        return []
    return [
        k8s.core.v1.ContainerPortArgs(
            name=PORT_NAME, container_port=spec.metrics.port, protocol=PROTOCOL
        )
    ]


def service_ports(spec: PairSpec) -> list[k8s.core.v1.ServicePortArgs]:
    """The headless Service's ``metrics`` port, targeting the container port by name."""
    if spec.metrics is None:
        return []
    return [
        k8s.core.v1.ServicePortArgs(
            name=PORT_NAME, port=spec.metrics.port, protocol=PROTOCOL, target_port=PORT_NAME
        )
    ]


def ingress_rule(
    spec: PairSpec, peer: Callable[[LabelPair], k8s.networking.v1.NetworkPolicyPeerArgs]
) -> list[k8s.networking.v1.NetworkPolicyIngressRuleArgs]:
    """The NetworkPolicy's rule admitting ``scrapers`` (each made a peer by ``peer``, as the
    pair's clients are) to the metrics port and nothing else; none without scrapers, so with
    a NetworkPolicy nobody reaches the metrics port."""
    if spec.metrics is None or not spec.metrics.scrapers:
        return []
    return [
        k8s.networking.v1.NetworkPolicyIngressRuleArgs(
            from_=[peer(scraper) for scraper in spec.metrics.scrapers],
            ports=[k8s.networking.v1.NetworkPolicyPortArgs(port=PORT_NAME, protocol=PROTOCOL)],
        )
    ]


def service_monitor_labels(spec: PairSpec) -> dict[str, str]:
    """The ServiceMonitor's own labels (laid over the pair's)."""
    if spec.metrics is None or spec.metrics.service_monitor is None:
        return {}
    return dict(spec.metrics.service_monitor.labels)


def service_monitor_spec(spec: PairSpec, namespace: pulumi.Input[str]) -> dict[str, Any]:
    """``spec`` of a ServiceMonitor that scrapes every Pod of this pair through its headless
    Service: selected by :data:`SERVICE_LABEL` in ``namespace`` only."""
    metrics = spec.metrics
    if metrics is None or metrics.service_monitor is None:
        raise ValueError("service_monitor_spec needs metrics.service_monitor")
    return {
        "selector": {"matchLabels": headless_service_labels(spec)},
        "namespaceSelector": {"matchNames": [namespace]},
        "endpoints": [
            {
                "port": PORT_NAME,
                "path": metrics.path,
                "interval": metrics.service_monitor.interval,
            }
        ],
    }


def endpoints(spec: PairSpec, pod_dns_names: Sequence[str]) -> list[str]:
    """``host:port`` of each Pod's metrics, in ordinal order; empty without metrics."""
    if spec.metrics is None:
        return []
    return [f"{host}:{spec.metrics.port}" for host in pod_dns_names]

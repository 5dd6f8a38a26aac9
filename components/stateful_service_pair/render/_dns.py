"""Work out which DNS names rendered StatefulSets and Services give a cluster. Pure.

Kubernetes DNS serves `<sts>-<ordinal>.<serviceName>.<namespace>.svc.<domain>` only when a
headless Service (`clusterIP: None`) named by the StatefulSet's `spec.serviceName` exists in
the same namespace and selects its Pods (kubernetes/dns docs/specification.md). The analysis
works from manifests alone, so it checks hand-written resources as well as components, and it
reports the classic ways the pairing breaks instead of printing names that will not resolve.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stateful_service_pair import dns
from stateful_service_pair.render._manifests import REDACTED, metadata_field


@dataclass(frozen=True)
class ClientService:
    """A normal (cluster-IP) Service that selects a StatefulSet's Pods."""

    namespace: str
    name: str
    addresses: tuple[str, ...]  # `<svc>.<ns>.svc.<domain>:<port>` per port


@dataclass(frozen=True)
class StatefulSetDns:
    """The names one StatefulSet's Pods get, or why they get none.

    Attributes:
        namespace, name: The StatefulSet.
        service_name: Its `spec.serviceName` (None if unset).
        pod_names: Per-Pod FQDNs; empty when the governing Service is missing or broken.
        srv_names: SRV names for the governing Service's named ports.
        clients: Cluster-IP Services selecting the Pods.
        warnings: What breaks the per-Pod names, one sentence each.
    """

    namespace: str
    name: str
    service_name: str | None
    pod_names: tuple[str, ...]
    srv_names: tuple[str, ...]
    clients: tuple[ClientService, ...]
    warnings: tuple[str, ...]


def _get(mapping: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _labels(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def format_labels(labels: Mapping[str, str]) -> str:
    """`a=1,b=2`, sorted; `(none)` when empty."""
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "(none)"


def is_headless(service: Mapping[str, Any]) -> bool:
    """Whether a Service is headless (`spec.clusterIP: None`)."""
    return bool(_get(service, "spec", "clusterIP") == "None")


def selects(service: Mapping[str, Any], pod_labels: Mapping[str, str]) -> bool:
    """Whether a Service's selector is non-empty and matches these Pod labels."""
    selector = _labels(_get(service, "spec", "selector"))
    return bool(selector) and all(pod_labels.get(k) == v for k, v in selector.items())


def _ports(service: Mapping[str, Any]) -> list[dict[str, Any]]:
    ports = _get(service, "spec", "ports")
    return [p for p in ports if isinstance(p, dict)] if isinstance(ports, list) else []


def pod_names(sts: Mapping[str, Any], service_name: str, cluster_domain: str) -> tuple[str, ...]:
    """Per-Pod FQDNs for ordinals `spec.ordinals.start` … start+replicas-1."""
    name = metadata_field(sts, "name") or ""
    namespace = metadata_field(sts, "namespace") or ""
    replicas = _get(sts, "spec", "replicas")
    start = _get(sts, "spec", "ordinals", "start")
    # Both default like the API server's defaulting: replicas 1, start 0.
    count = int(replicas) if replicas is not None else 1
    first = int(start) if start is not None else 0
    pods = dns.pod_names(name, count, first)
    return tuple(dns.pod_fqdns(pods, service_name, namespace, cluster_domain))


def srv_names(service: Mapping[str, Any], cluster_domain: str) -> tuple[str, ...]:
    """`_<port>._<proto>.<svc>.<ns>.svc.<domain>` per named port; unnamed ports get none."""
    host = dns.service_fqdn(
        metadata_field(service, "name") or "",
        metadata_field(service, "namespace") or "",
        cluster_domain,
    )
    return tuple(
        dns.srv_record(str(port["name"]), str(port.get("protocol", "TCP")), host)
        for port in _ports(service)
        if port.get("name")
    )


def _client(service: Mapping[str, Any], cluster_domain: str) -> ClientService:
    name = metadata_field(service, "name") or ""
    namespace = metadata_field(service, "namespace") or ""
    host = dns.service_fqdn(name, namespace, cluster_domain)
    addresses = tuple(f"{host}:{port['port']}" for port in _ports(service) if "port" in port)
    return ClientService(namespace, name, addresses or (host,))


def _governing_warnings(
    sts_label: str,
    service_name: str | None,
    service: Mapping[str, Any] | None,
    pod_labels: Mapping[str, str],
    namespace: str,
) -> list[str]:
    if not service_name:
        return [f"{sts_label} sets no spec.serviceName, so its Pods get no DNS names"]
    if service is None:
        return [
            f'spec.serviceName "{service_name}" names no Service in namespace {namespace}, '
            "so the Pods get no DNS names"
        ]
    label = f"Service {namespace}/{service_name}"
    warnings = []
    if not is_headless(service):
        warnings.append(
            f"{label} is not headless (spec.clusterIP is not None), so the Pods get no "
            "per-Pod DNS names"
        )
    selector = _labels(_get(service, "spec", "selector"))
    if not selector:
        warnings.append(f"{label} has no selector, so it selects no Pods and they get no DNS names")
    elif not selects(service, pod_labels):
        warnings.append(
            f"{label} selector {format_labels(selector)} does not match the Pod template labels "
            f"{format_labels(pod_labels)}, so the Pods get no DNS names"
        )
    return warnings


class _ServiceIndex:
    """The Services of a render, indexed so each StatefulSet finds its own in constant time.

    A per-StatefulSet scan over every Service made the picture quadratic in the size of a
    stack (docs/BENCHMARKS.md). The governing Service is found by (namespace, name). A client
    Service is filed under one `(namespace, key, value)` item of its selector, the one fewest
    client Services share, so a StatefulSet examines only the Services filed under one of its
    Pod labels, and in a stack of pairs that is its own. Results keep manifest order.
    """

    def __init__(self, services: Sequence[Mapping[str, Any]]) -> None:
        self.by_name: dict[tuple[str | None, str | None], Mapping[str, Any]] = {}
        for service in services:
            place = (metadata_field(service, "namespace"), metadata_field(service, "name"))
            self.by_name.setdefault(place, service)  # the first one wins, as before
        clients = [
            (position, service, _labels(_get(service, "spec", "selector")))
            for position, service in enumerate(services)
            if not is_headless(service) and _get(service, "spec", "type") != "ExternalName"
        ]
        sharing: dict[tuple[str | None, str, str], int] = {}
        for _, service, selector in clients:
            namespace = metadata_field(service, "namespace")
            for label, value in selector.items():
                item = (namespace, label, value)
                sharing[item] = sharing.get(item, 0) + 1
        self.clients_by_item: dict[tuple[str | None, str, str], list[Any]] = {}
        for position, service, selector in clients:
            if not selector:
                continue  # selects no Pods
            namespace = metadata_field(service, "namespace")
            rarest = min(selector.items(), key=lambda kv: (sharing[(namespace, *kv)], kv))
            self.clients_by_item.setdefault((namespace, *rarest), []).append((position, service))

    def governing(self, namespace: str, service_name: str | None) -> Mapping[str, Any] | None:
        """The first Service named `service_name` in `namespace`, if any."""
        return self.by_name.get((namespace, service_name))

    def clients(self, namespace: str, pod_labels: Mapping[str, str]) -> list[Mapping[str, Any]]:
        """Cluster-IP Services in `namespace` whose selector matches `pod_labels`, in order."""
        candidates = [
            candidate
            for key, value in pod_labels.items()
            for candidate in self.clients_by_item.get((namespace, key, value), ())
        ]
        candidates.sort(key=lambda candidate: candidate[0])
        return [service for _, service in candidates if selects(service, pod_labels)]


def statefulset_dns(
    manifests: Sequence[Mapping[str, Any]], cluster_domain: str
) -> list[StatefulSetDns]:
    """Analyse every StatefulSet in `manifests`, in the order given."""
    index = _ServiceIndex([m for m in manifests if m.get("kind") == "Service"])
    results = []
    for sts in (m for m in manifests if m.get("kind") == "StatefulSet"):
        name = metadata_field(sts, "name") or ""
        namespace = metadata_field(sts, "namespace") or ""
        service_name = _get(sts, "spec", "serviceName")
        service_name = str(service_name) if service_name else None
        pod_labels = _labels(_get(sts, "spec", "template", "metadata", "labels"))
        governing = index.governing(namespace, service_name)
        if REDACTED in (name, namespace, service_name):
            # Comparing placeholders would report a break that may not exist.
            warnings = [
                "its name, namespace or spec.serviceName is a redacted secret, so the offline "
                "render cannot work out its DNS names"
            ]
        else:
            warnings = _governing_warnings(
                f"StatefulSet {namespace}/{name}", service_name, governing, pod_labels, namespace
            )
        names: tuple[str, ...] = ()
        srv: tuple[str, ...] = ()
        if governing is not None and service_name is not None and not warnings:
            names = pod_names(sts, service_name, cluster_domain)
            srv = srv_names(governing, cluster_domain)
        clients = tuple(_client(s, cluster_domain) for s in index.clients(namespace, pod_labels))
        results.append(
            StatefulSetDns(namespace, name, service_name, names, srv, clients, tuple(warnings))
        )
    return results

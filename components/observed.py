"""What a pair's created objects really have, and every name computed from it.

The component reads its StatefulSet and Services once, into :class:`ObservedPair`,
and derives each output from that one value. Reading the objects (not the
arguments) keeps the outputs right when the provider picks the namespace; reading
them once keeps a pair's Outputs few (each combined Output costs registration time
in large stacks, see docs/BENCHMARKS.md). Pure: takes the objects' output values,
returns plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import naming, peers


@dataclass(frozen=True)
class ObservedPair:
    """The fields of the created objects that the pair's outputs are made of."""

    stateful_set_name: str
    stateful_set_namespace: str
    service_name: str
    """``spec.serviceName`` of the StatefulSet: the Pods' DNS subdomain."""
    replicas: int
    ordinals_start: int
    headless_service_name: str
    headless_service_namespace: str
    client_service_name: str
    client_service_namespace: str
    published_ports: tuple[tuple[str, str], ...]
    """(name, protocol) of each port the headless Service publishes."""
    container_ports: dict[str, int]
    """Named ports of the main container: peers connect to a Pod's own port."""
    claim_templates: tuple[dict[str, object], ...]
    """The deployed volumeClaimTemplates: name, size, storage_class_name, access_modes."""

    def pod_names(self) -> list[str]:
        """Pod names in ordinal order."""
        return naming.pod_names(self.stateful_set_name, self.replicas, self.ordinals_start)

    def pod_dns_names(self, cluster_domain: str) -> list[str]:
        """Per-Pod DNS names: under the StatefulSet's serviceName, in its namespace."""
        return naming.pod_fqdns(
            self.pod_names(), self.service_name, self.stateful_set_namespace, cluster_domain
        )

    def headless_service_dns(self, cluster_domain: str) -> str:
        return naming.service_fqdn(
            self.headless_service_name, self.headless_service_namespace, cluster_domain
        )

    def client_service_dns(self, cluster_domain: str) -> str:
        return naming.service_fqdn(
            self.client_service_name, self.client_service_namespace, cluster_domain
        )

    def srv_records(self, cluster_domain: str) -> dict[str, str]:
        """SRV record name per published port."""
        domain = self.headless_service_dns(cluster_domain)
        return {
            port_name: naming.srv_record(port_name, protocol, domain)
            for port_name, protocol in self.published_ports
        }

    def members(self, cluster_domain: str) -> list[peers.Peer]:
        """The Pods as peers address them, in ordinal order."""
        return [
            peers.Peer(self.ordinals_start + index, pod, host)
            for index, (pod, host) in enumerate(
                zip(self.pod_names(), self.pod_dns_names(cluster_domain), strict=True)
            )
        ]

    def peer_ports(self) -> dict[str, int]:
        """Container port of each published port name."""
        return {name: self.container_ports[name] for name, _protocol in self.published_ports}

    def peer_endpoints(self, cluster_domain: str) -> dict[str, list[str]]:
        """``host:port`` of every Pod, per port name."""
        members = self.members(cluster_domain)
        return {name: peers.endpoints(members, port) for name, port in self.peer_ports().items()}

    def primary_dns_name(self, cluster_domain: str) -> str | None:
        """The DNS name of the Pod with the lowest ordinal; None without replicas."""
        first = peers.primary(self.members(cluster_domain))
        return None if first is None else first.host


def observe(
    stateful_set_metadata: Any,
    stateful_set_spec: Any,
    headless_metadata: Any,
    headless_spec: Any,
    client_metadata: Any,
) -> ObservedPair:
    """Read the created objects' output values (pulumi_kubernetes output types)."""
    ordinals = stateful_set_spec.ordinals
    main = stateful_set_spec.template.spec.containers[0]
    return ObservedPair(
        stateful_set_name=str(stateful_set_metadata.name),
        stateful_set_namespace=str(stateful_set_metadata.namespace),
        service_name=str(stateful_set_spec.service_name),
        replicas=int(stateful_set_spec.replicas),
        ordinals_start=(
            int(ordinals.start) if ordinals is not None and ordinals.start is not None else 0
        ),
        headless_service_name=str(headless_metadata.name),
        headless_service_namespace=str(headless_metadata.namespace),
        client_service_name=str(client_metadata.name),
        client_service_namespace=str(client_metadata.namespace),
        published_ports=tuple(
            (str(port.name), str(port.protocol)) for port in headless_spec.ports or []
        ),
        container_ports={
            str(port.name): int(port.container_port) for port in main.ports or [] if port.name
        },
        claim_templates=tuple(
            _claim_template(template) for template in stateful_set_spec.volume_claim_templates or []
        ),
    )


def _claim_template(template: Any) -> dict[str, object]:
    requests = template.spec.resources.requests if template.spec.resources else None
    return {
        "name": template.metadata.name,
        "size": (requests or {}).get("storage"),
        "storage_class_name": template.spec.storage_class_name,
        "access_modes": list(template.spec.access_modes or []),
    }

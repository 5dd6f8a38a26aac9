"""What a pair's created objects really have, and every name computed from it.

Each output is read from the object it describes: the Pods' names, DNS names,
claims and peers from the StatefulSet (its name, namespace, ``serviceName``,
replicas and ordinals are what the Pods really get), and each Service's DNS name
from that Service. So an output is unknown, secret or waiting only when its own
object is. The StatefulSet is read once, into :class:`ObservedStatefulSet`, and
every Pod output is one step from it: each combined Output costs registration
time in large stacks (docs/BENCHMARKS.md). Pure: takes the objects' output
values (``pulumi_kubernetes`` output types), returns plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import dns, peers


@dataclass(frozen=True)
class ObservedStatefulSet:
    """The fields of the created StatefulSet that the Pod outputs are made of."""

    name: str
    namespace: str
    service_name: str
    """``spec.serviceName``: the Pods' DNS subdomain."""
    replicas: int
    ordinals_start: int
    container_ports: dict[str, int]
    """Named ports of the main container: peers connect to a Pod's own port."""
    claim_templates: tuple[dict[str, object], ...]
    """The deployed volumeClaimTemplates: name, size, storage_class_name, access_modes."""

    def pod_names(self) -> list[str]:
        """Pod names in ordinal order."""
        return dns.pod_names(self.name, self.replicas, self.ordinals_start)

    def pod_dns_names(self, cluster_domain: str) -> list[str]:
        """Per-Pod DNS names: under the StatefulSet's serviceName, in its namespace."""
        return dns.pod_fqdns(self.pod_names(), self.service_name, self.namespace, cluster_domain)

    def members(self, cluster_domain: str) -> list[peers.Peer]:
        """The Pods as peers address them, in ordinal order."""
        return [
            peers.Peer(self.ordinals_start + index, pod, host)
            for index, (pod, host) in enumerate(
                zip(self.pod_names(), self.pod_dns_names(cluster_domain), strict=True)
            )
        ]

    def peer_endpoints(
        self, cluster_domain: str, port_names: Sequence[str]
    ) -> dict[str, list[str]]:
        """``host:port`` of every Pod, for each of ``port_names`` (the pair's ports)."""
        members = self.members(cluster_domain)
        return {name: peers.endpoints(members, self.container_ports[name]) for name in port_names}

    def primary_dns_name(self, cluster_domain: str) -> str | None:
        """The DNS name of the Pod with the lowest ordinal; None without replicas."""
        first = peers.primary(self.members(cluster_domain))
        return None if first is None else first.host


def planned_stateful_set(
    *,
    stateful_set_name: str,
    headless_service_name: str,
    namespace: str,
    replicas: int,
    ordinals_start: int,
    container_ports: dict[str, int],
) -> ObservedStatefulSet:
    """The StatefulSet as the pair asks for it, without waiting for the created object.

    Every field here is stored as given (names are fixed, the namespace is decided as the
    provider decides it), so the Pod outputs made from it are the ones the cluster serves, and
    they stay known at a preview whatever else in the StatefulSet is unknown.
    """
    return ObservedStatefulSet(
        name=stateful_set_name,
        namespace=namespace,
        service_name=headless_service_name,
        replicas=replicas,
        ordinals_start=ordinals_start,
        container_ports=container_ports,
        claim_templates=(),
    )


def claim_templates(spec: Any) -> list[dict[str, object]]:
    """The created StatefulSet's volumeClaimTemplates (name, size, class, access modes)."""
    return [_claim_template(template) for template in spec.volume_claim_templates or []]


def observe_stateful_set(metadata: Any, spec: Any) -> ObservedStatefulSet:
    """Read the created StatefulSet's ``metadata`` and ``spec`` output values."""
    ordinals = spec.ordinals
    main = spec.template.spec.containers[0]
    return ObservedStatefulSet(
        name=str(metadata.name),
        namespace=str(metadata.namespace),
        service_name=str(spec.service_name),
        replicas=int(spec.replicas),
        ordinals_start=(
            int(ordinals.start) if ordinals is not None and ordinals.start is not None else 0
        ),
        container_ports={
            str(port.name): int(port.container_port) for port in main.ports or [] if port.name
        },
        claim_templates=tuple(
            _claim_template(template) for template in spec.volume_claim_templates or []
        ),
    )


def service_dns(metadata: Any, cluster_domain: str) -> str:
    """The DNS name of a created Service, from its own name and namespace."""
    return dns.service_fqdn(str(metadata.name), str(metadata.namespace), cluster_domain)


def srv_records(metadata: Any, spec: Any, cluster_domain: str) -> dict[str, str]:
    """SRV record name per port the created (headless) Service publishes."""
    domain = service_dns(metadata, cluster_domain)
    return {
        str(port.name): dns.srv_record(str(port.name), str(port.protocol), domain)
        for port in spec.ports or []
    }


def _claim_template(template: Any) -> dict[str, object]:
    requests = template.spec.resources.requests if template.spec.resources else None
    return {
        "name": template.metadata.name,
        "size": (requests or {}).get("storage"),
        "storage_class_name": template.spec.storage_class_name,
        "access_modes": list(template.spec.access_modes or []),
    }

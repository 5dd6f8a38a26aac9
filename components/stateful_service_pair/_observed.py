"""The pair's StatefulSet as the Pods get it, and every Pod name computed from it.

:func:`planned_stateful_set` builds it from the fields the pair fixes itself (name,
namespace, ``serviceName``, replicas, ordinals, ports), each stored as given, so the Pod
names computed from it are the ones the cluster serves (see _name_outputs.py).
:func:`claim_templates` reads the created StatefulSet's claim templates for the storage
check. Pure: takes plain values or the objects' output values (``pulumi_kubernetes``
output types), returns plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import dns, peers


@dataclass(frozen=True)
class PlannedStatefulSet:
    """The StatefulSet as the pair asks for it: the fields the Pod outputs are made of."""

    name: str
    namespace: str
    service_name: str
    """``spec.serviceName``: the Pods' DNS subdomain."""
    replicas: int
    ordinals_start: int
    container_ports: dict[str, int]
    """Named ports of the main container: peers connect to a Pod's own port."""

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
) -> PlannedStatefulSet:
    """The StatefulSet as the pair asks for it, without waiting for the created object.

    Every field here is stored as given (names are fixed, the namespace is decided as the
    provider decides it), so the Pod outputs made from it are the ones the cluster serves, and
    they stay known at a preview whatever else in the StatefulSet is unknown.
    """
    return PlannedStatefulSet(
        name=stateful_set_name,
        namespace=namespace,
        service_name=headless_service_name,
        replicas=replicas,
        ordinals_start=ordinals_start,
        container_ports=container_ports,
    )


def claim_templates(spec: Any) -> list[dict[str, object]]:
    """The created StatefulSet's volumeClaimTemplates (name, size, class, access modes)."""
    return [_claim_template(template) for template in spec.volume_claim_templates or []]


def _claim_template(template: Any) -> dict[str, object]:
    requests = template.spec.resources.requests if template.spec.resources else None
    return {
        "name": template.metadata.name,
        "size": (requests or {}).get("storage"),
        "storage_class_name": template.spec.storage_class_name,
        "access_modes": list(template.spec.access_modes or []),
    }

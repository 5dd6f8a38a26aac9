"""How the pair's Services are reached: the client Service's type, per-Pod Services. Pure.

:func:`arguments` checks ``client_service``, ``headless_service_annotations`` and
``per_pod_services`` (defaults from :mod:`._arguments`); :func:`check_combinations` the rules
that need the whole spec; the remaining functions shape what :mod:`._builders` and the
component register. Nothing is reachable from outside the cluster unless asked for: both
``type`` defaults are ``ClusterIP``.

A NodePort or LoadBalancer Service lets traffic from outside the cluster in; with
``network_policy`` set, that traffic is still refused unless its source is an allowed client
(the NetworkPolicy does not know about Services).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_kubernetes as k8s

from . import _arguments as table
from . import _naming as naming
from . import dns
from ._args import ClientServiceArgs, PerPodServicesArgs
from ._spec import PairSpec, PortSpec, ServiceExposureSpec

if TYPE_CHECKING:
    from ._validation import _Checker

# The API server's default --service-node-port-range.
NODE_PORT_MIN = 30000
NODE_PORT_MAX = 32767
# Set by the StatefulSet controller on each Pod: the one label that tells a Pod from its peers.
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
LOAD_BALANCER = "LoadBalancer"
NODE_PORT = "NodePort"


def arguments(
    check: _Checker, raw: Mapping[str, Any], ports: tuple[PortSpec, ...]
) -> dict[str, Any]:
    """The checked exposure arguments as :class:`PairSpec` fields, defaults filled in."""
    fields: dict[str, Any] = {
        "client_service": _client_service(check, raw.get("client_service", {}), ports),
        "headless_service_annotations": _annotations(
            check, "headless_service_annotations", raw.get("headless_service_annotations", {})
        ),
        "per_pod_services": None,
    }
    value = raw.get("per_pod_services")
    if value is None:
        return fields
    given = check.keys("per_pod_services", value, PerPodServicesArgs)
    enabled = check.boolean(
        "per_pod_services.enabled",
        given.get("enabled", table.default("per_pod_services.enabled")),
    )
    if not enabled:
        return fields
    replicas = raw.get("replicas", table.default("replicas"))
    if isinstance(replicas, pulumi.Output):
        raise check.fail(
            "per_pod_services",
            dict(given),
            "needs a plain integer replicas: one Service is registered per Pod, and an Output "
            "replicas is not known when they register; pass replicas as an int (read it from "
            "config with Config.require_int)",
        )
    fields["per_pod_services"] = _exposure(check, "per_pod_services", given, ports)
    return fields


def _client_service(
    check: _Checker, value: object, ports: tuple[PortSpec, ...]
) -> ServiceExposureSpec:
    given = check.keys("client_service", value, ClientServiceArgs)
    exposure = _exposure(check, "client_service", given, ports)
    node_ports: dict[str, int] = {}
    if "node_ports" in given:
        node_ports = _node_ports(check, given["node_ports"], exposure.type, ports)
    return ServiceExposureSpec(
        type=exposure.type,
        annotations=exposure.annotations,
        load_balancer_source_ranges=exposure.load_balancer_source_ranges,
        node_ports=node_ports,
    )


def _exposure(
    check: _Checker, where: str, given: Mapping[str, Any], ports: tuple[PortSpec, ...]
) -> ServiceExposureSpec:
    """``type``, ``annotations`` and ``load_balancer_source_ranges`` of one kind of Service."""
    service_type = check.choice(
        f"{where}.type",
        given.get("type", table.default(f"{where}.type")),
        table.choices(f"{where}.type"),
    )
    ranges: tuple[str, ...] = ()
    if "load_balancer_source_ranges" in given:
        ranges = check.texts(
            f"{where}.load_balancer_source_ranges", given["load_balancer_source_ranges"]
        )
        if service_type != LOAD_BALANCER:
            raise check.fail(
                f"{where}.load_balancer_source_ranges",
                list(ranges),
                f"only applies with {where}.type='LoadBalancer' (it is {service_type!r})",
            )
        for index, cidr in enumerate(ranges):
            if problem := _cidr_problem(cidr):
                raise check.fail(f"{where}.load_balancer_source_ranges[{index}]", cidr, problem)
    return ServiceExposureSpec(
        type=service_type,
        annotations=_annotations(check, f"{where}.annotations", given.get("annotations", {})),
        load_balancer_source_ranges=ranges,
    )


def _annotations(check: _Checker, where: str, value: object) -> dict[str, Any]:
    return check.string_map(where, value, naming.label_key_problem, outputs=True)


def _cidr_problem(value: str) -> str | None:
    """Why ``value`` is not a CIDR such as ``203.0.113.0/24`` or ``2001:db8::/32``, or None."""
    if "/" not in value:
        return "must be a CIDR with a prefix length, e.g. '203.0.113.0/24' or '198.51.100.7/32'"
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return "is not a CIDR, e.g. '203.0.113.0/24' or '2001:db8::/32'"
    return None


def _node_ports(
    check: _Checker, value: object, service_type: str, ports: tuple[PortSpec, ...]
) -> dict[str, int]:
    where = "client_service.node_ports"
    if not isinstance(value, Mapping):
        raise check.fail(where, value, "must be a mapping of port names to node ports")
    if value and service_type not in (NODE_PORT, LOAD_BALANCER):
        raise check.fail(
            where,
            dict(value),
            "only applies with client_service.type='NodePort' or 'LoadBalancer' "
            f"(it is {service_type!r})",
        )
    port_names = [port.name for port in ports]
    checked: dict[str, int] = {}
    for name, number in value.items():
        if name not in port_names:
            raise check.fail(
                f"{where} key", name, f"must name one of the pair's ports: {port_names}"
            )
        node_port = check.integer(f"{where}[{name!r}]", number, NODE_PORT_MIN, NODE_PORT_MAX)
        for other, taken in checked.items():
            if taken == node_port:
                raise check.fail(
                    f"{where}[{name!r}]",
                    node_port,
                    f"is also the node port of {other!r}; each node port serves one port",
                )
        checked[str(name)] = node_port
    return checked


def check_combinations(check: _Checker, pair: PairSpec) -> None:
    """Per-Pod Service names: valid Service names, none equal to the pair's two Services."""
    if pair.per_pod_services is None or not isinstance(pair.replicas, int):
        return
    taken = {pair.headless_service_name: "headless_service_name"}
    taken[pair.client_service_name] = "client_service_name"
    for pod in dns.pod_names(pair.stateful_set_name, pair.replicas, pair.ordinals_start):
        if problem := naming.dns1035_label_problem(pod):
            raise check.fail(
                "per_pod_services",
                pod,
                f"would name a Service after the Pod {pod!r}, which {problem}; rename the "
                "StatefulSet (stateful_set_name)",
            )
        if pod in taken:
            raise check.fail(
                taken[pod],
                pod,
                "is also the name of a per-Pod Service (per_pod_services); choose another name",
            )


def service_ports(
    spec: PairSpec, node_ports: Mapping[str, int]
) -> list[k8s.core.v1.ServicePortArgs]:
    """The pair's Service ports, by name, with the fixed node ports."""
    return [
        k8s.core.v1.ServicePortArgs(
            name=port.name,
            port=port.port,
            protocol=port.protocol,
            target_port=port.name,
            node_port=node_ports.get(port.name),
        )
        for port in spec.ports
    ]


def per_pod_service_names(spec: PairSpec) -> list[str]:
    """Names of the per-Pod Services in ordinal order (each Pod's name); empty without them."""
    if spec.per_pod_services is None or not isinstance(spec.replicas, int):
        return []
    return dns.pod_names(spec.stateful_set_name, spec.replicas, spec.ordinals_start)


def per_pod_service_spec(spec: PairSpec, pod: str) -> k8s.core.v1.ServiceSpecArgs:
    """A Service that selects exactly the Pod ``pod`` of this pair."""
    exposure = spec.per_pod_services or ServiceExposureSpec()
    return k8s.core.v1.ServiceSpecArgs(
        type=exposure.type,
        selector={**spec.selector_labels, POD_NAME_LABEL: pod},
        ports=service_ports(spec, {}),
        load_balancer_source_ranges=list(exposure.load_balancer_source_ranges) or None,
    )


def external_address(status: Any) -> str:
    """The first load balancer address in a Service's status (IP, else hostname), or ``""``."""
    load_balancer = getattr(status, "load_balancer", None) if status is not None else None
    for ingress in getattr(load_balancer, "ingress", None) or []:
        address = getattr(ingress, "ip", None) or getattr(ingress, "hostname", None)
        if address:
            return str(address)
    return ""

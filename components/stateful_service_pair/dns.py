"""Every DNS name a StatefulSet and its Services get, in one place. Pure.

Kubernetes DNS (kubernetes/dns ``docs/specification.md``) serves
``<service>.<namespace>.svc.<domain>`` for a Service,
``<pod>.<headless service>.<namespace>.svc.<domain>`` for each Pod of a StatefulSet whose
``spec.serviceName`` names a headless Service, and ``_<port>._<protocol>.<service fqdn>`` SRV
records for named ports. The component computes its outputs with these functions, the offline
renderer (``stateful_service_pair.render``) describes rendered manifests with them, and the
examples build their Pods' own addresses with them, so the three can never disagree about a name.
"""

__all__ = [
    "DEFAULT_CLUSTER_DOMAIN",
    "ordinal_range",
    "pod_fqdns",
    "pod_names",
    "pod_short_names",
    "service_fqdn",
    "service_short_name",
    "srv_record",
]

DEFAULT_CLUSTER_DOMAIN = "cluster.local"
"""The kubelet's default ``clusterDomain``."""


def pod_names(stateful_set_name: str, replicas: int, ordinals_start: int = 0) -> list[str]:
    """Pod names in ordinal order: ``<sts>-<start>`` … ``<sts>-<start+replicas-1>``."""
    return [f"{stateful_set_name}-{ordinal}" for ordinal in ordinal_range(replicas, ordinals_start)]


def ordinal_range(replicas: int, ordinals_start: int = 0) -> range:
    """The ordinals a StatefulSet with ``spec.ordinals.start`` gives its Pods."""
    return range(ordinals_start, ordinals_start + replicas)


def service_fqdn(service_name: str, namespace: str, cluster_domain: str) -> str:
    """``<service>.<namespace>.svc.<cluster-domain>``."""
    return f"{service_name}.{namespace}.svc.{cluster_domain}"


def pod_fqdns(
    pod_names_in_order: list[str], headless_service_name: str, namespace: str, cluster_domain: str
) -> list[str]:
    """Per-Pod A/AAAA record names served for Pods behind a headless Service."""
    domain = service_fqdn(headless_service_name, namespace, cluster_domain)
    return [f"{pod}.{domain}" for pod in pod_names_in_order]


def service_short_name(service_name: str, namespace: str) -> str:
    """``<service>.<namespace>.svc``: resolves from any Pod through its DNS search path, whatever
    the cluster domain (kubelet writes ``svc.<domain>`` into every Pod's ``resolv.conf``)."""
    return f"{service_name}.{namespace}.svc"


def pod_short_names(
    pod_names_in_order: list[str], headless_service_name: str, namespace: str
) -> list[str]:
    """``<pod>.<headless service>.<namespace>.svc`` per Pod: the per-Pod names without the
    cluster domain, which every Pod's search path completes."""
    domain = service_short_name(headless_service_name, namespace)
    return [f"{pod}.{domain}" for pod in pod_names_in_order]


def srv_record(port_name: str, protocol: str, service_domain: str) -> str:
    """``_<port>._<protocol>.<service fqdn>``; only named ports get one."""
    return f"_{port_name}._{protocol.lower()}.{service_domain}"

"""Every DNS name a TLS certificate for a pair must cover. Pure.

A client may reach a member by its full per-Pod name, by the short one its search path
completes (``<pod>.<headless>.<namespace>.svc``), or through either Service; a peer that
verifies hostnames refuses a certificate that lacks the name it dialled. The list is meant to be
passed whole to a cert-manager ``Certificate``'s ``dnsNames``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from . import dns


def service_names(service_name: str, namespace: str, cluster_domain: str) -> list[str]:
    """The names a Service answers to from inside the cluster, longest first.

    ``<svc>.<ns>.svc.<domain>``, ``<svc>.<ns>.svc``, ``<svc>.<ns>`` and ``<svc>``: the last two
    resolve through a Pod's search path (the bare one only inside the namespace).
    """
    return [
        dns.service_fqdn(service_name, namespace, cluster_domain),
        dns.service_short_name(service_name, namespace),
        f"{service_name}.{namespace}",
        service_name,
    ]


def tls_dns_names(
    *,
    pod_dns_names: Sequence[str],
    pod_short_dns_names: Sequence[str],
    headless_service_name: str,
    client_service_name: str,
    namespace: str,
    cluster_domain: str,
    other_service_names: Iterable[str] = (),
) -> list[str]:
    """Every name a certificate for the pair must cover, each once, in a stable order.

    Each Pod's full and short name (ordinal order), the wildcards under the headless Service
    (``*.<headless>.<ns>.svc.<domain>`` and ``*.<headless>.<ns>.svc``, which also cover Pods
    added by a later scale-up), then every name of the headless Service, the client Service and
    ``other_service_names`` (per-Pod Services), as :func:`service_names` lists them.
    """
    names: list[str] = []
    for full, short in zip(pod_dns_names, pod_short_dns_names, strict=True):
        names += [full, short]
    headless_fqdn = dns.service_fqdn(headless_service_name, namespace, cluster_domain)
    names += [f"*.{headless_fqdn}", f"*.{dns.service_short_name(headless_service_name, namespace)}"]
    for service in (headless_service_name, client_service_name, *other_service_names):
        names += service_names(service, namespace, cluster_domain)
    return list(dict.fromkeys(names))

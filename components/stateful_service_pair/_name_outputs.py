"""The pair's name outputs as plain values, from the namespace and the planned StatefulSet. Pure.

Every name output is made of fields the pair fixes itself (names, namespace, replicas,
ordinals, ports), each stored as given, so each depends only on what it needs: the Service
names only on the namespace, the Pod names on the namespace and the replicas. When both are
plain values (the default), every output here is known while the pair is constructed, and
the component makes no Output for it until someone reads it (see _output_attributes.py).
"""

from __future__ import annotations

from typing import Any

from . import _certificates as certificates
from . import _exposure as exposure
from . import _metrics as metrics
from . import dns
from ._observed import PlannedStatefulSet
from ._spec import PairSpec

NAMESPACE_OUTPUTS = (
    "namespace",
    "headless_service_dns",
    "client_service_dns",
    "srv_records",
    "per_pod_service_dns",
)
"""The outputs `namespace_outputs` computes: they need only the namespace."""

POD_OUTPUTS = (
    "pod_names",
    "pod_dns_names",
    "pod_short_dns_names",
    "claims_by_template",
    "persistent_volume_claims",
    "peer_endpoints",
    "primary_dns_name",
    "tls_dns_names",
    "metrics_endpoints",
)
"""The outputs `pod_outputs` computes: they need the planned StatefulSet."""

OUTPUT_NAMES = (
    *NAMESPACE_OUTPUTS,
    *POD_OUTPUTS,
    "service_account_name",
    "per_pod_external_addresses",
)
"""Every output attribute of the pair: the two above, the account the Pods run as (plain) and
the per-Pod Services' load balancer addresses (read from those Services)."""


def namespace_outputs(spec: PairSpec, namespace: str) -> dict[str, Any]:
    """The outputs made of the namespace and the pair's own names, keyed as NAMESPACE_OUTPUTS."""
    domain = spec.cluster_domain
    headless = dns.service_fqdn(spec.headless_service_name, namespace, domain)
    return {
        "namespace": namespace,
        "headless_service_dns": headless,
        "client_service_dns": dns.service_fqdn(spec.client_service_name, namespace, domain),
        "srv_records": {
            port.name: dns.srv_record(port.name, port.protocol, headless) for port in spec.ports
        },
        "per_pod_service_dns": [
            dns.service_fqdn(service, namespace, domain)
            for service in exposure.per_pod_service_names(spec)
        ],
    }


def pod_outputs(spec: PairSpec, sts: PlannedStatefulSet) -> dict[str, Any]:
    """The outputs made of the planned StatefulSet, keyed as POD_OUTPUTS."""
    domain = spec.cluster_domain
    pod_names = sts.pod_names()
    pod_dns_names = sts.pod_dns_names(domain)
    short_names = dns.pod_short_names(pod_names, sts.service_name, sts.namespace)
    by_template = claims_by_template(spec, sts)
    return {
        "pod_names": pod_names,
        "pod_dns_names": pod_dns_names,
        "pod_short_dns_names": short_names,
        "claims_by_template": by_template,
        "persistent_volume_claims": [claim for claims in by_template.values() for claim in claims],
        "peer_endpoints": sts.peer_endpoints(domain, [port.name for port in spec.ports]),
        "primary_dns_name": sts.primary_dns_name(domain),
        "tls_dns_names": certificates.tls_dns_names(
            pod_dns_names=pod_dns_names,
            pod_short_dns_names=short_names,
            headless_service_name=spec.headless_service_name,
            client_service_name=spec.client_service_name,
            namespace=sts.namespace,
            cluster_domain=domain,
            other_service_names=exposure.per_pod_service_names(spec),
        ),
        "metrics_endpoints": metrics.endpoints(spec, pod_dns_names),
    }


def claims_by_template(spec: PairSpec, sts: PlannedStatefulSet) -> dict[str, list[str]]:
    """The Pods' claims per claim template, in ordinal order."""
    return {
        claim.claim_name: [f"{claim.claim_name}-{pod}" for pod in sts.pod_names()]
        for _where, claim in spec.claims
    }

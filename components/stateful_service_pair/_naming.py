"""Kubernetes naming rules and the DNS names of a StatefulSet's Pods.

Pure functions: no Pulumi, no I/O, so they are tested without mocks. The rules
are the API server's (``k8s.io/apimachinery/pkg/util/validation``) and the DNS
schema is the one in kubernetes/dns ``docs/specification.md``.
"""

from __future__ import annotations

import re

DNS_LABEL_MAX = 63
DNS_SUBDOMAIN_MAX = 253
# The StatefulSet controller labels every Pod with
# ``controller-revision-hash: <statefulset>-<10 chars>``; a label value holds at
# most 63 characters, so a longer StatefulSet name creates Pods that never start
# (kubernetes#64023).
STATEFUL_SET_NAME_MAX = 52
PORT_NAME_MAX = 15
LABEL_VALUE_MAX = 63

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_IANA_SVC_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_LABEL_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")
_LABEL_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")

# The label that selects the pair's Pods. It is one no other tool sets (a Helm
# release sets app.kubernetes.io/instance to its own name), so a neighbour with
# the same name is never selected, admitted as a peer or double-budgeted. It is
# derived from the StatefulSet name only: a selector is immutable, so deriving
# it from anything a user may later edit would force a replacement.
SELECTOR_LABEL = "stateful-service-pair/statefulset"
INSTANCE_LABEL = "app.kubernetes.io/instance"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"


def dns1123_label_problem(value: str) -> str | None:
    """Why ``value`` is not an RFC 1123 label (namespaces, Pod hostnames), or None."""
    if len(value) > DNS_LABEL_MAX:
        return f"must be at most {DNS_LABEL_MAX} characters (it has {len(value)})"
    if not _DNS1123_LABEL.match(value):
        return (
            "must be an RFC 1123 label: lowercase letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return None


def dns1123_subdomain_problem(value: str) -> str | None:
    """Why ``value`` is not an RFC 1123 subdomain (Secret, ConfigMap, ServiceAccount names).

    Dots are allowed: ``registry.example.com`` is a valid Secret name.
    """
    if len(value) > DNS_SUBDOMAIN_MAX:
        return f"must be at most {DNS_SUBDOMAIN_MAX} characters (it has {len(value)})"
    if not _DNS1123_SUBDOMAIN.match(value):
        return (
            "must be an RFC 1123 subdomain: lowercase letters, digits, '-' and '.', "
            "starting and ending with a letter or digit"
        )
    return None


def dns1035_label_problem(value: str) -> str | None:
    """Why ``value`` is not an RFC 1035 label (Service names), or None."""
    if len(value) > DNS_LABEL_MAX:
        return f"must be at most {DNS_LABEL_MAX} characters (it has {len(value)})"
    if not _DNS1035_LABEL.match(value):
        return (
            "must be an RFC 1035 label: lowercase letters, digits and '-', "
            "starting with a letter and ending with a letter or digit"
        )
    return None


def stateful_set_name_problem(value: str) -> str | None:
    """Why ``value`` cannot name a StatefulSet whose Pods get DNS records, or None.

    Pod names ``<name>-<ordinal>`` become hostnames, so the name must be a DNS
    label; the controller-revision-hash label caps it at 52 characters.
    """
    if len(value) > STATEFUL_SET_NAME_MAX:
        return (
            f"must be at most {STATEFUL_SET_NAME_MAX} characters (it has {len(value)}), "
            "because the StatefulSet controller adds the label "
            "'controller-revision-hash: <name>-<10 characters>' and label values "
            f"hold at most {LABEL_VALUE_MAX}"
        )
    return dns1123_label_problem(value)


def cluster_domain_problem(value: str) -> str | None:
    """Why ``value`` is not a usable cluster domain (kubelet ``clusterDomain``), or None."""
    if value.endswith("."):
        return (
            "must not end with '.'; write it as the kubelet's clusterDomain, e.g. 'cluster.local'"
        )
    if len(value) > DNS_SUBDOMAIN_MAX:
        return f"must be at most {DNS_SUBDOMAIN_MAX} characters (it has {len(value)})"
    # The names already say `.svc.<domain>`; a domain written `svc.cluster.local` would give
    # `<service>.<namespace>.svc.svc.cluster.local`, which no cluster DNS serves.
    if value == "svc" or value.startswith("svc."):
        return (
            "must not start with 'svc': the DNS names add '.svc.' themselves; write the "
            "kubelet's clusterDomain, e.g. 'cluster.local'"
        )
    for label in value.split("."):
        if dns1123_label_problem(label) is not None:
            return (
                "must be dot-separated RFC 1123 labels (lowercase letters, digits and '-'), "
                f"but {label!r} is not one"
            )
    return None


def pod_dns_name_problem(longest_pod_dns_name: str) -> str | None:
    """Why a per-Pod DNS name is too long for DNS (at most 253 characters), or None.

    Each part is a valid label on its own; together, a long StatefulSet, Service, namespace
    and cluster domain can still exceed what a resolver accepts.
    """
    if len(longest_pod_dns_name) > DNS_SUBDOMAIN_MAX:
        return (
            f"gives the per-Pod DNS name {longest_pod_dns_name!r} of "
            f"{len(longest_pod_dns_name)} characters; a DNS name holds at most "
            f"{DNS_SUBDOMAIN_MAX}: shorten the StatefulSet, headless Service or namespace name "
            "or the cluster domain"
        )
    return None


# The image reference grammar of distribution/reference (reference.go): a repository path of
# lowercase components, optionally after a registry host, then an optional tag and digest.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_HOST_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_HOST_COMPONENT}(?:\.{_HOST_COMPONENT})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_IMAGE_REFERENCE = re.compile(
    rf"^(?:{_HOST}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*(?::{_TAG})?(?:@{_DIGEST})?$"
)


def image_reference_problem(value: str) -> str | None:
    """Why ``value`` is not an image reference the kubelet can pull, or None.

    ``[registry[:port]/]repository[:tag][@digest]``; the repository is lowercase (an
    upper-case repository fails every pull with InvalidImageName).
    """
    if any(char.isspace() for char in value):
        return "must not contain whitespace"
    if not _IMAGE_REFERENCE.match(value):
        return (
            "is not a valid image reference: [registry[:port]/]repository[:tag][@digest], "
            "with a lowercase repository (letters, digits, '.', '_', '-' between them)"
        )
    return None


def port_name_problem(value: str) -> str | None:
    """Why ``value`` is not an IANA_SVC_NAME (container and Service port names), or None."""
    if len(value) > PORT_NAME_MAX:
        return f"must be at most {PORT_NAME_MAX} characters (it has {len(value)})"
    if not _IANA_SVC_NAME.match(value) or "--" in value:
        return (
            "must be lowercase letters, digits and '-', without a leading, trailing or doubled '-'"
        )
    if not any(char.isalpha() for char in value):
        return "must contain at least one letter"
    return None


def label_key_problem(key: str) -> str | None:
    """Why ``key`` is not a valid label or annotation key, or None."""
    prefix, _, name = key.rpartition("/")
    if prefix and (
        len(prefix) > DNS_SUBDOMAIN_MAX
        or any(dns1123_label_problem(part) for part in prefix.split("."))
    ):
        return f"has prefix {prefix!r}, which is not a DNS subdomain"
    if not name or len(name) > DNS_LABEL_MAX or not _LABEL_NAME.match(name):
        return (
            "must be an optional DNS-subdomain prefix and '/', then at most 63 letters, "
            "digits, '-', '_' or '.', starting and ending with a letter or digit"
        )
    return None


def label_value_problem(value: str) -> str | None:
    """Why ``value`` is not a valid label value, or None."""
    if len(value) > LABEL_VALUE_MAX or not _LABEL_VALUE.match(value):
        return (
            "must be empty or at most 63 letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit"
        )
    return None


def selector_labels(stateful_set_name: str) -> dict[str, str]:
    """The labels that tie the pair's Pods to its StatefulSet, Services and policies."""
    return {SELECTOR_LABEL: stateful_set_name}


def owned_labels(stateful_set_name: str) -> dict[str, str]:
    """Every label the pair sets on its objects and Pods; users may not override them."""
    return {
        INSTANCE_LABEL: stateful_set_name,
        MANAGED_BY_LABEL: "pulumi",
        **selector_labels(stateful_set_name),
    }

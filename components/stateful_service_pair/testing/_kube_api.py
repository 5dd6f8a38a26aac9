"""Pure facts about the Kubernetes API that the mocks and the offline renderer need.

Which kinds are cluster-scoped, how the API server spells a resource in its errors, and how
pulumi-kubernetes and the API server make up names. Nothing here talks to a cluster.
"""

from __future__ import annotations

import hashlib
from typing import Any

# Kinds the API server stores without a namespace, keyed by (API group, kind); "" is the core
# group. From `kubectl api-resources --namespaced=false` on a 1.3x cluster. A kind missing here
# (for example a custom resource) is treated as namespaced, like most custom resources are.
CLUSTER_SCOPED_KINDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("", "ComponentStatus"),
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("authentication.k8s.io", "SelfSubjectReview"),
        ("authentication.k8s.io", "TokenReview"),
        ("authorization.k8s.io", "SelfSubjectAccessReview"),
        ("authorization.k8s.io", "SelfSubjectRulesReview"),
        ("authorization.k8s.io", "SubjectAccessReview"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("certificates.k8s.io", "ClusterTrustBundle"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("internal.apiserver.k8s.io", "StorageVersion"),
        ("networking.k8s.io", "IPAddress"),
        ("networking.k8s.io", "IngressClass"),
        ("networking.k8s.io", "ServiceCIDR"),
        ("node.k8s.io", "RuntimeClass"),
        ("policy", "PodSecurityPolicy"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("resource.k8s.io", "DeviceClass"),
        ("resource.k8s.io", "ResourceSlice"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("storage.k8s.io", "VolumeAttributesClass"),
    }
)

# Resource names whose plural is not the regular English one.
_IRREGULAR_PLURALS = {"Endpoints": "endpoints"}

# pulumi-kubernetes draws auto-name suffixes from resource.NewUniqueName's default charset
# (pulumi sdk/go/common/resource/resource_id.go): 8 characters of [0-9a-f].
AUTONAME_SUFFIX_LENGTH = 8
AUTONAMED_ANNOTATION = "pulumi.com/autonamed"

# The API server completes `metadata.generateName` with 5 characters from this alphabet
# (k8s.io/apimachinery/pkg/util/rand: no vowels, no confusable digits).
_GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_GENERATE_NAME_SUFFIX_LENGTH = 5


def api_group(api_version: str) -> str:
    """Return the API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core)."""
    return api_version.rpartition("/")[0]


def is_namespaced(api_version: str, kind: str) -> bool:
    """Return whether objects of this kind live in a namespace."""
    return (api_group(api_version), kind) not in CLUSTER_SCOPED_KINDS


def resource_plural(kind: str) -> str:
    """Return the API server's lowercase plural of a kind: `NetworkPolicy` → `networkpolicies`."""
    if kind in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[kind]
    lower = kind.lower()
    if lower.endswith(("s", "x", "ch", "sh")):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lower[:-1] + "ies"
    return lower + "s"


def qualified_resource(api_version: str, kind: str) -> str:
    """Return the resource as the API server names it in errors: `services`, `statefulsets.apps`."""
    group = api_group(api_version)
    plural = resource_plural(kind)
    return f"{plural}.{group}" if group else plural


def already_exists_message(api_version: str, kind: str, name: str, namespace: str | None) -> str:
    """Word a duplicate-object error the way the API server's AlreadyExists error reads."""
    where = f' in namespace "{namespace}"' if namespace else ""
    return f'{qualified_resource(api_version, kind)} "{name}" already exists{where}'


def _stable_suffix(seed: str, alphabet: str, length: int) -> str:
    # A hash instead of the provider's random draw, so two renders of one program are identical.
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(alphabet[byte % len(alphabet)] for byte in digest[:length])


def autoname(logical_name: str) -> str:
    """Return the name pulumi-kubernetes gives an object without `metadata.name`.

    The provider appends 8 random hex characters to the logical name; this appends 8 characters
    derived from the logical name, so the result has the same shape and is reproducible.
    """
    return (
        f"{logical_name}-{_stable_suffix(logical_name, '0123456789abcdef', AUTONAME_SUFFIX_LENGTH)}"
    )


def generated_name(generate_name: str) -> str:
    """Return the name the API server makes from `metadata.generateName` (reproducibly here)."""
    suffix = _stable_suffix(generate_name, _GENERATE_NAME_ALPHABET, _GENERATE_NAME_SUFFIX_LENGTH)
    return generate_name + suffix


_POD_TEMPLATE_KINDS = frozenset(
    {"StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}
)


def invalid_message(api_version: str, kind: str, name: str, problems: list[str]) -> str:
    """Word a rejected object the way the API server's Invalid error reads."""
    group = api_group(api_version)
    qualified = f"{kind}.{group}" if group else kind
    return f'{qualified} "{name}" is invalid: {", ".join(problems)}'


def pod_template_problems(kind: str, manifest: dict[str, Any]) -> list[str]:
    """What the API server would reject in a workload's Pod template, as its field errors.

    Only the rules a pair's wiring can break: volume names and container names are
    unique; every volume mount names a Pod volume (or, for a StatefulSet, a claim
    template); mount paths and port names are unique within a container.
    ``manifest`` is plain (no secret wrappers).
    """
    if kind not in _POD_TEMPLATE_KINDS:
        return []
    spec = manifest.get("spec") or {}
    pod = (spec.get("template") or {}).get("spec") or {}
    volumes = {volume.get("name") for volume in pod.get("volumes") or []}
    if kind == "StatefulSet":
        volumes |= {
            (claim.get("metadata") or {}).get("name")
            for claim in spec.get("volumeClaimTemplates") or []
        }
    problems = []
    volume_names: set[str] = set()
    for index, volume in enumerate(pod.get("volumes") or []):
        if volume.get("name") in volume_names:
            problems.append(
                f'spec.template.spec.volumes[{index}].name: Duplicate value: "{volume.get("name")}"'
            )
        volume_names.add(volume.get("name"))
    container_names: set[str] = set()
    for group in ("initContainers", "containers"):
        for index, container in enumerate(pod.get(group) or []):
            where = f"spec.template.spec.{group}[{index}]"
            if container.get("name") in container_names:
                problems.append(f'{where}.name: Duplicate value: "{container.get("name")}"')
            container_names.add(container.get("name"))
            paths: set[str] = set()
            for mount_index, mount in enumerate(container.get("volumeMounts") or []):
                mount_name = mount.get("name")
                if mount_name not in volumes:
                    problems.append(
                        f'{where}.volumeMounts[{mount_index}].name: Not found: "{mount_name}"'
                    )
                if mount.get("mountPath") in paths:
                    problems.append(
                        f"{where}.volumeMounts[{mount_index}].mountPath: Invalid value: "
                        f'"{mount.get("mountPath")}": must be unique'
                    )
                paths.add(mount.get("mountPath"))
            port_names: set[str] = set()
            for port_index, port in enumerate(container.get("ports") or []):
                port_name = port.get("name")
                if port_name and port_name in port_names:
                    problems.append(
                        f'{where}.ports[{port_index}].name: Duplicate value: "{port_name}"'
                    )
                port_names.add(port_name)
    return problems

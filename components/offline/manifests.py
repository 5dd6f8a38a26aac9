"""Turn objects in Pulumi's wire form into clean, deterministic Kubernetes manifests. Pure.

Wire form is what the mocks receive: numbers as floats (`3.0`), secrets wrapped in marker
dicts. A manifest for `kubectl apply` needs integers as integers and no Pulumi internals, and
a render must never write a secret in plain text, so every secret value is replaced by
`REDACTED`. Key order and object order are fixed, so two renders of one program are
byte-identical and diff cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from components.wire_form import is_secret

REDACTED = "<secret: redacted by offline render>"
HEADER = "# Rendered by `python -m components.offline render`; the next render replaces this file."

# Top-level keys that come first, in this order; the rest follow sorted.
_LEADING_KEYS = ("apiVersion", "kind", "metadata", "spec", "data", "stringData", "binaryData")

# Apply order: what others refer to first (namespaces, identities, config, storage), then
# Services before the workloads whose DNS names they govern, then policies about workloads.
KIND_ORDER = (
    "Namespace",
    "CustomResourceDefinition",
    "PriorityClass",
    "StorageClass",
    "ServiceAccount",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "Secret",
    "ConfigMap",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Service",
    "StatefulSet",
    "Deployment",
    "DaemonSet",
    "Job",
    "CronJob",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "NetworkPolicy",
    "Ingress",
)
_KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}


def clean_value(value: Any, secret_values: frozenset[str] = frozenset()) -> Any:
    """Return `value` with integral floats as ints, nested keys sorted and secrets redacted.

    A wrapped secret keeps its shape (a secret map stays a map) with every leaf replaced, so
    the manifest still shows which keys exist. A plain string that contains a known secret
    value is redacted too: a program that read a secret with `Config.get` instead of
    `get_secret` must not get it written out.
    """
    if is_secret(value):
        return _redact(value["value"])
    if isinstance(value, dict):
        return {key: clean_value(value[key], secret_values) for key in sorted(value)}
    if isinstance(value, list):
        return [clean_value(item, secret_values) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and contains_secret(value, secret_values):
        return REDACTED
    return value


# Shorter secrets are only matched whole: searching for "ab" inside every string would
# redact half the manifest.
MIN_SUBSTRING_SECRET = 4


def contains_secret(text: str, secret_values: frozenset[str]) -> bool:
    """Return whether `text` is, or contains, one of the known secret values."""
    return any(
        text == secret or (len(secret) >= MIN_SUBSTRING_SECRET and secret in text)
        for secret in secret_values
    )


def _redact(value: Any) -> Any:
    if is_secret(value):
        return _redact(value["value"])
    if isinstance(value, dict):
        return {key: _redact(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return REDACTED


def clean_manifest(
    wire: Mapping[str, Any], secret_values: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Return one object as a clean manifest, top-level keys in apply-friendly order.

    Top-level `__`-prefixed keys are Pulumi bookkeeping and are dropped. Deeper keys are kept:
    `__init__.py` is a valid ConfigMap data key.
    """
    kept = {key: value for key, value in wire.items() if not key.startswith("__")}
    cleaned = clean_value(kept, secret_values)
    leading = [key for key in _LEADING_KEYS if key in cleaned]
    rest = sorted(key for key in cleaned if key not in _LEADING_KEYS)
    return {key: cleaned[key] for key in leading + rest}


def metadata_field(manifest: Mapping[str, Any], field: str) -> str | None:
    """Return `metadata.<field>` as a string, or None."""
    metadata = manifest.get("metadata")
    value = metadata.get(field) if isinstance(metadata, dict) else None
    return None if value is None else str(value)


def object_label(manifest: Mapping[str, Any]) -> str:
    """`Kind namespace/name`, or `Kind name` for a cluster-scoped object."""
    namespace = metadata_field(manifest, "namespace")
    name = metadata_field(manifest, "name") or "?"
    return (
        f"{manifest.get('kind')} {namespace}/{name}"
        if namespace
        else f"{manifest.get('kind')} {name}"
    )


def sort_key(manifest: Mapping[str, Any]) -> tuple[int, str, str, str, str]:
    """Apply order: by KIND_ORDER (other kinds after, by name), then namespace, name, apiVersion."""
    kind = str(manifest.get("kind", ""))
    return (
        _KIND_RANK.get(kind, len(KIND_ORDER)),
        kind,
        metadata_field(manifest, "namespace") or "",
        metadata_field(manifest, "name") or "",
        str(manifest.get("apiVersion", "")),
    )


def sort_manifests(manifests: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the manifests in apply order."""
    return sorted(manifests, key=sort_key)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.-]+", "-", text.lower()).strip("-") or "unnamed"


def file_names(manifests: Sequence[Mapping[str, Any]]) -> list[str]:
    """Name one file per manifest, numbered so `kubectl apply -f DIR` applies them in order.

    E.g. `003-service-db-mysql-headless.yaml` (`<index>-<kind>-<namespace>-<name>`).
    """
    width = max(3, len(str(len(manifests) - 1)))
    names = []
    for index, manifest in enumerate(manifests):
        parts = [str(manifest.get("kind", "object"))]
        parts += [
            metadata_field(manifest, "namespace") or "",
            metadata_field(manifest, "name") or "",
        ]
        slug = "-".join(_slug(part) for part in parts if part)
        names.append(f"{index:0{width}d}-{slug}.yaml")
    return names


class _ManifestDumper(yaml.SafeDumper):
    """YAML the way people write manifests: multi-line strings as `|` blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ManifestDumper.add_representer(str, _represent_str)


def to_yaml(manifest: Mapping[str, Any]) -> str:
    """Serialize one clean manifest, keeping its key order, with the render header on top."""
    body = yaml.dump(
        dict(manifest),
        Dumper=_ManifestDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
    )
    return f"{HEADER}\n{body}"

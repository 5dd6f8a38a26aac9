"""The text summary a render prints. Pure: manifests and outputs in, lines out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from stateful_service_pair.render._dns import StatefulSetDns
from stateful_service_pair.render._manifests import object_label, redacted_paths
from stateful_service_pair.render._outputs import StackOutput, display_value


def format_objects(manifests: Sequence[Mapping[str, Any]], destination: str) -> list[str]:
    """`Rendered N objects to DIR:` and one `Kind namespace/name` line per object."""
    noun = "object" if len(manifests) == 1 else "objects"
    lines = [f"Rendered {len(manifests)} {noun} to {destination}:"]
    lines += [f"  {object_label(m)}" for m in manifests]
    return lines


def format_dns(analyses: Sequence[StatefulSetDns], cluster_domain: str) -> list[str]:
    """How each StatefulSet's DNS names hang together, with a WARNING line for each break."""
    lines = [f"DNS (cluster domain {cluster_domain}):"]
    if not analyses:
        return [*lines, "  no StatefulSets"]
    for sts in analyses:
        lines.append(f"  StatefulSet {sts.namespace}/{sts.name}")
        lines += [f"    WARNING: {warning}" for warning in sts.warnings]
        if sts.pod_names:
            lines.append(f"    headless Service {sts.namespace}/{sts.service_name}")
            lines += [f"      {name}" for name in sts.pod_names]
            lines += [f"      SRV {name}" for name in sts.srv_names]
        for client in sts.clients:
            lines.append(f"    client Service {client.namespace}/{client.name}")
            lines += [f"      {address}" for address in client.addresses]
    return lines


def format_outputs(
    outputs: Mapping[str, StackOutput], secret_values: frozenset[str] = frozenset()
) -> list[str]:
    """`Stack outputs:` and one `name: value` line per output, sorted, secrets as `[secret]`."""
    if not outputs:
        return ["Stack outputs: none"]
    return ["Stack outputs:"] + [
        f"  {name}: {display_value(outputs[name], secret_values)}" for name in sorted(outputs)
    ]


def format_redactions(
    manifests: Sequence[Mapping[str, Any]],
    files: Sequence[PurePath] | None,
    redacted: Sequence[Sequence[str]] | None = None,
) -> list[str]:
    """One `warning:` line per manifest with redacted values: where, and that it is not applied.

    Args:
        manifests: The clean manifests.
        files: The file written for each manifest, or None when nothing was written.
        redacted: `redacted_paths` of each manifest, when the caller has them already;
            computed if None.
    """
    if redacted is None:
        redacted = [redacted_paths(manifest) for manifest in manifests]
    lines = []
    for index, (manifest, paths) in enumerate(zip(manifests, redacted, strict=True)):
        if not paths:
            continue
        what = (
            f"warning: {object_label(manifest)} holds redacted secret values ({', '.join(paths)})"
        )
        if files is None:
            lines.append(f"{what}: create it yourself")
        else:
            file = files[index]
            lines.append(
                f"{what}; it was written as {file}, which kubectl apply -f {file.parent}/ skips: "
                "create it yourself"
            )
    return lines


def format_summary(
    *,
    manifests: Sequence[Mapping[str, Any]],
    destination: str,
    analyses: Sequence[StatefulSetDns],
    cluster_domain: str,
    outputs: Mapping[str, StackOutput],
    secret_values: frozenset[str] = frozenset(),
    warnings: Sequence[str] = (),
) -> str:
    """The whole summary: objects, DNS picture, stack outputs, warnings; blank-line separated."""
    sections = [
        format_objects(manifests, destination),
        format_dns(analyses, cluster_domain),
        format_outputs(outputs, secret_values),
    ]
    if warnings:
        sections.append(list(warnings))
    return "\n\n".join("\n".join(section) for section in sections) + "\n"

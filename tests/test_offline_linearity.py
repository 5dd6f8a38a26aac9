"""The renderer's steps after the program run do the same work per pair at any stack size.

Counted, not timed, so the test cannot flake: a step that scans every object for each object
(as the DNS picture once did, docs/BENCHMARKS.md) makes the count per pair grow with the stack.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from stateful_service_pair.render import _dns
from stateful_service_pair.render._dns import statefulset_dns
from stateful_service_pair.render._manifests import (
    clean_manifest,
    file_names,
    redacted_paths,
    sort_manifests,
)
from stateful_service_pair.render._report import format_redactions, format_summary

RENDER_PACKAGE = str(Path(_dns.__file__).parent)
NAMESPACE = "default"  # every pair in one namespace: the worst case for a per-namespace scan


def pair_manifests(name: str) -> list[dict[str, Any]]:
    """The four objects of one default pair, in wire form (numbers as floats)."""
    selector = {"stateful-service-pair/statefulset": name}
    labels = {"app.kubernetes.io/instance": name, "app.kubernetes.io/managed-by": "pulumi"}
    labels |= selector
    ports = [{"name": "redis", "port": 6379.0, "protocol": "TCP", "targetPort": "redis"}]

    def meta(object_name: str) -> dict[str, Any]:
        return {"name": object_name, "namespace": NAMESPACE, "labels": labels}

    return [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta(f"{name}-headless"),
            "spec": {"clusterIP": "None", "selector": selector, "ports": ports},
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta(name),
            "spec": {"type": "ClusterIP", "selector": selector, "ports": ports},
        },
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": meta(name),
            "spec": {
                "serviceName": f"{name}-headless",
                "replicas": 3.0,
                "selector": {"matchLabels": selector},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "main", "image": "redis:7.4-alpine"}]},
                },
            },
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": meta(name),
            "spec": {"maxUnavailable": 1.0, "selector": {"matchLabels": selector}},
        },
    ]


def manifest_steps(pairs: int) -> None:
    """Everything `render` does with the objects a run created, short of writing files."""
    wire = [m for index in range(pairs) for m in pair_manifests(f"p{index}")]
    manifests = sort_manifests(clean_manifest(m) for m in wire)
    redacted = [redacted_paths(manifest) for manifest in manifests]
    files = [Path(name) for name in file_names(manifests, redacted)]
    warnings = format_redactions(manifests, files, redacted)
    format_summary(
        manifests=manifests,
        destination="out",
        analyses=statefulset_dns(manifests, "cluster.local"),
        cluster_domain="cluster.local",
        outputs={},
        warnings=warnings,
    )


def calls_per_pair(pairs: int) -> Counter[str]:
    """How often each renderer function runs for `pairs` pairs, divided by `pairs`."""
    calls: Counter[str] = Counter()

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(RENDER_PACKAGE):
            calls[frame.f_code.co_qualname] += 1

    sys.setprofile(profile)
    try:
        manifest_steps(pairs)
    finally:
        sys.setprofile(None)
    return Counter({name: count / pairs for name, count in calls.items()})


def test_manifest_steps_do_the_same_work_per_pair_at_2000_pairs_as_at_100() -> None:
    """No renderer function runs more often per pair in a stack of 2000 pairs than of 100."""
    small, large = calls_per_pair(100), calls_per_pair(2000)
    grew = {
        name: (small[name], per_pair)
        for name, per_pair in large.items()
        if per_pair > small[name] + 0.05  # the few once-per-render calls, spread thinner
    }
    assert grew == {}
    assert large["statefulset_dns"] < small["statefulset_dns"]  # once per render: counted


def test_dns_matching_examines_each_service_a_bounded_number_of_times() -> None:
    """Matching 2000 StatefulSets to their Services checks one selector per StatefulSet."""
    checked = []
    original = _dns.selects

    def counting_selects(service: Any, pod_labels: Any) -> bool:
        checked.append(service)
        return original(service, pod_labels)

    manifests = [m for index in range(2000) for m in pair_manifests(f"p{index}")]
    _dns.selects = counting_selects  # type: ignore[assignment]
    try:
        analyses = statefulset_dns(manifests, "cluster.local")
    finally:
        _dns.selects = original

    assert len(analyses) == 2000
    assert all([c.name for c in a.clients] == [a.name] for a in analyses)
    # One governing check and one client candidate per StatefulSet, whatever the stack's size.
    assert len(checked) == 2 * 2000

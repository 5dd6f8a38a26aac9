"""The checked form of a pair's arguments: what validation returns and the builders read.

Pure data: every default filled in, every value checked (see :mod:`._validation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi

from . import _naming as naming
from ._args import EnvFromArgs, SecretKeyRefArgs

# A NetworkPolicy peer as the arguments give it: (Pod labels, namespace labels), either None.
LabelPair = tuple[dict[str, str] | None, dict[str, str] | None]


@dataclass(frozen=True)
class PortSpec:
    """A checked port: the same name on the container, both Services and the SRV record."""

    name: str
    port: int
    protocol: str
    target_port: int


@dataclass(frozen=True)
class ProbeSpec:
    """A checked probe; ``port`` names one of the pair's ports."""

    port: str
    http_path: str | None
    command: tuple[str, ...] | None
    initial_delay_seconds: int
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int
    success_threshold: int


@dataclass(frozen=True)
class StorageSpec:
    """A checked volumeClaimTemplate and where it is mounted."""

    size: str
    storage_class_name: str | None
    mount_path: str
    claim_name: str
    access_modes: tuple[str, ...]
    when_deleted: str
    when_scaled: str
    on_change: str = "refuse"
    """``refuse`` or ``expand`` (see :mod:`._expansion`)."""


@dataclass(frozen=True)
class NetworkPolicySpec:
    """A checked NetworkPolicy: each client is a (pod labels, namespace labels) pair."""

    allowed_clients: tuple[LabelPair, ...]
    restrict_egress: bool


@dataclass(frozen=True)
class SpreadSpec:
    """A checked ``spread``: ``soft``, ``hard`` or ``off`` per topology."""

    node: str
    zone: str


@dataclass(frozen=True)
class ServiceExposureSpec:
    """A checked Service exposure (the client Service's, or each per-Pod Service's)."""

    type: str = "ClusterIP"
    annotations: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    load_balancer_source_ranges: tuple[str, ...] = ()
    node_ports: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceAccountSpec:
    """A checked ``service_account``: its name, whether the pair creates it, its annotations."""

    name: str
    create: bool
    annotations: dict[str, pulumi.Input[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceMonitorSpec:
    """A checked ``metrics.service_monitor``."""

    interval: str
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricsSpec:
    """A checked ``metrics``: the ``metrics`` container port, its path, the ServiceMonitor and
    who may scrape it through the NetworkPolicy (as ``NetworkPolicySpec.allowed_clients``)."""

    port: int
    path: str
    service_monitor: ServiceMonitorSpec | None = None
    scrapers: tuple[LabelPair, ...] = ()


@dataclass(frozen=True)
class PairSpec:
    """Every argument of a pair, checked, with its default filled in."""

    component_name: str
    image: pulumi.Input[str]
    ports: tuple[PortSpec, ...]
    replicas: pulumi.Input[int]
    namespace: pulumi.Input[str] | None
    cluster_domain: str
    ordinals_start: int
    stateful_set_name: str
    headless_service_name: str
    client_service_name: str
    labels: dict[str, str]
    annotations: dict[str, pulumi.Input[str]]
    pod_annotations: dict[str, pulumi.Input[str]]
    command: tuple[str, ...] | None
    args: tuple[str, ...] | None
    env: dict[str, pulumi.Input[str]]
    secret_env: dict[str, SecretKeyRefArgs]
    env_from: tuple[EnvFromArgs, ...]
    requests: dict[str, str]
    limits: dict[str, str]
    readiness_probe: ProbeSpec | None
    liveness_probe: ProbeSpec | None
    startup_probe: ProbeSpec | None
    image_pull_policy: str
    image_pull_secrets: tuple[str, ...]
    run_as_user: int | None
    run_as_group: int | None
    fs_group: int | None
    run_as_non_root: bool
    read_only_root_filesystem: bool
    writable_paths: tuple[str, ...]
    automount_service_account_token: bool
    service_account_name: str | None
    storage: StorageSpec | None
    pod_management_policy: str
    update_strategy: str
    rolling_update_partition: int | None
    min_ready_seconds: int
    publish_not_ready_addresses: bool
    session_affinity: str
    session_affinity_timeout_seconds: int | None
    internal_traffic_policy: str
    traffic_distribution: str | None
    pod_disruption_budget: bool
    pdb_max_unavailable: int
    skip_await: bool
    await_timeout_seconds: int | None
    network_policy: NetworkPolicySpec | None
    protect: bool
    # Availability, shutdown and rollouts (see _availability.py).
    spread: SpreadSpec
    pdb_min_available: int | str | None
    pdb_unhealthy_pod_eviction_policy: str
    termination_grace_period_seconds: int
    pre_stop: tuple[str, ...] | None
    priority_class_name: str | None
    rolling_update_max_unavailable: int | str | None
    diagnostic_mode: bool
    diagnostic_command: tuple[str, ...]
    extra_pod_spec: dict[str, Any] = field(default_factory=dict)
    extra_container_spec: dict[str, Any] = field(default_factory=dict)
    # Exposure (see _exposure.py).
    client_service: ServiceExposureSpec = field(default_factory=ServiceExposureSpec)
    headless_service_annotations: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    per_pod_services: ServiceExposureSpec | None = None
    service_account: ServiceAccountSpec | None = None
    # Metrics (see _metrics.py).
    metrics: MetricsSpec | None = None
    # storage_claims: every claim template, in the order given; ``storage`` is then the first
    # (its retention and on_change, which every claim shares, are the StatefulSet's).
    storage_claims: tuple[StorageSpec, ...] = ()

    @property
    def claims(self) -> tuple[tuple[str, StorageSpec], ...]:
        """Every claim template with the argument it came from (``storage`` or
        ``storage_claims[<i>]``), in the order of ``volumeClaimTemplates``."""
        if self.storage_claims:
            return tuple((f"storage_claims[{i}]", c) for i, c in enumerate(self.storage_claims))
        return (("storage", self.storage),) if self.storage is not None else ()

    @property
    def selector_labels(self) -> dict[str, str]:
        """Labels that select the pair's Pods (derived from the StatefulSet name only)."""
        return naming.selector_labels(self.stateful_set_name)

    @property
    def common_labels(self) -> dict[str, str]:
        """Labels on every object and Pod: the user's, then the ones the pair owns."""
        return {**self.labels, **naming.owned_labels(self.stateful_set_name)}

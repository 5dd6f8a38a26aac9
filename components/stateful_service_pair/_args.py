"""The arguments of :class:`StatefulServicePair`, as TypedDicts.

TypedDicts keep the API usable both from Python (a plain dict with the same keys
works the same) and from other Pulumi languages, whose schema the SDK derives
from these annotations and the docstring under each field. Every optional field
says its default (``tests/test_arguments.py`` checks it against :mod:`._arguments`). Closed sets
of choices are ``StrEnum``s, which the analyzer turns into schema enums; Python callers may pass
either the member or its string value.
"""

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

import pulumi


class ImagePullPolicy(StrEnum):
    """When the kubelet pulls the container image."""

    ALWAYS = "Always"
    """On every container start, re-checking the registry's authorization."""
    IF_NOT_PRESENT = "IfNotPresent"
    """Only when the node does not have the image."""
    NEVER = "Never"
    """Never; the image must already be on the node."""


class Protocol(StrEnum):
    """The transport protocol of a port."""

    TCP = "TCP"
    """TCP."""
    UDP = "UDP"
    """UDP."""
    SCTP = "SCTP"
    """SCTP."""


class AccessMode(StrEnum):
    """How a persistent volume claim may be mounted."""

    READ_WRITE_ONCE = "ReadWriteOnce"
    """Read-write by one node."""
    READ_ONLY_MANY = "ReadOnlyMany"
    """Read-only by many nodes."""
    READ_WRITE_MANY = "ReadWriteMany"
    """Read-write by many nodes."""
    READ_WRITE_ONCE_POD = "ReadWriteOncePod"
    """Read-write by one Pod."""


class StorageChange(StrEnum):
    """What the pair does when ``storage`` differs from the deployed claim template."""

    REFUSE = "refuse"
    """Stop at preview with the manual procedure."""
    EXPAND = "expand"
    """Grow every claim and replace the StatefulSet while its Pods keep running."""


class RetentionPolicy(StrEnum):
    """What happens to a Pod's claim when the StatefulSet is deleted or scaled down."""

    RETAIN = "Retain"
    """Keep the claim and its data."""
    DELETE = "Delete"
    """Delete the claim (and, with a Delete reclaim policy, the data)."""


class PodManagementPolicy(StrEnum):
    """How the StatefulSet creates and deletes Pods."""

    ORDERED_READY = "OrderedReady"
    """One Pod at a time, in ordinal order, each Ready before the next."""
    PARALLEL = "Parallel"
    """All at once: what clustered systems that bootstrap together need."""


class UpdateStrategy(StrEnum):
    """How a changed Pod template reaches the Pods."""

    ROLLING_UPDATE = "RollingUpdate"
    """The controller replaces Pods one by one, highest ordinal first."""
    ON_DELETE = "OnDelete"
    """A Pod gets the new template only when you delete it."""


class SessionAffinity(StrEnum):
    """Session affinity of the client Service."""

    NONE = "None"
    """Each connection may reach any Ready Pod."""
    CLIENT_IP = "ClientIP"
    """Connections from one client IP reach the same Pod."""


class InternalTrafficPolicy(StrEnum):
    """Which endpoints the client Service uses for traffic from inside the cluster."""

    CLUSTER = "Cluster"
    """Every Ready Pod of the pair."""
    LOCAL = "Local"
    """Only Pods on the client's node."""


class TrafficDistribution(StrEnum):
    """The client Service's preference for nearby endpoints."""

    PREFER_CLOSE = "PreferClose"
    """Topologically close endpoints (the same zone)."""
    PREFER_SAME_ZONE = "PreferSameZone"
    """Endpoints in the client's zone."""
    PREFER_SAME_NODE = "PreferSameNode"
    """Endpoints on the client's node."""


class SpreadMode(StrEnum):
    """How strictly the pair's Pods are spread over one kind of topology domain."""

    SOFT = "soft"
    """Prefer balanced domains, but schedule anyway (``whenUnsatisfiable: ScheduleAnyway``)."""
    HARD = "hard"
    """Leave a Pod Pending rather than unbalance the domains by more than one
    (``whenUnsatisfiable: DoNotSchedule``)."""
    OFF = "off"
    """No constraint for this topology."""


class UnhealthyPodEvictionPolicy(StrEnum):
    """Whether the disruption budget protects Pods that are Running but not Ready."""

    IF_HEALTHY_BUDGET = "IfHealthyBudget"
    """A not-Ready Pod may be evicted only while the budget is met (Kubernetes' default)."""
    ALWAYS_ALLOW = "AlwaysAllow"
    """A not-Ready Pod may always be evicted, so a drain is not blocked by a broken Pod."""


class ServiceType(StrEnum):
    """How a Service is reached: from inside the cluster only, or also from outside it."""

    CLUSTER_IP = "ClusterIP"
    """A cluster-internal virtual IP only."""
    NODE_PORT = "NodePort"
    """Also a port on every node (30000-32767 unless the cluster changed the range)."""
    LOAD_BALANCER = "LoadBalancer"
    """Also a cloud load balancer (and node ports behind it); reachable from outside."""


class PortArgs(TypedDict):
    """A port the container listens on, published by both Services."""

    name: str
    """IANA service name (at most 15 characters, e.g. ``mysql``). Names the container port,
    both Service ports and the SRV record ``_<name>._<protocol>.<headless service>``."""
    port: int
    """The Service port clients and peers connect to (1-65535)."""
    protocol: NotRequired[Protocol]
    """``TCP``, ``UDP`` or ``SCTP``. Default ``TCP``."""
    target_port: NotRequired[int]
    """The port the container listens on (1-65535). Default: ``port``."""


class StorageArgs(TypedDict):
    """A persistent volume per Pod, through the StatefulSet's volumeClaimTemplates."""

    enabled: NotRequired[bool]
    """``False`` creates no volumes (the same as ``storage=None`` in Python, for languages
    that cannot pass a null). Default ``True``."""
    size: NotRequired[str]
    """Requested capacity, a Kubernetes quantity. Default ``1Gi``."""
    storage_class_name: NotRequired[str]
    """StorageClass of the claims. Default: the cluster's default StorageClass."""
    mount_path: NotRequired[str]
    """Where the volume is mounted in the container. Default ``/data``."""
    claim_name: NotRequired[str]
    """Name of the claim template; PVCs are ``<claim_name>-<statefulset>-<ordinal>``. Default
    ``data``. Changing it later orphans every existing volume."""
    access_modes: NotRequired[Sequence[AccessMode]]
    """Access modes of each claim. Default ``["ReadWriteOnce"]``."""
    when_deleted: NotRequired[RetentionPolicy]
    """PVC retention when the StatefulSet is deleted: ``Retain`` or ``Delete``. Default
    ``Retain``, so data outlives a deleted or replaced StatefulSet."""
    when_scaled: NotRequired[RetentionPolicy]
    """PVC retention when the StatefulSet scales down: ``Retain`` or ``Delete``. Default
    ``Retain``."""
    on_change: NotRequired[StorageChange]
    """``refuse``: a storage change stops at preview with the manual procedure. ``expand``: a
    larger ``size`` resizes every claim and replaces the StatefulSet without stopping its Pods
    (README "Growing storage in one pulumi up"); needs ``storage_class_name`` naming a class
    with ``allowVolumeExpansion: true`` (read at preview) and a plain integer ``replicas``.
    Default ``refuse``."""


class ProbeArgs(TypedDict):
    """A container probe. TCP on ``port`` unless ``http_path`` or ``command`` is given."""

    enabled: NotRequired[bool]
    """``False`` turns the probe off (the same as ``None`` in Python, for languages that
    cannot pass a null). Default ``True``."""
    port: NotRequired[str]
    """Name of one of the pair's TCP ports to probe. Default: the first TCP port."""
    http_path: NotRequired[str]
    """Probe with an HTTP GET of this path on ``port`` instead of a TCP connect."""
    command: NotRequired[Sequence[str]]
    """Probe by running this command in the container (exit code 0 is healthy)."""
    initial_delay_seconds: NotRequired[int]
    """Seconds after start before the first probe. Default ``0`` for readiness, ``30`` for
    the default liveness probe."""
    period_seconds: NotRequired[int]
    """Seconds between probes. Default ``10``."""
    timeout_seconds: NotRequired[int]
    """Seconds before a probe times out. Default ``1``."""
    failure_threshold: NotRequired[int]
    """Consecutive failures that count as failed. Default ``3`` (``6`` for the default
    liveness probe)."""
    success_threshold: NotRequired[int]
    """Consecutive successes that count as succeeded (must be 1 for liveness). Default ``1``."""


class ResourcesArgs(TypedDict):
    """Compute resources of the main container."""

    requests: NotRequired[Mapping[str, str]]
    """Merged over the defaults by resource. Default ``{"cpu": "100m", "memory": "256Mi"}``."""
    limits: NotRequired[Mapping[str, str]]
    """Merged over the defaults by resource; ``{}`` removes the limits. A request above its
    limit is refused. Default ``{"cpu": "1", "memory": "512Mi"}``."""


class SecretKeyRefArgs(TypedDict):
    """One key of a Kubernetes Secret, read into an environment variable."""

    secret_name: str
    """Name of the Secret, in the pair's namespace."""
    key: str
    """Key within the Secret."""


class EnvFromArgs(TypedDict):
    """A ConfigMap or Secret whose keys all become environment variables."""

    config_map_name: NotRequired[str]
    """Name of a ConfigMap. Give exactly one of ``config_map_name`` and ``secret_name``."""
    secret_name: NotRequired[str]
    """Name of a Secret. Give exactly one of ``config_map_name`` and ``secret_name``."""
    prefix: NotRequired[str]
    """Prefix added to every variable name. Default: none."""


class NetworkClientArgs(TypedDict):
    """Pods allowed to connect to the pair's ports. Give one or both selectors."""

    pod_labels: NotRequired[Mapping[str, str]]
    """Labels the client Pods carry. Alone: such Pods in the pair's namespace."""
    namespace_labels: NotRequired[Mapping[str, str]]
    """Labels of the clients' namespaces. Alone: every Pod in those namespaces; with
    ``pod_labels``: only the Pods with those labels in those namespaces."""


class NetworkPolicyArgs(TypedDict):
    """A NetworkPolicy that admits only the pair's own Pods and the named clients."""

    allowed_clients: NotRequired[Sequence[NetworkClientArgs]]
    """Clients that may connect to the pair's ports, besides the pair's own Pods.
    Default: none."""
    restrict_egress: NotRequired[bool]
    """Also restrict outgoing traffic, to the pair's own Pods on its ports and DNS (port 53)
    anywhere. Default ``False``: egress is untouched."""


class SpreadArgs(TypedDict):
    """How the pair's Pods are spread over nodes and zones (topologySpreadConstraints, maxSkew
    1, selecting only this pair's Pods)."""

    node: NotRequired[SpreadMode]
    """Over nodes (``kubernetes.io/hostname``): ``soft``, ``hard`` or ``off``. Default
    ``soft``."""
    zone: NotRequired[SpreadMode]
    """Over zones (``topology.kubernetes.io/zone``): ``soft``, ``hard`` or ``off``. Default
    ``soft``. ``hard`` leaves Pods Pending on nodes without the zone label."""


class ClientServiceArgs(TypedDict):
    """How the client Service is exposed and annotated."""

    type: NotRequired[ServiceType]
    """``ClusterIP``, ``NodePort`` or ``LoadBalancer``. Default ``ClusterIP``: nothing is reachable
    from outside the cluster unless asked for."""
    annotations: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Annotations of the client Service only (e.g. a cloud load balancer's settings), over
    ``annotations``; values may be Outputs. Default: none."""
    load_balancer_source_ranges: NotRequired[Sequence[str]]
    """CIDRs allowed to reach a ``LoadBalancer`` (``loadBalancerSourceRanges``), e.g.
    ``["203.0.113.0/24"]``. Only with ``LoadBalancer``. Default: none (the provider's
    default, usually everyone)."""
    node_ports: NotRequired[Mapping[str, int]]
    """Fixed node port per port name, each 30000-32767 and unique. Only with ``NodePort`` or
    ``LoadBalancer``. Default: none (Kubernetes allocates them)."""


class PerPodServicesArgs(TypedDict):
    """One Service per Pod, named like the Pod, selecting it by
    ``statefulset.kubernetes.io/pod-name``."""

    enabled: NotRequired[bool]
    """``False`` creates none (the same as ``None`` in Python). Default ``True``."""
    type: NotRequired[ServiceType]
    """``ClusterIP``, ``NodePort`` or ``LoadBalancer``. Default ``ClusterIP``."""
    annotations: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Annotations of each per-Pod Service, over ``annotations``; values may be Outputs.
    Default: none."""
    load_balancer_source_ranges: NotRequired[Sequence[str]]
    """CIDRs allowed to reach each ``LoadBalancer``. Only with ``LoadBalancer``. Default: none."""


class ServiceAccountArgs(TypedDict):
    """The Pods' ServiceAccount: one the pair creates (e.g. for cloud identity) or one that
    exists."""

    create: NotRequired[bool]
    """Create the ServiceAccount. ``False`` uses an existing one, which ``name`` must then name.
    Default ``True``."""
    name: NotRequired[str]
    """Its name. Default: the StatefulSet's name (required with ``create=False``)."""
    annotations: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Annotations of the created ServiceAccount, e.g. ``eks.amazonaws.com/role-arn`` or
    ``iam.gke.io/gcp-service-account``; values may be Outputs. Only with ``create``. Default:
    none."""


class ServiceMonitorArgs(TypedDict):
    """A Prometheus Operator ``ServiceMonitor`` (``monitoring.coreos.com/v1``) that scrapes each
    Pod of this pair, through the headless Service, on the ``metrics`` port."""

    interval: NotRequired[str]
    """Scrape interval, a Prometheus duration such as ``30s``, ``1m`` or ``1m30s``. Default
    ``30s``."""
    labels: NotRequired[Mapping[str, str]]
    """Labels of the ServiceMonitor, over the pair's labels, e.g. ``{"release": "prometheus"}``
    for a Prometheus whose ``serviceMonitorSelector`` asks for them. Default: none."""


class MetricsArgs(TypedDict):
    """A ``metrics`` container port, published on the headless Service only, and optionally a
    ServiceMonitor for it."""

    port: int
    """The container port serving metrics (1-65535), named ``metrics``. It may not be a port
    number or name the pair's ``ports`` already use."""
    path: NotRequired[str]
    """HTTP path of the metrics. Default ``/metrics``."""
    service_monitor: NotRequired[ServiceMonitorArgs | None]
    """Create a ServiceMonitor selecting exactly this pair's headless Service. Needs the
    Prometheus Operator's CRD in the cluster. Default: none."""
    scrapers: NotRequired[Sequence[NetworkClientArgs]]
    """With ``network_policy``: who may connect to the ``metrics`` port (the Prometheus Pods),
    selected like ``allowed_clients``. Only with ``network_policy``. Default: none (the
    NetworkPolicy admits nobody to the metrics port)."""


class StatefulServicePairArgs(TypedDict):
    """Arguments of a StatefulServicePair. Only ``image`` and ``ports`` are required."""

    image: pulumi.Input[str]
    """Container image. Pin it by digest (``repo@sha256:…``) in production."""
    ports: Sequence[PortArgs]
    """At least one port; every port is named, so every port gets an SRV record."""
    replicas: NotRequired[pulumi.Input[int]]
    """Number of Pods, 0 to 10000. Default ``1``. May be an Output (a whole float such as
    ``3.0`` from a stack reference counts); it is checked when it resolves. With ``0`` the
    client Service gets ``pulumi.com/skipAwait``, since no endpoints can come."""
    namespace: NotRequired[pulumi.Input[str]]
    """Namespace of every object. Default: the default provider's namespace, i.e. the stack's
    ``kubernetes:namespace`` config, else the kubeconfig context's namespace, else
    ``default``. Required when the pair (or its parent)
    gets an explicit Kubernetes provider, whose namespace the pair cannot read; the DNS
    outputs contain it."""
    cluster_domain: NotRequired[str]
    """The cluster's DNS domain (kubelet ``clusterDomain``), without a leading ``svc.``.
    Default ``cluster.local``."""
    ordinals_start: NotRequired[int]
    """First Pod ordinal (``spec.ordinals.start``, Kubernetes 1.27+). Default ``0``."""
    stateful_set_name: NotRequired[str]
    """Name of the StatefulSet (at most 52 characters). Default: the component's name."""
    headless_service_name: NotRequired[str]
    """Name of the headless Service. Default ``<component name>-headless``."""
    client_service_name: NotRequired[str]
    """Name of the ClusterIP Service for clients. Default: the component's name."""
    labels: NotRequired[Mapping[str, str]]
    """Extra labels on every object and Pod. Default: none. The pair's own labels
    (``stateful-service-pair/statefulset``, ``app.kubernetes.io/instance``,
    ``app.kubernetes.io/managed-by``) are reserved."""
    annotations: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Extra annotations on every object; values may be Outputs. Default: none."""
    pod_annotations: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Extra annotations on the Pod template; values may be Outputs (e.g. a checksum of a
    ConfigMap's data, so a change rolls the Pods). Default: none."""
    command: NotRequired[Sequence[str]]
    """Container entrypoint. Default: the image's ENTRYPOINT."""
    args: NotRequired[Sequence[str]]
    """Container arguments. Default: the image's CMD."""
    env: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Plain environment variables. Default: none. Never put credentials here: a value
    that is a Pulumi secret is refused; use ``secret_env``."""
    secret_env: NotRequired[Mapping[str, SecretKeyRefArgs]]
    """Environment variables read from Kubernetes Secrets (``secretKeyRef``). Default: none."""
    env_from: NotRequired[Sequence[EnvFromArgs]]
    """ConfigMaps and Secrets imported whole (``envFrom``). Default: none."""
    resources: NotRequired[ResourcesArgs]
    """Requests and limits. Default: requests ``cpu 100m, memory 256Mi``, limits ``cpu 1,
    memory 512Mi``."""
    readiness_probe: NotRequired[ProbeArgs | None]
    """Default: TCP connect to the first TCP port every 10s (no probe if no port is TCP).
    ``None`` disables it (Pods are then Ready as soon as they start)."""
    liveness_probe: NotRequired[ProbeArgs | None]
    """Default: TCP connect to the first TCP port every 10s after 30s, restart after 6
    failures (no probe if no port is TCP). ``None`` disables it."""
    startup_probe: NotRequired[ProbeArgs | None]
    """Default: none."""
    image_pull_policy: NotRequired[ImagePullPolicy]
    """``Always``, ``IfNotPresent`` or ``Never``. Default ``Always``, so every start
    re-checks the registry's authorization for the image."""
    image_pull_secrets: NotRequired[Sequence[str]]
    """Names of docker-registry Secrets for pulling the image. Default: none."""
    run_as_user: NotRequired[int | None]
    """UID of the container processes. Default ``10001``. ``None`` keeps the image's user."""
    run_as_group: NotRequired[int | None]
    """GID of the container processes. Default ``10001``. ``None`` keeps the image's group."""
    fs_group: NotRequired[int | None]
    """Group that owns mounted volumes, so a non-root process can write them. Default
    ``10001``. ``None`` leaves volume ownership alone."""
    run_as_non_root: NotRequired[bool]
    """Refuse to start a container whose user is root. Default ``True``."""
    read_only_root_filesystem: NotRequired[bool]
    """Mount the container's root filesystem read-only. Default ``True``; writable places
    are the storage volume and ``writable_paths``."""
    writable_paths: NotRequired[Sequence[str]]
    """Paths that get an emptyDir volume, for programs that write scratch files under a
    read-only root filesystem. Default ``["/tmp"]``."""
    automount_service_account_token: NotRequired[bool]
    """Mount a Kubernetes API token into the Pods. Default ``False``: a database needs none."""
    service_account_name: NotRequired[str]
    """ServiceAccount of the Pods. Default: the namespace's ``default`` account."""
    service_account: NotRequired[ServiceAccountArgs | None]
    """A ServiceAccount for the Pods: ``{"create": True, "name": …, "annotations": {…}}``.
    Created with ``automountServiceAccountToken: false``; the Pods get an API token only with
    ``automount_service_account_token``. Not together with ``service_account_name``. Default:
    none (the namespace's ``default`` account)."""
    storage: NotRequired[StorageArgs | None]
    """Persistent storage per Pod. Default: ``1Gi`` at ``/data``, claims retained on
    delete and scale-down. ``None``: no persistent storage."""
    storage_claims: NotRequired[Sequence[StorageArgs]]
    """Several persistent volumes per Pod instead of ``storage``'s one (e.g. data and WAL on
    different StorageClasses): one claim template each, in the order given. Each needs its own
    ``claim_name`` and ``mount_path``. ``when_deleted`` and ``when_scaled`` are StatefulSet-wide
    (one ``persistentVolumeClaimRetentionPolicy``), so every claim must give the same;
    ``on_change="expand"`` takes one claim only. A separate argument because the schema other
    languages use has no union types. Not together with ``storage``. Default: none (``storage``
    applies)."""
    pod_management_policy: NotRequired[PodManagementPolicy]
    """``OrderedReady`` (one Pod at a time, in order) or ``Parallel`` (all at once; what
    clustered systems that bootstrap together need). Default ``OrderedReady``. Changing it
    replaces the StatefulSet."""
    update_strategy: NotRequired[UpdateStrategy]
    """``RollingUpdate`` or ``OnDelete``. Default ``RollingUpdate``."""
    rolling_update_partition: NotRequired[int]
    """Only Pods with an ordinal at or above this are updated (canaries). Default: none."""
    min_ready_seconds: NotRequired[int]
    """Seconds a new Pod must be Ready before it counts as available. Default ``0``."""
    publish_not_ready_addresses: NotRequired[bool]
    """Publish per-Pod DNS records before the Pods are Ready, on the headless Service only.
    Default ``True``: peers must find each other while they bootstrap (etcd, Kafka,
    Galera, ZooKeeper). The client Service never sends traffic to unready Pods."""
    session_affinity: NotRequired[SessionAffinity]
    """Client Service session affinity: ``None`` or ``ClientIP``. Default ``None``."""
    session_affinity_timeout_seconds: NotRequired[int]
    """``ClientIP`` affinity timeout (1-86400). Default: Kubernetes' ``10800``."""
    internal_traffic_policy: NotRequired[InternalTrafficPolicy]
    """Client Service ``internalTrafficPolicy``: ``Cluster`` or ``Local``. Default
    ``Cluster``."""
    traffic_distribution: NotRequired[TrafficDistribution]
    """Client Service ``trafficDistribution``: ``PreferClose``, ``PreferSameZone`` or
    ``PreferSameNode``. Default: none."""
    client_service: NotRequired[ClientServiceArgs]
    """How the client Service is exposed: ``type``, ``annotations``,
    ``load_balancer_source_ranges``, ``node_ports``. Default: ``ClusterIP``, no annotations of
    its own."""
    headless_service_annotations: NotRequired[Mapping[str, pulumi.Input[str]]]
    """Annotations of the headless Service only, over ``annotations``; values may be Outputs.
    Default: none."""
    per_pod_services: NotRequired[PerPodServicesArgs | None]
    """One Service per Pod (named like the Pod, e.g. ``kafka-0``), to reach each member
    individually (Kafka brokers, database members). Needs a plain integer ``replicas``.
    Default: none."""
    metrics: NotRequired[MetricsArgs | None]
    """Prometheus metrics: ``{"port": 9090, "path": "/metrics", "service_monitor":
    {"interval": "30s", "labels": {…}}}``. Adds a container port named ``metrics``, published
    on the headless Service only (never on the client or per-Pod Services), and with
    ``service_monitor`` a Prometheus Operator ServiceMonitor. Default: none."""
    pod_disruption_budget: NotRequired[bool]
    """Create a PodDisruptionBudget so voluntary disruptions (drains, upgrades) take at most
    ``pdb_max_unavailable`` Pods at a time. Default ``True``."""
    pdb_max_unavailable: NotRequired[int]
    """``maxUnavailable`` of the PodDisruptionBudget. Default ``1``."""
    spread: NotRequired[SpreadArgs]
    """Spread the Pods over nodes and zones: ``{"node": "soft" | "hard" | "off", "zone": …}``.
    Default: ``soft`` for both, which never blocks scheduling. Uses topologySpreadConstraints
    (maxSkew 1) selecting only this pair's Pods; constraints in ``extra_pod_spec`` are added to
    these, and its ``affinity`` is left as given."""
    pdb_min_available: NotRequired[Any]
    """``minAvailable`` of the PodDisruptionBudget instead of ``pdb_max_unavailable``: an
    integer, a percentage such as ``"51%"``, or ``"quorum"``, a majority of ``replicas``
    (``replicas // 2 + 1``, also when ``replicas`` is an Output). Default: none (the budget
    uses ``pdb_max_unavailable``). Giving both is an error."""
    pdb_unhealthy_pod_eviction_policy: NotRequired[UnhealthyPodEvictionPolicy]
    """``unhealthyPodEvictionPolicy`` of the PodDisruptionBudget (Kubernetes 1.27+):
    ``IfHealthyBudget`` or ``AlwaysAllow``. Default ``AlwaysAllow``: a Pod that is Running but
    not Ready does not count towards the budget anyway, so evicting it costs no availability,
    while protecting it would block every node drain behind a crash-looping Pod."""
    termination_grace_period_seconds: NotRequired[int]
    """Seconds between SIGTERM (after ``pre_stop``) and SIGKILL. Default ``60``: twice
    Kubernetes' 30, time for a database to flush and checkpoint. ``pre_stop`` runs within it."""
    pre_stop: NotRequired[Sequence[str]]
    """A command run in the main container before it gets SIGTERM (``lifecycle.preStop.exec``),
    e.g. to hand over leadership. Default: none (the image's SIGTERM handling)."""
    priority_class_name: NotRequired[str]
    """PriorityClass of the Pods, so the scheduler preempts less important Pods for them.
    Default: none (the cluster's default class, usually priority 0). The class must exist."""
    rolling_update_max_unavailable: NotRequired[Any]
    """``rollingUpdate.maxUnavailable``: an integer (at least 1) or a percentage such as
    ``"25%"`` of Pods updated at once. Default: none (Kubernetes updates one Pod at a time).
    Needs the ``MaxUnavailableStatefulSet`` feature gate: alpha (off) in Kubernetes 1.24-1.34,
    beta from 1.35; a cluster without it ignores the field."""
    diagnostic_mode: NotRequired[bool]
    """Keep the Pods up without the workload, to debug them: the main container runs
    ``diagnostic_command`` without ``args``, probes are off and ``pulumi up`` does not wait.
    Every other argument stays as given. Default ``False``."""
    diagnostic_command: NotRequired[Sequence[str]]
    """The idle command of ``diagnostic_mode``. Default ``["sleep", "infinity"]``; images
    without ``sleep`` (distroless) need another."""
    skip_await: NotRequired[bool]
    """Do not wait, during ``pulumi up``, for the StatefulSet's Pods to be Ready nor for the
    client Service to get endpoints (annotation ``pulumi.com/skipAwait``). Default ``False``."""
    await_timeout_seconds: NotRequired[int]
    """How long ``pulumi up`` waits for the StatefulSet's Pods to be Ready and for the client
    Service to get endpoints (annotation ``pulumi.com/timeoutSeconds``). Default: the
    provider's 10 minutes. Raise it for databases that replay a large log at start."""
    extra_pod_spec: NotRequired[Mapping[str, Any]]
    """More PodSpec fields, keyed like ``pulumi_kubernetes.core.v1.PodSpecArgs`` (snake_case;
    camelCase is accepted) with ``pulumi_kubernetes`` values, e.g. ``{"tolerations":
    [k8s.core.v1.TolerationArgs(...)], "affinity": k8s.core.v1.AffinityArgs(...)}``.
    ``containers`` and ``volumes`` are appended to the pair's own; ``security_context`` fields
    are laid over the pair's hardened context one by one; other fields replace the pair's
    value. ``hostname`` and ``subdomain`` (they would break Pod DNS) and ``host_network``,
    ``host_pid``, ``host_ipc`` (they break Pod isolation) are refused. Default: none."""
    extra_container_spec: NotRequired[Mapping[str, Any]]
    """More fields of the main container, keyed like
    ``pulumi_kubernetes.core.v1.ContainerArgs``. ``volume_mounts``, ``env``, ``env_from`` and
    ``ports`` are appended to the pair's own; ``security_context`` fields are laid over the
    pair's hardened context one by one; other fields replace the pair's value; ``name`` and
    ``image`` are refused. Default: none."""
    network_policy: NotRequired[NetworkPolicyArgs | None]
    """Create a NetworkPolicy: ingress to the pair's ports only from its own Pods and
    ``allowed_clients``. Default: none (traffic is whatever the namespace allows). Needs a
    CNI that enforces NetworkPolicy."""
    protect: NotRequired[bool]
    """Mark the StatefulSet ``protect``ed, so a change that would replace it (serviceName,
    selector, podManagementPolicy, names, namespace) stops at preview instead of deleting
    every Pod. ``pulumi destroy`` then needs ``protect=False`` first. Default ``False``:
    a replacement keeps the data (claims are retained and re-adopted) but restarts every
    Pod."""

"""The one table of every argument: default, allowed values and the sentence that explains it.

Validation takes its defaults and closed sets of choices from here; the README arguments
table is rendered from here (:func:`readme_arguments_table`); the tests check that the
docstrings in :mod:`._args` (which the SDK's analyzer copies into ``provider/schema.json``)
state the same default and name the same choices. The type of each argument is its annotation
in :class:`~._args.StatefulServicePairArgs` and is not repeated here.

Nested fields (``ports[].protocol``, ``storage.size``, probe timings, …) are keyed by a dotted
path; their sentences live in their docstrings, which the README points to.
"""

import types
import typing
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from . import dns
from ._args import (
    AccessMode,
    ImagePullPolicy,
    InternalTrafficPolicy,
    PodManagementPolicy,
    Protocol,
    RetentionPolicy,
    ServiceType,
    SessionAffinity,
    SpreadMode,
    StatefulServicePairArgs,
    StorageChange,
    TrafficDistribution,
    UnhealthyPodEvictionPolicy,
    UpdateStrategy,
)


@dataclass(frozen=True)
class Described:
    """A default that is not a literal value (it depends on the name, the cluster, …)."""

    text: str
    """How the README states it."""


REQUIRED = Described("required")
NONE = Described("none")


@dataclass(frozen=True)
class Argument:
    """One argument: its default, its closed set of choices (if any) and its sentence."""

    name: str
    """Dotted path, e.g. ``replicas`` or ``storage.size``."""
    default: object
    """The value validation fills in, or a :class:`Described` default."""
    sentence: str = ""
    """What it does, as the README says it (top-level arguments only)."""
    choices: type[StrEnum] | None = None
    """The enum whose values are the only ones allowed (a schema enum for other languages)."""

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed values, in the enum's order (empty when any value of the type goes)."""
        return tuple(member.value for member in self.choices) if self.choices else ()

    @property
    def literal(self) -> bool:
        """Whether the default is a plain value (stated as ``Default ``<value>```)."""
        return not isinstance(self.default, Described)

    @property
    def shown_default(self) -> str:
        """The default as the docstrings and the README write it."""
        if isinstance(self.default, Described):
            return self.default.text
        return _literal_text(self.default)


def _literal_text(value: object) -> str:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    return repr(value)


DEFAULT_REQUESTS: Mapping[str, str] = {"cpu": "100m", "memory": "256Mi"}
DEFAULT_LIMITS: Mapping[str, str] = {"cpu": "1", "memory": "512Mi"}
DEFAULT_UID = 10001

_TOP_LEVEL = (
    Argument(
        "image",
        REQUIRED,
        "Container image; pin a digest (`repo@sha256:…`) in production. May be an Output.",
    ),
    Argument(
        "ports",
        REQUIRED,
        "List of `PortArgs`: `name` (IANA name, ≤ 15 chars), `port`, `protocol` (`TCP`), "
        "`target_port` (= `port`). Every port is named, so every port has an SRV record.",
    ),
    Argument(
        "replicas",
        1,
        "Number of Pods, 0 to 10000. May be an Output (checked when it resolves). With 0, the "
        "client Service skips `pulumi up`'s wait for endpoints.",
    ),
    Argument(
        "namespace",
        Described("`kubernetes:namespace` config, else the kubeconfig context's, else `default`"),
        "Namespace of every object. May be an Output. **Required** with an explicit "
        "Kubernetes provider (its namespace cannot be read).",
    ),
    Argument(
        "cluster_domain",
        dns.DEFAULT_CLUSTER_DOMAIN,
        "The cluster's DNS domain (kubelet `clusterDomain`), without `svc.`.",
    ),
    Argument(
        "ordinals_start",
        0,
        "`spec.ordinals.start` (Kubernetes 1.27+); Pods are `<name>-<start>` …",
    ),
    Argument(
        "stateful_set_name", Described("component name"), "StatefulSet name, ≤ 52 characters."
    ),
    Argument("headless_service_name", Described("`<name>-headless`"), "Headless Service name."),
    Argument(
        "client_service_name", Described("component name"), "Client (ClusterIP) Service name."
    ),
    Argument(
        "labels",
        NONE,
        "Extra labels on every object and Pod. The pair's own "
        "(`stateful-service-pair/statefulset`, `app.kubernetes.io/instance`, "
        "`app.kubernetes.io/managed-by`) are reserved.",
    ),
    Argument("annotations", NONE, "Extra annotations on every object. Values may be Outputs."),
    Argument(
        "pod_annotations",
        NONE,
        "Annotations on the Pod template. Values may be Outputs (e.g. a ConfigMap checksum, "
        "so its change rolls the Pods).",
    ),
    Argument("command", Described("image's"), "Container entrypoint."),
    Argument("args", Described("image's"), "Container arguments."),
    Argument(
        "env",
        NONE,
        "Plain variables, in order. A value that is a Pulumi secret is **refused** "
        "(it would be plain text in the StatefulSet).",
    ),
    Argument(
        "secret_env",
        NONE,
        '`{VAR: {"secret_name": …, "key": …}}` → `valueFrom.secretKeyRef`.',
    ),
    Argument(
        "env_from",
        NONE,
        '`[{"config_map_name"/"secret_name": …, "prefix": …}]` → `envFrom`.',
    ),
    Argument(
        "resources",
        Described("requests `cpu 100m, memory 256Mi`; limits `cpu 1, memory 512Mi`"),
        '`{"requests": {...}, "limits": {...}}`, each merged over the defaults by resource; '
        "`limits={}` removes limits. A request above its limit is refused.",
    ),
    Argument(
        "readiness_probe",
        Described("TCP on the first TCP port, every 10 s (none if no port is TCP)"),
        "`ProbeArgs` (`port`, `http_path` or `command`, timings); `None` or "
        '`{"enabled": False}` disables.',
    ),
    Argument(
        "liveness_probe",
        Described("TCP on the first TCP port, after 30 s, 6 failures (none if no port is TCP)"),
        '`ProbeArgs`; `None` or `{"enabled": False}` disables.',
    ),
    Argument("startup_probe", NONE, "`ProbeArgs`."),
    Argument(
        "image_pull_policy",
        ImagePullPolicy.ALWAYS,
        "`Always`, `IfNotPresent`, `Never`.",
        ImagePullPolicy,
    ),
    Argument("image_pull_secrets", NONE, "Names of registry Secrets (DNS subdomains)."),
    Argument("run_as_user", DEFAULT_UID, "`None` keeps the image's user."),
    Argument("run_as_group", DEFAULT_UID, "`None` keeps the image's group."),
    Argument("fs_group", DEFAULT_UID, "`None` leaves volume ownership alone."),
    Argument("run_as_non_root", True, "Kubelet refuses to start a root container."),
    Argument(
        "read_only_root_filesystem",
        True,
        "Writable places: the storage volume and `writable_paths`.",
    ),
    Argument("writable_paths", ("/tmp",), "Each gets an emptyDir volume."),
    Argument(
        "automount_service_account_token", False, "Mount a Kubernetes API token into the Pods."
    ),
    Argument(
        "service_account_name", Described("namespace's `default`"), "ServiceAccount of the Pods."
    ),
    Argument(
        "service_account",
        NONE,
        "`ServiceAccountArgs` (`create`, `name` (= StatefulSet name), `annotations`): a "
        "ServiceAccount for the Pods, e.g. for cloud identity. No API token is mounted unless "
        "`automount_service_account_token`. Not with `service_account_name`.",
    ),
    Argument(
        "storage",
        Described(
            "`1Gi` at `/data`, claim `data`, `ReadWriteOnce`, retained on delete and scale-down"
        ),
        "`StorageArgs` (`size`, `storage_class_name`, `mount_path`, `claim_name`, "
        '`access_modes`, `when_deleted`, `when_scaled`); `None` or `{"enabled": False}` = '
        "no volumes.",
    ),
    Argument(
        "storage_claims",
        NONE,
        "List of `StorageArgs`: several claims per Pod (e.g. data and WAL), each with its own "
        "`claim_name` and `mount_path`; `when_deleted`/`when_scaled` equal on all (StatefulSet-"
        "wide); `on_change` `expand` with one claim only. Not with `storage`.",
    ),
    Argument(
        "pod_management_policy",
        PodManagementPolicy.ORDERED_READY,
        "`Parallel` for systems whose members must start together.",
        PodManagementPolicy,
    ),
    Argument("update_strategy", UpdateStrategy.ROLLING_UPDATE, "or `OnDelete`.", UpdateStrategy),
    Argument("rolling_update_partition", NONE, "Update only ordinals ≥ partition (canary)."),
    Argument(
        "rolling_update_max_unavailable",
        Described("Kubernetes' 1"),
        'Pods updated at once: an integer or `"25%"`. Needs the `MaxUnavailableStatefulSet` '
        "feature gate (alpha 1.24-1.34, beta from 1.35); ignored without it.",
    ),
    Argument(
        "min_ready_seconds", 0, "Seconds a new Pod must be Ready before it counts as available."
    ),
    Argument("publish_not_ready_addresses", True, "On the headless Service only."),
    Argument(
        "session_affinity",
        SessionAffinity.NONE,
        "Client Service: `None` or `ClientIP`.",
        SessionAffinity,
    ),
    Argument(
        "session_affinity_timeout_seconds", Described("Kubernetes' 10800"), "Only with `ClientIP`."
    ),
    Argument(
        "internal_traffic_policy",
        InternalTrafficPolicy.CLUSTER,
        "Client Service: `Cluster` or `Local`.",
        InternalTrafficPolicy,
    ),
    Argument(
        "traffic_distribution",
        NONE,
        "Client Service: `PreferClose`, `PreferSameZone` or `PreferSameNode`.",
        TrafficDistribution,
    ),
    Argument(
        "client_service",
        Described('`{"type": "ClusterIP"}`'),
        "`ClientServiceArgs`: `type` (`ClusterIP`, `NodePort`, `LoadBalancer`), `annotations` "
        "(this Service only), `load_balancer_source_ranges` (CIDRs), `node_ports` "
        "(`{<port name>: 30000-32767}`). Nothing is exposed outside the cluster unless asked.",
    ),
    Argument(
        "headless_service_annotations",
        NONE,
        "Annotations of the headless Service only. Values may be Outputs.",
    ),
    Argument(
        "per_pod_services",
        NONE,
        "`PerPodServicesArgs` (`type`, `annotations`, `load_balancer_source_ranges`): one "
        "Service per Pod, named like it, selecting it by `statefulset.kubernetes.io/pod-name`. "
        "Needs a plain integer `replicas`.",
    ),
    Argument(
        "metrics",
        NONE,
        "`MetricsArgs` (`port`, `path`, `service_monitor` (`interval`, `labels`), `scrapers`): "
        "a container port named `metrics`, on the headless Service only, and a Prometheus "
        'Operator ServiceMonitor selecting exactly this pair. See "Metrics".',
    ),
    Argument("pod_disruption_budget", True, "Create a PodDisruptionBudget."),
    Argument("pdb_max_unavailable", 1, "Its `maxUnavailable`."),
    Argument(
        "pdb_min_available",
        NONE,
        'Its `minAvailable` instead: an integer, `"51%"` or `"quorum"` (a majority of '
        "`replicas`, also when an Output). Not with `pdb_max_unavailable`.",
    ),
    Argument(
        "pdb_unhealthy_pod_eviction_policy",
        UnhealthyPodEvictionPolicy.ALWAYS_ALLOW,
        "`IfHealthyBudget` or `AlwaysAllow`: a Running but not Ready Pod can always be evicted, "
        "so a crash-looping Pod never blocks a node drain (it counts as down already).",
        UnhealthyPodEvictionPolicy,
    ),
    Argument(
        "spread",
        Described('`{"node": "soft", "zone": "soft"}`'),
        '`SpreadArgs`: `"soft"`, `"hard"` or `"off"` per `node` / `zone`. '
        "topologySpreadConstraints (maxSkew 1) over this pair's Pods; `soft` never blocks "
        'scheduling, `hard` leaves Pods Pending. See "Availability".',
    ),
    Argument(
        "termination_grace_period_seconds",
        60,
        "SIGTERM to SIGKILL, `pre_stop` included: time for a database to flush.",
    ),
    Argument("pre_stop", NONE, "Command run in the main container before SIGTERM."),
    Argument(
        "priority_class_name",
        Described("cluster's default class"),
        "PriorityClass of the Pods (it must exist).",
    ),
    Argument(
        "skip_await",
        False,
        "Don't wait for Ready Pods or client endpoints during `pulumi up` "
        "(`pulumi.com/skipAwait`).",
    ),
    Argument(
        "await_timeout_seconds",
        Described("provider's 10 min"),
        "How long `pulumi up` waits for Ready Pods and client endpoints "
        "(`pulumi.com/timeoutSeconds`).",
    ),
    Argument(
        "network_policy",
        NONE,
        '`{"allowed_clients": [{"pod_labels": {...}, "namespace_labels": {...}}], '
        '"restrict_egress": False}` → a NetworkPolicy; see "Security and data safety".',
    ),
    Argument("protect", False, "Protect the StatefulSet, so a replacing change stops at preview."),
    Argument(
        "diagnostic_mode",
        False,
        "Pods run `diagnostic_command` instead of the workload, without probes; `pulumi up` "
        "does not wait. Everything else stays as given.",
    ),
    Argument(
        "diagnostic_command",
        ("sleep", "infinity"),
        "The idle command of `diagnostic_mode` (distroless images need another).",
    ),
    Argument(
        "extra_pod_spec",
        NONE,
        "More `PodSpecArgs` fields with `pulumi_kubernetes` values (`tolerations`, `affinity`, "
        "`node_selector`, sidecar `containers`, `volumes`, …). Lists add to the pair's own; "
        "`security_context` fields overlay the hardened context one by one; `hostname`, "
        "`subdomain`, `host_network`, `host_pid`, `host_ipc` are refused.",
    ),
    Argument(
        "extra_container_spec",
        NONE,
        "More `ContainerArgs` fields of the main container (`volume_mounts`, `lifecycle`, "
        "`working_dir`, …). Lists add to the pair's own; `security_context` fields overlay the "
        "hardened context one by one; `name`, `image` are refused.",
    ),
)

_NESTED = (
    Argument("ports.protocol", Protocol.TCP, choices=Protocol),
    Argument("storage.enabled", True),
    Argument("storage.size", "1Gi"),
    Argument("storage.mount_path", "/data"),
    Argument("storage.claim_name", "data"),
    Argument("storage.access_modes", (AccessMode.READ_WRITE_ONCE,), choices=AccessMode),
    Argument("storage.when_deleted", RetentionPolicy.RETAIN, choices=RetentionPolicy),
    Argument("storage.when_scaled", RetentionPolicy.RETAIN, choices=RetentionPolicy),
    Argument("storage.on_change", StorageChange.REFUSE, choices=StorageChange),
    Argument("probe.enabled", True),
    Argument("probe.period_seconds", 10),
    Argument("probe.timeout_seconds", 1),
    Argument("probe.success_threshold", 1),
    Argument("network_policy.restrict_egress", False),
    Argument("service_account.create", True),
    Argument("client_service.type", ServiceType.CLUSTER_IP, choices=ServiceType),
    Argument("per_pod_services.enabled", True),
    Argument("per_pod_services.type", ServiceType.CLUSTER_IP, choices=ServiceType),
    Argument("metrics.path", "/metrics"),
    Argument("metrics.service_monitor.interval", "30s"),
    Argument("spread.node", SpreadMode.SOFT, choices=SpreadMode),
    Argument("spread.zone", SpreadMode.SOFT, choices=SpreadMode),
)

ARGUMENTS: Mapping[str, Argument] = {arg.name: arg for arg in (*_TOP_LEVEL, *_NESTED)}
"""Every argument by dotted path, top-level ones first in the README's order."""


def default(name: str) -> object:
    """The literal default validation fills in for ``name``."""
    arg = ARGUMENTS[name]
    if not arg.literal:
        raise KeyError(f"{name} has no literal default ({arg.shown_default})")
    return arg.default


def choices(name: str) -> tuple[str, ...]:
    """The values allowed for ``name``, in order."""
    return ARGUMENTS[name].values


def type_text(annotation: object) -> str:
    """A TypedDict field's annotation as the README shows it, e.g. ``int (Output ok)``."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.NotRequired:
        return type_text(args[0])
    if origin in (typing.Union, types.UnionType):
        awaitables = [arg for arg in args if typing.get_origin(arg) is Awaitable]
        if awaitables:  # pulumi.Input[T] is T | Awaitable[T] | "Output[T]"
            return f"{type_text(typing.get_args(awaitables[0])[0])} (Output ok)"
        others = [type_text(arg) for arg in args if arg is not type(None)]
        return " or ".join(others) + (" or None" if type(None) in args else "")
    if isinstance(origin, type) and issubclass(origin, (Sequence, Mapping)):
        kind = "list" if issubclass(origin, Sequence) else "map"
        return f"{kind}[{', '.join(type_text(arg) for arg in args)}]"
    return "any" if annotation is typing.Any else getattr(annotation, "__name__", str(annotation))


def readme_arguments_table() -> str:
    """The README's arguments table: one row per top-level argument, in the table's order.

    The type column comes from :class:`StatefulServicePairArgs`' annotations, so the type too
    has a single source.
    """
    # The raw annotations: pulumi.Input holds a forward reference get_type_hints cannot resolve.
    hints = StatefulServicePairArgs.__annotations__
    rows = ["| Argument | Type | Default | What it does |", "| --- | --- | --- | --- |"]
    for arg in _TOP_LEVEL:
        shown = arg.shown_default if not arg.literal else f"`{arg.shown_default}`"
        kind = type_text(hints[arg.name])
        if arg.choices:
            kind = f"`{arg.choices.__name__}`"
        rows.append(f"| `{arg.name}` | {kind} | {shown} | {arg.sentence} |")
    return "\n".join(rows) + "\n"


README_TABLE_START = "| Argument | Type | Default | What it does |\n"


def rewrite_readme(path: Path) -> None:
    """Replace the arguments table in the README at ``path`` with the rendered one."""
    text = path.read_text(encoding="utf-8")
    section = text.index("## Arguments\n")
    start = text.index("| Argument |", section)
    end = text.index("\n\n", start) + 1
    path.write_text(text[:start] + readme_arguments_table() + text[end:], encoding="utf-8")

"""Check StatefulServicePair arguments and fill in their defaults.

Everything here is pure: :func:`validate` turns the user's arguments into a
:class:`PairSpec` (every default filled in, every value checked) or raises
:class:`PairArgumentError` before a single resource is registered. Values that
may be Pulumi Outputs are checked by the same functions once they resolve.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import pulumi
import pulumi_kubernetes as k8s

from . import _arguments as arguments
from . import _availability as availability
from . import _exposure as exposure
from . import _metrics as metrics
from . import _naming as naming
from . import _service_account as service_account
from ._args import (
    EnvFromArgs,
    NetworkClientArgs,
    NetworkPolicyArgs,
    PortArgs,
    ProbeArgs,
    ResourcesArgs,
    SecretKeyRefArgs,
    StatefulServicePairArgs,
    StorageArgs,
)
from ._pod_template import pod_template_problem
from ._quantity import QUANTITY_PATTERN, quantity_value
from ._spec import NetworkPolicySpec, PairSpec, PortSpec, ProbeSpec, StorageSpec

_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")

# PodSpec and Container fields that would break what the pair guarantees.
_FORBIDDEN_POD_FIELDS = {
    "hostname": "the StatefulSet controller sets each Pod's hostname to '<statefulset>-<ordinal>'",
    "subdomain": "the StatefulSet controller sets it to the headless Service's name",
    "host_network": "sharing the node's network breaks per-Pod DNS and Pod isolation",
    "host_pid": "sharing the node's process namespace breaks Pod isolation",
    "host_ipc": "sharing the node's IPC namespace breaks Pod isolation",
}
_FORBIDDEN_CONTAINER_FIELDS = {
    "name": "the pair names its main container after the StatefulSet",
    "image": "use the 'image' argument",
}

# List fields of extra_pod_spec / extra_container_spec that add to the pair's own
# entries instead of replacing them.
APPENDED_POD_FIELDS = ("containers", "volumes", "topology_spread_constraints")
APPENDED_CONTAINER_FIELDS = ("volume_mounts", "env", "env_from", "ports")

# Optional top-level arguments whose `None` is a value of its own (documented: it switches
# something off or keeps the image's setting). For every other argument, and every field of
# a nested mapping, `None` means "not given", which is what `Config.get_int` and friends
# return for an unset key.
NONE_IS_A_VALUE = frozenset(
    {
        "storage",
        "readiness_probe",
        "liveness_probe",
        "startup_probe",
        "network_policy",
        "run_as_user",
        "run_as_group",
        "fs_group",
    }
)

T = TypeVar("T")
D = TypeVar("D")


class PairArgumentError(Exception):
    """A StatefulServicePair argument breaks a rule.

    The message names the component, the argument (with its path, such as
    ``ports[1].name``), the value and the rule it breaks; a value that is a Pulumi secret is
    shown as ``[secret]``.

    Not a ``ValueError``: the Pulumi SDK re-raises every ``ValueError`` that surfaces while it
    serializes a resource's inputs or a component's outputs as a new ``ValueError("While
    processing input: …")``, so a rule broken by an Output's resolved value would reach the
    user buried in that chain instead of as this error.
    """

    def __init__(self, component: str, argument: str, value: object, rule: str) -> None:
        self.component = component
        self.argument = argument
        self.value = value
        self.rule = rule
        super().__init__(f"StatefulServicePair {component!r}: {argument}={value!r} {rule}")


class _Checker:
    """Checks values for one component, raising errors that name it."""

    def __init__(self, component: str) -> None:
        self.component = component

    def fail(self, argument: str, value: object, rule: str) -> PairArgumentError:
        return PairArgumentError(self.component, argument, value, rule)

    def keys(
        self, where: str, value: object, schema: type, keep_none: frozenset[str] = frozenset()
    ) -> Mapping[str, Any]:
        """A mapping with only the keys ``schema`` (a TypedDict) declares, and all it requires.

        A key whose value is ``None`` counts as not given (dropped), unless it is in
        ``keep_none``.
        """
        if not isinstance(value, Mapping):
            raise self.fail(where, value, f"must be a mapping with the keys of {schema.__name__}")
        value = {key: item for key, item in value.items() if item is not None or key in keep_none}
        allowed: frozenset[str] = frozenset(schema.__annotations__)
        for key in value:
            if key not in allowed:
                hint = _did_you_mean(str(key), allowed)
                raise self.fail(
                    f"{where}.{key}" if where != "args" else str(key),
                    value[key],
                    f"is not an argument of {schema.__name__}{hint} "
                    f"(allowed: {', '.join(sorted(allowed))})",
                )
        required: frozenset[str] = getattr(schema, "__required_keys__", frozenset())
        for key in sorted(required - set(value)):
            raise self.fail(
                f"{where}.{key}" if where != "args" else key,
                None,
                f"is required by {schema.__name__}",
            )
        return value

    def integer(self, where: str, value: object, minimum: int, maximum: int | None = None) -> int:
        # Numbers that cross the Pulumi engine (stack references, other resources' outputs,
        # other languages) arrive as floats: 3.0 is the integer 3, 3.5 is not an integer.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        # bool is an int subclass; True replicas is always a mistake.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, value, "must be an integer (not a bool, float or string)")
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            raise self.fail(where, value, f"must be {bounds}")
        return value

    def boolean(self, where: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, value, "must be True or False")
        return value

    def text(
        self, where: str, value: object, rule: Callable[[str], str | None] | None = None
    ) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(where, value, "must be a non-empty string")
        problem = rule(value) if rule else None
        if problem:
            raise self.fail(where, value, problem)
        return value

    def choice(self, where: str, value: object, choices: Sequence[str]) -> str:
        if value not in choices:
            raise self.fail(where, value, f"must be one of {', '.join(map(repr, choices))}")
        return str(value)

    def texts(self, where: str, value: object) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise self.fail(where, value, "must be a list of strings")
        return tuple(self.text(f"{where}[{index}]", item) for index, item in enumerate(value))

    def string_map(
        self,
        where: str,
        value: object,
        key_rule: Callable[[str], str | None],
        value_rule: Callable[[str], str | None] | None = None,
        *,
        outputs: bool = False,
    ) -> dict[str, Any]:
        """A mapping of strings; with ``outputs``, a value may be an Output (checked later)."""
        if not isinstance(value, Mapping):
            raise self.fail(where, value, "must be a mapping of strings to strings")
        checked: dict[str, Any] = {}
        for key, item in value.items():
            self.text(f"{where} key", key, key_rule)
            if outputs and isinstance(item, pulumi.Output):
                checked[key] = item
                continue
            if not isinstance(item, str):
                raise self.fail(f"{where}[{key!r}]", item, "must be a string")
            problem = value_rule(item) if value_rule else None
            if problem:
                raise self.fail(f"{where}[{key!r}]", item, problem)
            checked[key] = item
        return checked

    def optional(
        self, args: Mapping[str, Any], key: str, default: D, check: Callable[[str, Any], T]
    ) -> T | D:
        """``check`` the value at ``key``, or return ``default`` when the key is absent."""
        return check(key, args[key]) if key in args else default


def validate(component_name: str, args: StatefulServicePairArgs | Mapping[str, Any]) -> PairSpec:
    """Check every plain argument and return the spec with defaults filled in.

    One function per concern; each reads its defaults and choices from :mod:`._arguments`.

    Raises:
        PairArgumentError: naming the argument, the value and the rule it breaks.
    """
    check = _Checker(component_name)
    raw = check.keys("args", args, StatefulServicePairArgs, keep_none=NONE_IS_A_VALUE)
    names = _names(check, raw)
    ports = _ports(check, raw.get("ports"))
    metadata = _metadata(check, raw, names["stateful_set_name"])
    storage, storage_claims = _storages(check, raw)
    pair = PairSpec(
        component_name=component_name,
        ports=ports,
        storage=storage,
        storage_claims=storage_claims,
        **names,
        **metadata,
        **_output_arguments(check, raw),
        **_client_service(check, raw),
        **_container(check, raw, ports),
        **_security(check, raw),
        **_stateful_set(check, raw),
        **_protection(check, raw),
        **_extras(check, raw),
        **availability.arguments(check, raw),
        **exposure.arguments(check, raw, ports),
        **metrics.arguments(check, raw, ports),
    )
    _check_combinations(check, pair)
    exposure.check_combinations(check, pair)
    metrics.check_combinations(check, pair)
    pair = service_account.with_service_account(check, raw, pair)
    availability.check_combinations(check, raw, pair)
    return availability.with_diagnostic_mode(pair)


def _opt(check: _Checker, raw: Mapping[str, Any], key: str, rule: Callable[[str, Any], T]) -> Any:
    """``rule`` applied to the value at ``key``, or the table's default when it is absent."""
    return check.optional(raw, key, arguments.default(key), rule)


def _choice(check: _Checker, raw: Mapping[str, Any], key: str) -> str:
    """One of the table's choices for ``key``, or its default."""
    value = _opt(check, raw, key, lambda w, v: check.choice(w, v, arguments.choices(key)))
    return str(value)


def _names(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The StatefulSet's and both Services' names (defaults derive from the component name)."""
    component_name = check.component
    stateful_set_name = check.optional(raw, "stateful_set_name", "", check.text)
    if not stateful_set_name:
        if naming.stateful_set_name_problem(component_name):
            raise check.fail(
                "name",
                component_name,
                "is also the default StatefulSet name, which "
                f"{naming.stateful_set_name_problem(component_name)}; rename the component "
                "or pass stateful_set_name",
            )
        stateful_set_name = component_name
    elif problem := naming.stateful_set_name_problem(stateful_set_name):
        raise check.fail("stateful_set_name", stateful_set_name, problem)

    headless_service_name = _service_name(
        check, raw, "headless_service_name", f"{component_name}-headless"
    )
    client_service_name = _service_name(check, raw, "client_service_name", component_name)
    if headless_service_name == client_service_name:
        raise check.fail(
            "headless_service_name",
            headless_service_name,
            "must differ from client_service_name: both Services live in one namespace",
        )
    return {
        "stateful_set_name": stateful_set_name,
        "headless_service_name": headless_service_name,
        "client_service_name": client_service_name,
    }


def _metadata(check: _Checker, raw: Mapping[str, Any], stateful_set_name: str) -> dict[str, Any]:
    """Labels (the pair's own are reserved) and annotations."""
    labels: dict[str, str] = check.optional(
        raw,
        "labels",
        {},
        lambda w, v: check.string_map(w, v, naming.label_key_problem, naming.label_value_problem),
    )
    for reserved in naming.owned_labels(stateful_set_name):
        if reserved in labels:
            raise check.fail(
                f"labels[{reserved!r}]",
                labels[reserved],
                "is reserved: the pair sets it to identify and select its own Pods; "
                "use another key",
            )
    return {
        "labels": labels,
        # Output values are allowed: a checksum of a ConfigMap's data rolls the Pods when it
        # changes. Each is checked to be a string once it resolves.
        "annotations": check.optional(
            raw,
            "annotations",
            {},
            lambda w, v: check.string_map(w, v, naming.label_key_problem, outputs=True),
        ),
        "pod_annotations": check.optional(
            raw,
            "pod_annotations",
            {},
            lambda w, v: check.string_map(w, v, naming.label_key_problem, outputs=True),
        ),
    }


def _output_arguments(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """``replicas``, ``namespace`` and ``image``: checked now, or when an Output resolves."""
    component_name = check.component
    replicas = raw.get("replicas", arguments.default("replicas"))
    if not isinstance(replicas, pulumi.Output):
        replicas = check_replicas(component_name, replicas)
    namespace = raw.get("namespace")
    if namespace is not None and not isinstance(namespace, pulumi.Output):
        namespace = check_namespace(component_name, namespace)
    image = raw.get("image")
    if not isinstance(image, pulumi.Output):
        image = check_image(component_name, image)
    return {"replicas": replicas, "namespace": namespace, "image": image}


def _client_service(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """How DNS and the client Service behave."""
    session_affinity = _choice(check, raw, "session_affinity")
    session_affinity_timeout = check.optional(
        raw, "session_affinity_timeout_seconds", None, lambda w, v: check.integer(w, v, 1, 86400)
    )
    if session_affinity_timeout is not None and session_affinity != "ClientIP":
        raise check.fail(
            "session_affinity_timeout_seconds",
            session_affinity_timeout,
            "only applies with session_affinity='ClientIP'",
        )
    traffic_distribution = check.optional(
        raw,
        "traffic_distribution",
        None,
        lambda w, v: check.choice(w, v, arguments.choices("traffic_distribution")),
    )
    return {
        "cluster_domain": _opt(
            check,
            raw,
            "cluster_domain",
            lambda w, v: check.text(w, v, naming.cluster_domain_problem),
        ),
        "publish_not_ready_addresses": _opt(
            check, raw, "publish_not_ready_addresses", check.boolean
        ),
        "session_affinity": session_affinity,
        "session_affinity_timeout_seconds": session_affinity_timeout,
        "internal_traffic_policy": _choice(check, raw, "internal_traffic_policy"),
        "traffic_distribution": traffic_distribution,
    }


def _container(
    check: _Checker, raw: Mapping[str, Any], ports: tuple[PortSpec, ...]
) -> dict[str, Any]:
    """The main container: command, environment, resources, probes, image pulling."""
    resources: Mapping[str, Any] = check.optional(
        raw, "resources", {}, lambda w, v: check.keys(w, v, ResourcesArgs)
    )
    return {
        "command": check.optional(raw, "command", None, check.texts),
        "args": check.optional(raw, "args", None, check.texts),
        "env": check.optional(raw, "env", {}, lambda w, v: _env(check, w, v)),
        "secret_env": check.optional(raw, "secret_env", {}, lambda w, v: _secret_env(check, w, v)),
        "env_from": check.optional(raw, "env_from", (), lambda w, v: _env_from(check, w, v)),
        **_resources(check, resources),
        "readiness_probe": _probe(
            check, raw, "readiness_probe", ports, default={}, initial_delay=0, failures=3
        ),
        "liveness_probe": _probe(
            check, raw, "liveness_probe", ports, default={}, initial_delay=30, failures=6
        ),
        "startup_probe": _probe(
            check, raw, "startup_probe", ports, default=None, initial_delay=0, failures=3
        ),
        "image_pull_policy": _choice(check, raw, "image_pull_policy"),
        "image_pull_secrets": tuple(
            check.text(f"image_pull_secrets[{index}]", secret, naming.dns1123_subdomain_problem)
            for index, secret in enumerate(
                check.optional(raw, "image_pull_secrets", (), check.texts)
            )
        ),
    }


def _resources(check: _Checker, resources: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Requests and limits, each merged over its defaults resource by resource.

    ``{"requests": {"cpu": "1"}}`` keeps the default memory request; ``{}`` (given, empty)
    removes them all. A request above its limit is refused: the API server would refuse every
    Pod of the template (the StatefulSet itself is not checked), long after the Services exist.
    """
    merged: dict[str, dict[str, str]] = {}
    for key, defaults in (
        ("requests", arguments.DEFAULT_REQUESTS),
        ("limits", arguments.DEFAULT_LIMITS),
    ):
        given = _quantities(check, f"resources.{key}", resources.get(key, defaults))
        merged[key] = {**defaults, **given} if given else {}
    for resource, request in merged["requests"].items():
        limit = merged["limits"].get(resource)
        if limit is not None and quantity_value(request) > quantity_value(limit):
            given_limits = resources.get("limits", {})
            default = "" if resource in given_limits else " (the default limit)"
            raise check.fail(
                f"resources.requests[{resource!r}]",
                request,
                f"is above resources.limits[{resource!r}]={limit!r}{default}; "
                "a request may not exceed its limit: raise the limit or lower the request",
            )
    return merged


def _security(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Who the processes run as, what they may write, which API credentials they get."""
    return {
        "run_as_user": _opt(check, raw, "run_as_user", lambda w, v: _optional_id(check, w, v)),
        "run_as_group": _opt(check, raw, "run_as_group", lambda w, v: _optional_id(check, w, v)),
        "fs_group": _opt(check, raw, "fs_group", lambda w, v: _optional_id(check, w, v)),
        "run_as_non_root": _opt(check, raw, "run_as_non_root", check.boolean),
        "read_only_root_filesystem": _opt(check, raw, "read_only_root_filesystem", check.boolean),
        "writable_paths": _opt(check, raw, "writable_paths", lambda w, v: _paths(check, w, v)),
        "automount_service_account_token": _opt(
            check, raw, "automount_service_account_token", check.boolean
        ),
        "service_account_name": check.optional(
            raw,
            "service_account_name",
            None,
            lambda w, v: check.text(w, v, naming.dns1123_subdomain_problem),
        ),
    }


def _stateful_set(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """How the StatefulSet numbers, starts and updates its Pods."""
    return {
        "ordinals_start": _opt(
            check,
            raw,
            "ordinals_start",
            lambda w, v: check.integer(w, v, 0, MAX_ORDINAL - MAX_REPLICAS),
        ),
        "pod_management_policy": _choice(check, raw, "pod_management_policy"),
        "update_strategy": _choice(check, raw, "update_strategy"),
        "rolling_update_partition": check.optional(
            raw, "rolling_update_partition", None, lambda w, v: check.integer(w, v, 0)
        ),
        "min_ready_seconds": _opt(
            check, raw, "min_ready_seconds", lambda w, v: check.integer(w, v, 0)
        ),
    }


def _protection(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Disruption budget, network policy, awaiting and ``protect``."""
    return {
        "pod_disruption_budget": _opt(check, raw, "pod_disruption_budget", check.boolean),
        "pdb_max_unavailable": _opt(
            check, raw, "pdb_max_unavailable", lambda w, v: check.integer(w, v, 1)
        ),
        "skip_await": _opt(check, raw, "skip_await", check.boolean),
        "await_timeout_seconds": check.optional(
            raw, "await_timeout_seconds", None, lambda w, v: check.integer(w, v, 1)
        ),
        "network_policy": check.optional(
            raw, "network_policy", None, lambda w, v: _network_policy(check, v)
        ),
        "protect": _opt(check, raw, "protect", check.boolean),
    }


def _extras(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """``extra_pod_spec`` and ``extra_container_spec``, minus what would break the pair."""
    return {
        "extra_pod_spec": check.optional(
            raw,
            "extra_pod_spec",
            {},
            lambda w, v: _extra_fields(
                check,
                w,
                v,
                k8s.core.v1.PodSpecArgs,
                forbidden=_FORBIDDEN_POD_FIELDS,
                appended=APPENDED_POD_FIELDS,
            ),
        ),
        "extra_container_spec": check.optional(
            raw,
            "extra_container_spec",
            {},
            lambda w, v: _extra_fields(
                check,
                w,
                v,
                k8s.core.v1.ContainerArgs,
                forbidden=_FORBIDDEN_CONTAINER_FIELDS,
                appended=APPENDED_CONTAINER_FIELDS,
            ),
        ),
    }


# A pair computes a DNS name per Pod; a larger StatefulSet is almost surely a typo.
MAX_REPLICAS = 10_000
# spec.ordinals.start is an int32 in the API.
MAX_ORDINAL = 2**31 - 1


def _check_combinations(check: _Checker, pair: PairSpec) -> None:
    """Rules between arguments, once each argument is valid on its own."""
    for where, claim in pair.claims:
        if claim.mount_path in pair.writable_paths:
            raise check.fail(
                "writable_paths",
                list(pair.writable_paths),
                f"must not contain {where}.mount_path {claim.mount_path!r}: "
                "the persistent volume is mounted there already",
            )
    # The API server refuses such a template only when the StatefulSet is sent, after the
    # Services were created; refusing it here leaves nothing half-created.
    if problem := pod_template_problem(pair):
        raise check.fail(*problem)
    if pair.update_strategy == "OnDelete" and pair.rolling_update_partition is not None:
        raise check.fail(
            "rolling_update_partition",
            pair.rolling_update_partition,
            "only applies with update_strategy='RollingUpdate'",
        )


def check_replicas(component: str, value: object) -> int:
    """Replicas: an int from 0 to MAX_REPLICAS. Also applied to an Output once it resolves."""
    return _Checker(component).integer("replicas", value, 0, MAX_REPLICAS)


def check_annotation(component: str, where: str, value: object) -> str:
    """An annotation value that was an Output: a string once it resolves."""
    if not isinstance(value, str):
        raise _Checker(component).fail(where, value, "must be a string")
    return value


def check_pod_dns_names(spec: PairSpec, namespace: str, replicas: int) -> None:
    """Every per-Pod DNS name fits in DNS's 253 characters (the highest ordinal is longest)."""
    if replicas == 0:
        return
    last_pod = f"{spec.stateful_set_name}-{spec.ordinals_start + replicas - 1}"
    longest = f"{last_pod}.{spec.headless_service_name}.{namespace}.svc.{spec.cluster_domain}"
    if problem := naming.pod_dns_name_problem(longest):
        raise PairArgumentError(
            spec.component_name,
            "stateful_set_name, headless_service_name, namespace and cluster_domain",
            f"{spec.stateful_set_name}, {spec.headless_service_name}, {namespace}, "
            f"{spec.cluster_domain}",
            problem,
        )


def check_namespace(component: str, value: object) -> str:
    """Namespace: an RFC 1123 label. Also applied to an Output once it resolves."""
    return _Checker(component).text("namespace", value, naming.dns1123_label_problem)


def check_image(component: str, value: object) -> str:
    """Image: a valid image reference. Also applied to a resolved Output."""
    return _Checker(component).text("image", value, naming.image_reference_problem)


def _service_name(check: _Checker, raw: Mapping[str, Any], key: str, default: str) -> str:
    if key in raw:
        return check.text(key, raw[key], naming.dns1035_label_problem)
    if problem := naming.dns1035_label_problem(default):
        raise check.fail(
            "name",
            check.component,
            f"gives the default {key} {default!r}, which {problem}; rename the component "
            f"or pass {key}",
        )
    return default


def _ports(check: _Checker, value: object) -> tuple[PortSpec, ...]:
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence) or not value:
        raise check.fail("ports", value, "must be a non-empty list of PortArgs")
    ports: list[PortSpec] = []
    for index, item in enumerate(value):
        where = f"ports[{index}]"
        raw = check.keys(where, item, PortArgs)
        port = PortSpec(
            name=check.text(f"{where}.name", raw["name"], naming.port_name_problem),
            port=check.integer(f"{where}.port", raw["port"], 1, 65535),
            protocol=check.choice(
                f"{where}.protocol",
                raw.get("protocol", arguments.default("ports.protocol")),
                arguments.choices("ports.protocol"),
            ),
            target_port=check.integer(
                f"{where}.target_port", raw.get("target_port", raw["port"]), 1, 65535
            ),
        )
        for earlier in ports:
            if earlier.name == port.name:
                raise check.fail(
                    f"{where}.name", port.name, "is used by an earlier port; names must be unique"
                )
            if (earlier.port, earlier.protocol) == (port.port, port.protocol):
                raise check.fail(
                    f"{where}.port",
                    port.port,
                    f"is already published over {port.protocol} by port {earlier.name!r}; "
                    "a port number may repeat only with another protocol",
                )
            if (earlier.target_port, earlier.protocol) == (port.target_port, port.protocol):
                raise check.fail(
                    f"{where}.target_port",
                    port.target_port,
                    f"is already the container port of {earlier.name!r} over {port.protocol}",
                )
        ports.append(port)
    return tuple(ports)


def _probe(
    check: _Checker,
    raw: Mapping[str, Any],
    key: str,
    ports: tuple[PortSpec, ...],
    *,
    default: Mapping[str, Any] | None,
    initial_delay: int,
    failures: int,
) -> ProbeSpec | None:
    """A probe; by default of the first TCP port.

    A TCP connect or HTTP GET on a UDP or SCTP port never succeeds, so the default
    probes skip such ports, and there is no default probe when no port is TCP.
    """
    port_names = [port.name for port in ports]
    tcp_ports = [port.name for port in ports if port.protocol == "TCP"]
    if key not in raw and default is not None and not tcp_ports:
        return None
    value = raw.get(key, default)
    if _switched_off(check, key, value):
        return None
    probe = check.keys(key, value, ProbeArgs)
    if "http_path" in probe and "command" in probe:
        raise check.fail(key, dict(probe), "may set http_path or command, not both")
    port = probe.get("port", (tcp_ports or port_names)[0])
    if port not in port_names:
        raise check.fail(f"{key}.port", port, f"must name one of the pair's ports: {port_names}")
    protocol = ports[port_names.index(port)].protocol
    if "command" not in probe and protocol != "TCP":
        raise check.fail(
            f"{key}.port",
            port,
            f"is a {protocol} port; a TCP or HTTP probe on it never succeeds: "
            "probe a TCP port or use command",
        )
    http_path = None
    if "http_path" in probe:
        http_path = check.text(f"{key}.http_path", probe["http_path"])
        if not http_path.startswith("/"):
            raise check.fail(f"{key}.http_path", http_path, "must start with '/'")
    success_threshold = check.integer(
        f"{key}.success_threshold",
        probe.get("success_threshold", arguments.default("probe.success_threshold")),
        1,
    )
    if key in ("liveness_probe", "startup_probe") and success_threshold != 1:
        raise check.fail(f"{key}.success_threshold", success_threshold, "must be 1 for this probe")
    return ProbeSpec(
        port=port,
        http_path=http_path,
        command=check.texts(f"{key}.command", probe["command"]) if "command" in probe else None,
        initial_delay_seconds=check.integer(
            f"{key}.initial_delay_seconds", probe.get("initial_delay_seconds", initial_delay), 0
        ),
        period_seconds=check.integer(
            f"{key}.period_seconds",
            probe.get("period_seconds", arguments.default("probe.period_seconds")),
            1,
        ),
        timeout_seconds=check.integer(
            f"{key}.timeout_seconds",
            probe.get("timeout_seconds", arguments.default("probe.timeout_seconds")),
            1,
        ),
        failure_threshold=check.integer(
            f"{key}.failure_threshold", probe.get("failure_threshold", failures), 1
        ),
        success_threshold=success_threshold,
    )


def _switched_off(check: _Checker, key: str, value: object) -> bool:
    """True for ``None`` or ``{"enabled": False}`` (the spelling other languages can send)."""
    if value is None:
        return True
    table_key = "probe.enabled" if key.endswith("_probe") else f"{key}.enabled"
    default_enabled = arguments.default(table_key)
    enabled = value.get("enabled", default_enabled) if isinstance(value, Mapping) else True
    return not check.boolean(f"{key}.enabled", enabled)


def _storages(
    check: _Checker, raw: Mapping[str, Any]
) -> tuple[StorageSpec | None, tuple[StorageSpec, ...]]:
    """``storage`` (one claim) or ``storage_claims`` (several): the first claim and, for the
    list form, every claim."""
    if "storage_claims" not in raw:
        storage_arg = raw.get("storage", {})
        if _switched_off(check, "storage", storage_arg):
            return None, ()
        return _storage(check, storage_arg), ()
    value = raw["storage_claims"]
    if "storage" in raw:
        raise check.fail(
            "storage",
            raw["storage"],
            "cannot be given together with storage_claims: give one claim as storage, or "
            "every claim (the first one too) in storage_claims",
        )
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence) or not value:
        raise check.fail(
            "storage_claims",
            value,
            "must be a non-empty list of StorageArgs (for no persistent storage, leave it out "
            "and give storage=None)",
        )
    claims = tuple(_storage(check, item, f"storage_claims[{i}]") for i, item in enumerate(value))
    _check_claims(check, claims)
    return claims[0], claims


def _check_claims(check: _Checker, claims: tuple[StorageSpec, ...]) -> None:
    """Distinct claim names and mount paths; one retention policy; expand with one claim."""
    first = claims[0]
    for i, claim in enumerate(claims):
        where = f"storage_claims[{i}]"
        for j, earlier in enumerate(claims[:i]):
            if claim.claim_name == earlier.claim_name:
                raise check.fail(
                    f"{where}.claim_name",
                    claim.claim_name,
                    f"is also the claim_name of storage_claims[{j}]; each claim template needs "
                    "its own name (it names the Pod's volume and every claim made from it)",
                )
        for field_name in ("when_deleted", "when_scaled"):
            if getattr(claim, field_name) != getattr(first, field_name):
                raise check.fail(
                    f"{where}.{field_name}",
                    getattr(claim, field_name),
                    f"differs from storage_claims[0].{field_name} "
                    f"({getattr(first, field_name)!r}): the retention policy is StatefulSet-wide "
                    "(one persistentVolumeClaimRetentionPolicy for every claim template); give "
                    "every claim the same",
                )
        if len(claims) > 1 and claim.on_change == "expand":
            raise check.fail(
                f"{where}.on_change",
                claim.on_change,
                "takes one claim only: expand mode records one claim template and patches one "
                "claim per Pod. With several claims use on_change='refuse' and grow them by the "
                "manual procedure (README 'Changing storage safely')",
            )


def _storage(check: _Checker, value: object, where: str = "storage") -> StorageSpec:
    raw = check.keys(where, value, StorageArgs)
    if where != "storage" and "enabled" in raw:
        raise check.fail(
            f"{where}.enabled",
            raw["enabled"],
            "is only for storage; leave the claim out of storage_claims instead",
        )
    mount_path = check.text(
        f"{where}.mount_path", raw.get("mount_path", arguments.default("storage.mount_path"))
    )
    if not mount_path.startswith("/"):
        raise check.fail(f"{where}.mount_path", mount_path, "must be an absolute path")
    return StorageSpec(
        size=_quantity(check, f"{where}.size", raw.get("size", arguments.default("storage.size"))),
        storage_class_name=(
            check.text(f"{where}.storage_class_name", raw["storage_class_name"])
            if "storage_class_name" in raw
            else None
        ),
        mount_path=mount_path,
        claim_name=check.text(
            f"{where}.claim_name",
            raw.get("claim_name", arguments.default("storage.claim_name")),
            naming.dns1123_label_problem,
        ),
        access_modes=tuple(
            check.choice(
                f"{where}.access_modes[{index}]",
                mode,
                arguments.choices("storage.access_modes"),
            )
            for index, mode in enumerate(
                check.texts(
                    f"{where}.access_modes",
                    raw.get("access_modes", arguments.default("storage.access_modes")),
                )
            )
        ),
        when_deleted=check.choice(
            f"{where}.when_deleted",
            raw.get("when_deleted", arguments.default("storage.when_deleted")),
            arguments.choices("storage.when_deleted"),
        ),
        when_scaled=check.choice(
            f"{where}.when_scaled",
            raw.get("when_scaled", arguments.default("storage.when_scaled")),
            arguments.choices("storage.when_scaled"),
        ),
        on_change=check.choice(
            f"{where}.on_change",
            raw.get("on_change", arguments.default("storage.on_change")),
            arguments.choices("storage.on_change"),
        ),
    )


def _network_policy(check: _Checker, value: object) -> NetworkPolicySpec | None:
    if value is None:
        return None
    raw = check.keys("network_policy", value, NetworkPolicyArgs)
    clients = raw.get("allowed_clients", ())
    if isinstance(clients, (str, Mapping)) or not isinstance(clients, Sequence):
        raise check.fail(
            "network_policy.allowed_clients", clients, "must be a list of NetworkClientArgs"
        )
    allowed: list[tuple[dict[str, str] | None, dict[str, str] | None]] = []
    for index, item in enumerate(clients):
        where = f"network_policy.allowed_clients[{index}]"
        client = check.keys(where, item, NetworkClientArgs)
        if not client:
            raise check.fail(where, dict(client), "must set pod_labels, namespace_labels or both")
        selectors = tuple(
            check.string_map(
                f"{where}.{key}", client[key], naming.label_key_problem, naming.label_value_problem
            )
            if key in client
            else None
            for key in ("pod_labels", "namespace_labels")
        )
        allowed.append((selectors[0], selectors[1]))
    return NetworkPolicySpec(
        allowed_clients=tuple(allowed),
        restrict_egress=check.boolean(
            "network_policy.restrict_egress",
            raw.get("restrict_egress", arguments.default("network_policy.restrict_egress")),
        ),
    )


def _quantity(check: _Checker, where: str, value: object) -> str:
    text = check.text(where, value)
    if not QUANTITY_PATTERN.match(text):
        raise check.fail(where, text, "must be a Kubernetes quantity such as '500m', '1Gi' or '2'")
    return text


def _quantities(check: _Checker, where: str, value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise check.fail(where, value, "must be a mapping of resource names to quantities")
    return {
        str(name): _quantity(check, f"{where}[{name!r}]", amount) for name, amount in value.items()
    }


def _env_name(check: _Checker, where: str, name: object) -> str:
    text = check.text(where, name)
    if not _ENV_NAME.match(text):
        raise check.fail(
            where, text, "must be letters, digits, '_', '-' or '.', not starting with a digit"
        )
    return text


def _env(check: _Checker, where: str, value: object) -> dict[str, pulumi.Input[str]]:
    if not isinstance(value, Mapping):
        raise check.fail(where, value, "must be a mapping of variable names to strings")
    env: dict[str, pulumi.Input[str]] = {}
    for name, item in value.items():
        _env_name(check, f"{where} key", name)
        if not isinstance(item, (str, pulumi.Output)):
            raise check.fail(f"{where}[{name!r}]", item, "must be a string (quote numbers)")
        env[name] = item
    return env


def _secret_env(check: _Checker, where: str, value: object) -> dict[str, SecretKeyRefArgs]:
    if not isinstance(value, Mapping):
        raise check.fail(where, value, "must be a mapping of variable names to SecretKeyRefArgs")
    refs: dict[str, SecretKeyRefArgs] = {}
    for name, item in value.items():
        _env_name(check, f"{where} key", name)
        ref = check.keys(f"{where}[{name!r}]", item, SecretKeyRefArgs)
        refs[name] = SecretKeyRefArgs(
            secret_name=check.text(
                f"{where}[{name!r}].secret_name",
                ref["secret_name"],
                naming.dns1123_subdomain_problem,
            ),
            key=check.text(f"{where}[{name!r}].key", ref["key"]),
        )
    return refs


def _env_from(check: _Checker, where: str, value: object) -> tuple[EnvFromArgs, ...]:
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise check.fail(where, value, "must be a list of EnvFromArgs")
    sources: list[EnvFromArgs] = []
    for index, item in enumerate(value):
        source = check.keys(f"{where}[{index}]", item, EnvFromArgs)
        if ("config_map_name" in source) == ("secret_name" in source):
            raise check.fail(
                f"{where}[{index}]",
                dict(source),
                "must set exactly one of config_map_name and secret_name",
            )
        for key in ("config_map_name", "secret_name"):
            if key in source:
                check.text(f"{where}[{index}].{key}", source[key], naming.dns1123_subdomain_problem)
        if "prefix" in source:
            check.text(f"{where}[{index}].prefix", source["prefix"])
        sources.append(EnvFromArgs(**source))  # type: ignore[typeddict-item]
    return tuple(sources)


def _optional_id(check: _Checker, where: str, value: object) -> int | None:
    return None if value is None else check.integer(where, value, 0)


def _paths(check: _Checker, where: str, value: object) -> tuple[str, ...]:
    paths = check.texts(where, value)
    for index, path in enumerate(paths):
        if not path.startswith("/"):
            raise check.fail(f"{where}[{index}]", path, "must be an absolute path")
    if len(set(paths)) != len(paths):
        raise check.fail(where, list(paths), "must not repeat a path")
    return paths


# A word boundary before an uppercase run: hostPID -> host_pid, setHostnameAsFQDN -> ..._fqdn.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _security_overlay(
    check: _Checker, where: str, value: object, owner_type: type
) -> dict[str, Any]:
    """The fields an extra ``security_context`` sets, keyed by Python name.

    They are laid over the pair's hardened context field by field, so giving one
    field (say ``capabilities``) does not silently drop the others (read-only root,
    no privilege escalation, …). Accepts the ``pulumi_kubernetes`` Args object or a
    mapping (snake_case or camelCase keys); not an Output, which cannot be merged.
    """
    # Looked up here, not at import: pulumi_kubernetes loads core/v1 lazily, on first use.
    context_type = (
        k8s.core.v1.SecurityContextArgs
        if owner_type is k8s.core.v1.ContainerArgs
        else k8s.core.v1.PodSecurityContextArgs
    )
    allowed = set(inspect.signature(context_type).parameters)
    if isinstance(value, context_type):
        return {
            name: pulumi.get(value, name) for name in allowed if pulumi.get(value, name) is not None
        }
    if not isinstance(value, Mapping):
        raise check.fail(
            where, value, f"must be a {context_type.__name__} or a mapping (not an Output)"
        )
    fields = {}
    for key, item in value.items():
        name = _CAMEL.sub("_", str(key)).lower()
        if name not in allowed:
            raise check.fail(
                f"{where}[{key!r}]", item, f"is not a field of {context_type.__name__}"
            )
        fields[name] = item
    return fields


def _extra_fields(
    check: _Checker,
    where: str,
    value: object,
    args_type: type,
    *,
    forbidden: Mapping[str, str],
    appended: Sequence[str],
) -> dict[str, Any]:
    """Extra fields keyed like ``args_type``'s constructor (camelCase is translated)."""
    if not isinstance(value, Mapping):
        raise check.fail(where, value, f"must be a mapping of {args_type.__name__} fields")
    allowed = set(inspect.signature(args_type).parameters)
    fields: dict[str, Any] = {}
    for key, item in value.items():
        name = _CAMEL.sub("_", str(key)).lower()
        if name in forbidden:
            raise check.fail(f"{where}[{key!r}]", item, f"cannot be set: {forbidden[name]}")
        if name not in allowed:
            hint = _did_you_mean(name, allowed)
            raise check.fail(
                f"{where}[{key!r}]", item, f"is not a field of {args_type.__name__}{hint}"
            )
        if name in appended and (
            isinstance(item, (str, Mapping)) or not isinstance(item, Sequence)
        ):
            raise check.fail(
                f"{where}[{key!r}]",
                item,
                "must be a plain list: it is added to the pair's own entries",
            )
        fields[name] = (
            _security_overlay(check, f"{where}[{key!r}]", item, args_type)
            if name == "security_context"
            else item
        )
    return fields


def _did_you_mean(name: str, allowed: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the allowed name closest to ``name``, else ``""``."""
    # Imported here: only a refused argument needs it, and importing it costs every program
    # that imports the package 5 ms (docs/BENCHMARKS.md, import time).
    import difflib  # noqa: PLC0415

    close = difflib.get_close_matches(name, sorted(allowed), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""

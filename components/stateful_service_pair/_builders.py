"""Build the ``pulumi_kubernetes`` arguments of a pair's objects from its checked spec.

Nothing here registers a resource: each function only shapes input objects, so
the wiring rules live in one readable place. The Pulumi plumbing that creates
the objects and their outputs is in :mod:`stateful_service_pair`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from . import _availability as availability
from . import _exposure as exposure
from . import _metrics as metrics
from ._spec import LabelPair, PairSpec, ProbeSpec
from ._validation import APPENDED_CONTAINER_FIELDS, APPENDED_POD_FIELDS

SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait"
TIMEOUT_ANNOTATION = "pulumi.com/timeoutSeconds"


def object_meta(
    spec: PairSpec,
    name: pulumi.Input[str],
    namespace: pulumi.Input[str] | None,
    extra_annotations: dict[str, Any] | pulumi.Output[dict[str, Any]] | None = None,
    extra_labels: dict[str, str] | None = None,
) -> k8s.meta.v1.ObjectMetaArgs:
    """Metadata with a fixed name (no provider auto-naming) and the pair's labels.

    ``namespace`` None leaves ``metadata.namespace`` out: the provider then puts the object in
    its own namespace, exactly as the pair derived it (see :mod:`._namespace`).
    ``extra_annotations`` may be an Output (the client Service's depends on ``replicas``).
    ``extra_labels`` are laid over the pair's labels (validation keeps them off its own).
    """
    annotations: Any
    if isinstance(extra_annotations, pulumi.Output):
        user = dict(spec.annotations)
        annotations = extra_annotations.apply(lambda extra: {**user, **extra} or None)
    else:
        annotations = {**spec.annotations, **(extra_annotations or {})} or None
    return k8s.meta.v1.ObjectMetaArgs(
        name=name,
        namespace=namespace,
        labels={**spec.common_labels, **extra_labels} if extra_labels else spec.common_labels,
        annotations=annotations,
    )


def await_annotations(spec: PairSpec) -> dict[str, str]:
    """pulumi-kubernetes' await settings for the objects ``pulumi up`` waits on."""
    annotations = {}
    if spec.skip_await:
        annotations[SKIP_AWAIT_ANNOTATION] = "true"
    if spec.await_timeout_seconds is not None:
        annotations[TIMEOUT_ANNOTATION] = str(spec.await_timeout_seconds)
    return annotations


def client_service_annotations(spec: PairSpec, replicas: int) -> dict[str, Any]:
    """The client Service's own annotations and its await settings for ``replicas`` Pods.

    A Service with a selector makes pulumi-kubernetes wait for its endpoints to settle; with
    no Pods none can come. (4.25 ends that wait 10 s after an empty Endpoints object last
    changed, await/service.go; the annotation does not rely on such details.) It skips the
    wait then, and only then.
    """
    annotations = {**spec.client_service.annotations, **await_annotations(spec)}
    if replicas == 0:
        annotations[SKIP_AWAIT_ANNOTATION] = "true"
    return annotations


def service_ports(spec: PairSpec) -> list[k8s.core.v1.ServicePortArgs]:
    """Service ports that target the container ports by name, so they cannot drift apart."""
    return [
        k8s.core.v1.ServicePortArgs(
            name=port.name, port=port.port, protocol=port.protocol, target_port=port.name
        )
        for port in spec.ports
    ]


def headless_service_spec(spec: PairSpec) -> k8s.core.v1.ServiceSpecArgs:
    """The Service whose name becomes each Pod's DNS subdomain."""
    return k8s.core.v1.ServiceSpecArgs(
        cluster_ip="None",
        selector=spec.selector_labels,
        # The metrics port is published here only (see _metrics.py).
        ports=[*service_ports(spec), *metrics.service_ports(spec)],
        publish_not_ready_addresses=spec.publish_not_ready_addresses,
    )


def client_service_spec(spec: PairSpec) -> k8s.core.v1.ServiceSpecArgs:
    """The load-balanced ClusterIP Service for clients; only Ready Pods get traffic."""
    affinity_config = None
    if spec.session_affinity_timeout_seconds is not None:
        affinity_config = k8s.core.v1.SessionAffinityConfigArgs(
            client_ip=k8s.core.v1.ClientIPConfigArgs(
                timeout_seconds=spec.session_affinity_timeout_seconds
            )
        )
    return k8s.core.v1.ServiceSpecArgs(
        type=spec.client_service.type,
        selector=spec.selector_labels,
        ports=exposure.service_ports(spec, spec.client_service.node_ports),
        load_balancer_source_ranges=list(spec.client_service.load_balancer_source_ranges) or None,
        session_affinity=spec.session_affinity,
        session_affinity_config=affinity_config,
        internal_traffic_policy=spec.internal_traffic_policy,
        traffic_distribution=spec.traffic_distribution,
    )


def probe(probe_spec: ProbeSpec | None) -> k8s.core.v1.ProbeArgs | None:
    """A probe of one of the pair's named container ports (or a command)."""
    if probe_spec is None:
        return None
    handler: dict[str, Any] = {}
    if probe_spec.command is not None:
        handler["exec_"] = k8s.core.v1.ExecActionArgs(command=list(probe_spec.command))
    elif probe_spec.http_path is not None:
        handler["http_get"] = k8s.core.v1.HTTPGetActionArgs(
            path=probe_spec.http_path, port=probe_spec.port
        )
    else:
        handler["tcp_socket"] = k8s.core.v1.TCPSocketActionArgs(port=probe_spec.port)
    return k8s.core.v1.ProbeArgs(
        initial_delay_seconds=_unless_zero(probe_spec.initial_delay_seconds),
        period_seconds=probe_spec.period_seconds,
        timeout_seconds=probe_spec.timeout_seconds,
        failure_threshold=probe_spec.failure_threshold,
        success_threshold=probe_spec.success_threshold,
        **handler,
    )


def _env(spec: PairSpec, env_values: dict[str, pulumi.Input[str]]) -> list[k8s.core.v1.EnvVarArgs]:
    # Plain variables keep the caller's order: later values may refer to earlier
    # ones with $(NAME).
    plain = [k8s.core.v1.EnvVarArgs(name=name, value=value) for name, value in env_values.items()]
    from_secrets = [
        k8s.core.v1.EnvVarArgs(
            name=name,
            value_from=k8s.core.v1.EnvVarSourceArgs(
                secret_key_ref=k8s.core.v1.SecretKeySelectorArgs(
                    name=ref["secret_name"], key=ref["key"]
                )
            ),
        )
        for name, ref in spec.secret_env.items()
    ]
    return plain + from_secrets


def _env_from(spec: PairSpec) -> list[k8s.core.v1.EnvFromSourceArgs]:
    sources = []
    for source in spec.env_from:
        if "config_map_name" in source:
            sources.append(
                k8s.core.v1.EnvFromSourceArgs(
                    config_map_ref=k8s.core.v1.ConfigMapEnvSourceArgs(
                        name=source["config_map_name"]
                    ),
                    prefix=source.get("prefix"),
                )
            )
        else:
            sources.append(
                k8s.core.v1.EnvFromSourceArgs(
                    secret_ref=k8s.core.v1.SecretEnvSourceArgs(name=source["secret_name"]),
                    prefix=source.get("prefix"),
                )
            )
    return sources


def scratch_volume_name(index: int) -> str:
    """Name of the emptyDir volume behind ``writable_paths[index]``."""
    return f"scratch-{index}"


def container(
    spec: PairSpec, image: pulumi.Input[str], env_values: dict[str, pulumi.Input[str]]
) -> k8s.core.v1.ContainerArgs:
    """The main container: named ports, probes, resources and a locked-down security context."""
    volume_mounts = [
        k8s.core.v1.VolumeMountArgs(name=scratch_volume_name(index), mount_path=path)
        for index, path in enumerate(spec.writable_paths)
    ]
    volume_mounts[:0] = [
        k8s.core.v1.VolumeMountArgs(name=claim.claim_name, mount_path=claim.mount_path)
        for _where, claim in spec.claims
    ]
    fields: dict[str, Any] = {
        "name": spec.stateful_set_name,
        "image": image,
        "image_pull_policy": spec.image_pull_policy,
        "command": list(spec.command) if spec.command is not None else None,
        "args": list(spec.args) if spec.args is not None else None,
        "ports": [
            k8s.core.v1.ContainerPortArgs(
                name=port.name, container_port=port.target_port, protocol=port.protocol
            )
            for port in spec.ports
        ]
        + metrics.container_ports(spec),
        "env": _env(spec, env_values),
        "env_from": _env_from(spec),
        "resources": k8s.core.v1.ResourceRequirementsArgs(
            requests=spec.requests or None, limits=spec.limits or None
        ),
        "readiness_probe": probe(spec.readiness_probe),
        "liveness_probe": probe(spec.liveness_probe),
        "startup_probe": probe(spec.startup_probe),
        "security_context": k8s.core.v1.SecurityContextArgs(
            **{
                "allow_privilege_escalation": False,
                "privileged": False,
                "read_only_root_filesystem": spec.read_only_root_filesystem,
                "run_as_non_root": spec.run_as_non_root,
                "run_as_user": spec.run_as_user,
                "run_as_group": spec.run_as_group,
                "capabilities": k8s.core.v1.CapabilitiesArgs(drop=["ALL"]),
                "seccomp_profile": k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault"),
                # Field by field: an extra security_context keeps the other defaults.
                **spec.extra_container_spec.get("security_context", {}),
            }
        ),
        "volume_mounts": volume_mounts,
        "lifecycle": availability.lifecycle(spec),
    }
    merged = _merge(fields, spec.extra_container_spec, APPENDED_CONTAINER_FIELDS)
    return k8s.core.v1.ContainerArgs(**_without_empty(merged))


def pod_spec(spec: PairSpec, main_container: k8s.core.v1.ContainerArgs) -> k8s.core.v1.PodSpecArgs:
    """The Pod spec: non-root, RuntimeDefault seccomp, no API token unless asked."""
    fields: dict[str, Any] = {
        "containers": [main_container],
        "automount_service_account_token": spec.automount_service_account_token,
        "service_account_name": spec.service_account_name,
        "image_pull_secrets": [
            k8s.core.v1.LocalObjectReferenceArgs(name=name) for name in spec.image_pull_secrets
        ],
        "security_context": k8s.core.v1.PodSecurityContextArgs(
            **{
                "run_as_non_root": spec.run_as_non_root,
                "run_as_user": spec.run_as_user,
                "run_as_group": spec.run_as_group,
                "fs_group": spec.fs_group,
                # Re-chown a volume only when its root has the wrong group: large volumes
                # otherwise make every Pod start slow.
                "fs_group_change_policy": "OnRootMismatch" if spec.fs_group is not None else None,
                "seccomp_profile": k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault"),
                **spec.extra_pod_spec.get("security_context", {}),
            }
        ),
        "volumes": [
            k8s.core.v1.VolumeArgs(
                name=scratch_volume_name(index), empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs()
            )
            for index in range(len(spec.writable_paths))
        ],
        **availability.pod_spec_fields(spec),
    }
    merged = _merge(fields, spec.extra_pod_spec, APPENDED_POD_FIELDS)
    return k8s.core.v1.PodSpecArgs(**_without_empty(merged))


def volume_claim_templates(spec: PairSpec) -> list[k8s.core.v1.PersistentVolumeClaimArgs] | None:
    """One claim template per claim, in the order given, whose metadata is only its name.

    volumeClaimTemplates cannot change in place; labels or annotations here would
    make an unrelated label edit replace the StatefulSet.
    """
    if not spec.claims:
        return None
    return [
        k8s.core.v1.PersistentVolumeClaimArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(name=storage.claim_name),
            spec=k8s.core.v1.PersistentVolumeClaimSpecArgs(
                access_modes=list(storage.access_modes),
                storage_class_name=storage.storage_class_name,
                resources=k8s.core.v1.VolumeResourceRequirementsArgs(
                    requests={"storage": storage.size}
                ),
            ),
        )
        for _where, storage in spec.claims
    ]


def stateful_set_spec(
    spec: PairSpec,
    service_name: pulumi.Input[str],
    replicas: pulumi.Input[int],
    template: pulumi.Input[k8s.core.v1.PodSpecArgs],
) -> k8s.apps.v1.StatefulSetSpecArgs:
    """The StatefulSet spec; ``service_name`` comes from the headless Service object."""
    update_strategy = k8s.apps.v1.StatefulSetUpdateStrategyArgs(type=spec.update_strategy)
    if spec.update_strategy == "RollingUpdate" and availability.rolling_update(spec) is not None:
        update_strategy = k8s.apps.v1.StatefulSetUpdateStrategyArgs(
            type="RollingUpdate", rolling_update=availability.rolling_update(spec)
        )
    retention = None
    # StatefulSet-wide: validation refuses claims whose retention differs from the first's.
    if spec.storage is not None:
        retention = k8s.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicyArgs(
            when_deleted=spec.storage.when_deleted, when_scaled=spec.storage.when_scaled
        )
    return k8s.apps.v1.StatefulSetSpecArgs(
        service_name=service_name,
        replicas=replicas,
        # Omitted at 0 so that clusters older than 1.27 accept the default pair.
        ordinals=(
            k8s.apps.v1.StatefulSetOrdinalsArgs(start=spec.ordinals_start)
            if spec.ordinals_start
            else None
        ),
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels=spec.selector_labels),
        pod_management_policy=spec.pod_management_policy,
        update_strategy=update_strategy,
        min_ready_seconds=_unless_zero(spec.min_ready_seconds),
        persistent_volume_claim_retention_policy=retention,
        volume_claim_templates=volume_claim_templates(spec),
        template=k8s.core.v1.PodTemplateSpecArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(
                labels=spec.common_labels, annotations=spec.pod_annotations or None
            ),
            spec=template,
        ),
    )


def pod_disruption_budget_spec(
    spec: PairSpec, replicas: pulumi.Input[int]
) -> k8s.policy.v1.PodDisruptionBudgetSpecArgs:
    """At most ``pdb_max_unavailable`` (or fewer than ``pdb_min_available``) of the pair's Pods
    down for voluntary disruptions; ``replicas`` sizes ``"quorum"``."""
    return k8s.policy.v1.PodDisruptionBudgetSpecArgs(
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels=spec.selector_labels),
        **availability.disruption_budget_fields(spec, replicas),
    )


def network_policy_spec(spec: PairSpec) -> k8s.networking.v1.NetworkPolicySpecArgs | None:
    """Ingress to the pair's ports from its own Pods and the named clients only.

    Egress stays open unless ``restrict_egress``; then the Pods may reach their
    peers on the pair's ports and DNS on port 53 anywhere, nothing else.
    """
    if spec.network_policy is None:
        return None
    policy = spec.network_policy
    own_pods = k8s.networking.v1.NetworkPolicyPeerArgs(
        pod_selector=k8s.meta.v1.LabelSelectorArgs(match_labels=spec.selector_labels)
    )
    clients = [_peer(client) for client in policy.allowed_clients]
    # Named ports: the policy follows the container ports even if their numbers change.
    pair_ports = [
        k8s.networking.v1.NetworkPolicyPortArgs(port=port.name, protocol=port.protocol)
        for port in spec.ports
    ]
    egress = None
    policy_types = ["Ingress"]
    if policy.restrict_egress:
        policy_types.append("Egress")
        egress = [
            k8s.networking.v1.NetworkPolicyEgressRuleArgs(to=[own_pods], ports=pair_ports),
            k8s.networking.v1.NetworkPolicyEgressRuleArgs(
                ports=[
                    k8s.networking.v1.NetworkPolicyPortArgs(port=53, protocol="UDP"),
                    k8s.networking.v1.NetworkPolicyPortArgs(port=53, protocol="TCP"),
                ]
            ),
        ]
    return k8s.networking.v1.NetworkPolicySpecArgs(
        pod_selector=k8s.meta.v1.LabelSelectorArgs(match_labels=spec.selector_labels),
        policy_types=policy_types,
        ingress=[
            k8s.networking.v1.NetworkPolicyIngressRuleArgs(
                from_=[own_pods, *clients], ports=pair_ports
            ),
            *metrics.ingress_rule(spec, _peer),
        ],
        egress=egress,
    )


def _peer(labels: LabelPair) -> k8s.networking.v1.NetworkPolicyPeerArgs:
    """Pods with these labels, in namespaces with those (None: any Pod / this namespace)."""
    pod_labels, namespace_labels = labels
    return k8s.networking.v1.NetworkPolicyPeerArgs(
        pod_selector=(
            k8s.meta.v1.LabelSelectorArgs(match_labels=pod_labels)
            if pod_labels is not None
            else None
        ),
        namespace_selector=(
            k8s.meta.v1.LabelSelectorArgs(match_labels=namespace_labels)
            if namespace_labels is not None
            else None
        ),
    )


def _merge(own: dict[str, Any], extra: dict[str, Any], appended: Sequence[str]) -> dict[str, Any]:
    """Overlay ``extra`` on ``own``; fields in ``appended`` extend the pair's own list.

    ``security_context`` is skipped: its fields are already laid over the pair's own.
    """
    merged = dict(own)
    for key, value in extra.items():
        if key == "security_context":
            continue
        if key in appended:
            merged[key] = [*(own.get(key) or []), *value]
        else:
            merged[key] = value
    return merged


def _unless_zero(value: int | None) -> int | None:
    """None for 0 where Kubernetes' default is 0 anyway.

    pulumi-kubernetes leaves zero-valued fields out of what it sends and renders, so writing
    them would make the offline render differ from the provider's and show a diff that is not
    one.
    """
    return None if value == 0 else value


def _without_empty(fields: dict[str, Any]) -> dict[str, Any]:
    # Empty lists would render as `[]` in manifests and diff against the server's
    # omitted fields; None lets the provider leave them out.
    return {key: value for key, value in fields.items() if value not in (None, [])}
